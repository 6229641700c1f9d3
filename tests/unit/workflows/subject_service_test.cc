// The subject use cases against the in-memory store: registering opens one
// case per code whose history holds every change; the same data again writes
// nothing; new data fires exactly the changes, in one transaction; invalid
// values are refused with a reason and leave no trace; keyed commands apply
// once; the history verifies and replays.
#include <gtest/gtest.h>

#include "engine/audit.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/registry.h"
#include "workflows/subject/subject_service.h"

namespace credflow::workflows::subject {
namespace {

// A caseworker: subject events are sent by window staff.
const engine::Actor kClerk{"clerk", "caseworker", ""};

using engine::Json;
using policies::Date;

constexpr const char* kSubjectCode = "91320500L968FMY61Q";
constexpr const char* kOtherCode = "91350100M000100Y43";

class SubjectServiceTest : public ::testing::Test {
 protected:
  SubjectServiceTest() : service_(&store_, &registry_, testing::ShippedRules().book(), &clock_) {
    workflows::RegisterAll(registry_);
    registry_.Add(NewSubjectWorkflow());
    clock_.SetDate(Date::FromYmd(2025, 3, 3));
  }

  RegisterSubjectRequest Registration(const std::string& grade = "B") {
    RegisterSubjectRequest r;
    r.code = kSubjectCode;
    r.name = "苏州禾丰餐饮管理有限公司";
    r.status = "operating";
    r.grade = grade;
    r.grade_reason = grade.empty() ? "" : "年度分类";
    r.actor = engine::Actor{"alice", "caseworker", "credit-office"};
    return r;
  }

  std::vector<engine::HistoryEvent> History(const std::string& case_id) {
    auto h = store_.GetHistory(case_id);
    EXPECT_TRUE(h.ok());
    return h.ok() ? *h : std::vector<engine::HistoryEvent>{};
  }

  engine::SubjectProfile Profile(const std::string& code = kSubjectCode) {
    auto p = store_.GetSubjectProfile(code);
    EXPECT_TRUE(p.ok());
    EXPECT_TRUE(p.ok() && p->has_value()) << code << " has no profile";
    return p.ok() && p->has_value() ? **p : engine::SubjectProfile{};
  }

  std::string RegisteredCaseId() {
    auto r = RegisterSubject(service_, Registration());
    EXPECT_OK(r);
    return r.ok() ? r->command.case_id : "";
  }

  testing::InMemoryCaseStore store_;
  engine::WorkflowRegistry registry_;
  engine::ManualClock clock_;
  engine::CaseService service_;
};

TEST_F(SubjectServiceTest, RegisteringOpensTheSubjectCaseAndWritesTheProfile) {
  auto r = RegisterSubject(service_, Registration());
  ASSERT_OK(r);
  EXPECT_EQ(r->change, SubjectChange::kCreated);
  EXPECT_EQ(r->events, std::vector<std::string>{"SubjectRegistered"});
  EXPECT_EQ(r->command.state, "Registered");
  EXPECT_EQ(r->command.outcome, "registered");
  EXPECT_EQ(r->command.version, 2);

  auto c = store_.GetCase(r->command.case_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->workflow, "subject");
  EXPECT_EQ(c->subject, kSubjectCode);
  EXPECT_EQ(c->policy.id, "risk-classification");

  const auto history = History(c->id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].event, "CaseOpened");
  EXPECT_EQ(history[1].event, "SubjectRegistered");
  EXPECT_EQ(history[1].actor.user, "alice");
  EXPECT_EQ(history[1].payload["data"]["grade"], "B");

  const engine::SubjectProfile p = Profile();
  EXPECT_EQ(p.name, "苏州禾丰餐饮管理有限公司");
  EXPECT_EQ(p.status, "operating");
  EXPECT_EQ(p.grade, "B");
  EXPECT_EQ(p.grade_set_on, Date::FromYmd(2025, 3, 3));
  EXPECT_EQ(p.grade_reason, "年度分类");
  EXPECT_EQ(p.grade_source, "cli");
  EXPECT_EQ(p.case_id, c->id);
}

TEST_F(SubjectServiceTest, StatusDefaultsToOperatingAndGradeIsOptional) {
  RegisterSubjectRequest r = Registration("");
  r.status.clear();
  auto answer = RegisterSubject(service_, r);
  ASSERT_OK(answer);
  EXPECT_EQ(Profile().status, "operating");
  EXPECT_EQ(Profile().grade, "");
  EXPECT_FALSE(Profile().grade_set_on.has_value());
}

// Registering a known code with the same data is answered, not applied.
TEST_F(SubjectServiceTest, RegisteringTheSameDataAgainChangesNothing) {
  const std::string id = RegisteredCaseId();
  const int64_t commits = store_.commit_count();
  auto again = RegisterSubject(service_, Registration());
  ASSERT_OK(again);
  EXPECT_EQ(again->change, SubjectChange::kUnchanged);
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(again->command.case_id, id);
  EXPECT_EQ(again->command.version, 2);
  EXPECT_EQ(History(id).size(), 2u);
  EXPECT_LE(store_.commit_count(), commits + 1);  // a read-only transaction at most
  engine::CaseQuery query;
  query.workflow = "subject";
  query.subject = kSubjectCode;
  query.limit = 10;
  auto cases = store_.FindCases(query);
  ASSERT_TRUE(cases.ok());
  EXPECT_EQ(cases->size(), 1u) << "one case per code";
}

// With new data, registering fires exactly the changes, in one transaction.
TEST_F(SubjectServiceTest, RegisteringNewDataFiresEachChange) {
  const std::string id = RegisteredCaseId();
  clock_.SetDate(Date::FromYmd(2025, 4, 1));
  RegisterSubjectRequest r = Registration("C");
  r.name = "苏州禾丰餐饮集团有限公司";
  r.status = "not_operating";
  r.grade_reason = "两年内三次行政处罚";
  const int64_t commits = store_.commit_count();
  auto answer = RegisterSubject(service_, r);
  ASSERT_OK(answer);
  EXPECT_EQ(answer->change, SubjectChange::kUpdated);
  EXPECT_EQ(answer->events, (std::vector<std::string>{"NameChanged", "StatusChanged", "GradeSet"}));
  EXPECT_EQ(answer->command.version, 5);
  EXPECT_EQ(store_.commit_count(), commits + 1);
  const auto history = History(id);
  ASSERT_EQ(history.size(), 5u);
  EXPECT_EQ(history[4].payload["data"]["source"], "cli");
  const engine::SubjectProfile p = Profile();
  EXPECT_EQ(p.name, "苏州禾丰餐饮集团有限公司");
  EXPECT_EQ(p.status, "not_operating");
  EXPECT_EQ(p.grade, "C");
  EXPECT_EQ(p.grade_set_on, Date::FromYmd(2025, 4, 1));
}

// Empty status and grade leave the recorded ones alone.
TEST_F(SubjectServiceTest, EmptyStatusAndGradeKeepTheRecordedOnes) {
  RegisteredCaseId();
  RegisterSubjectRequest r = Registration("");
  r.status.clear();
  auto answer = RegisterSubject(service_, r);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->change, SubjectChange::kUnchanged);
  EXPECT_EQ(Profile().grade, "B");
  EXPECT_EQ(Profile().status, "operating");
}

// Setting the grade a subject already has is answered as unchanged and writes
// no event, so repeated runs do not fill the history.
TEST_F(SubjectServiceTest, SetGradeFiresGradeSetOnceForTheSameGrade) {
  const std::string id = RegisteredCaseId();
  SetGradeRequest g{kSubjectCode,
                    "D",
                    "列入严重失信主体名单",
                    Date::FromYmd(2025, 3, 1),
                    kGradeSourceCli,
                    {"bob", "caseworker", ""},
                    ""};
  auto first = SetGrade(service_, g);
  ASSERT_OK(first);
  EXPECT_EQ(first->change, SubjectChange::kUpdated);
  EXPECT_EQ(first->events, std::vector<std::string>{"GradeSet"});
  auto second = SetGrade(service_, g);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->change, SubjectChange::kUnchanged);
  EXPECT_EQ(History(id).size(), 3u);
  const engine::SubjectProfile p = Profile();
  EXPECT_EQ(p.grade, "D");
  EXPECT_EQ(p.grade_set_on, Date::FromYmd(2025, 3, 1));
  EXPECT_EQ(p.grade_reason, "列入严重失信主体名单");
}

// The monthly recomputation is the same use case with source "recompute".
TEST_F(SubjectServiceTest, RecomputedGradeIsRecordedAsSuch) {
  const std::string id = RegisteredCaseId();
  SetGradeRequest g{kSubjectCode,
                    "A",
                    "monthly recomputation 2025-03",
                    std::nullopt,
                    kGradeSourceRecompute,
                    {"system", "system", ""},
                    ""};
  ASSERT_TRUE(SetGrade(service_, g).ok());
  EXPECT_EQ(Profile().grade_source, "recompute");
  EXPECT_EQ(History(id).back().payload["data"]["source"], "recompute");
  EXPECT_EQ(History(id).back().actor.user, "system");
}

// The grade is carried along, and the same status again is answered as
// unchanged with no new event.
TEST_F(SubjectServiceTest, ChangeStatusFiresStatusChanged) {
  const std::string id = RegisteredCaseId();
  auto r = ChangeStatus(
      service_,
      ChangeStatusRequest{kSubjectCode, "unreachable", "通过登记的住所无法联系", {"bob", "caseworker", ""}, ""});
  ASSERT_OK(r);
  EXPECT_EQ(r->events, std::vector<std::string>{"StatusChanged"});
  EXPECT_EQ(Profile().status, "unreachable");
  EXPECT_EQ(Profile().grade, "B");
  auto same =
      ChangeStatus(service_, ChangeStatusRequest{kSubjectCode, "unreachable", "", {"bob", "caseworker", ""}, ""});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->change, SubjectChange::kUnchanged);
  EXPECT_EQ(History(id).size(), 3u);
}

// Invalid values are refused with their reason, and nothing is written.
TEST_F(SubjectServiceTest, InvalidValuesAreRefusedWithoutATrace) {
  const std::string id = RegisteredCaseId();
  const int64_t commits = store_.commit_count();

  RegisterSubjectRequest bad_code = Registration();
  bad_code.code = "91320500L968FMY61X";
  EXPECT_EQ(RegisterSubject(service_, bad_code).status().reason(), "invalid_credit_code");
  RegisterSubjectRequest bad_status = Registration();
  bad_status.status = "closed";
  EXPECT_EQ(RegisterSubject(service_, bad_status).status().reason(), "unknown_subject_status");
  RegisterSubjectRequest bad_grade = Registration("E");
  EXPECT_EQ(RegisterSubject(service_, bad_grade).status().reason(), "unknown_risk_grade");
  RegisterSubjectRequest no_name = Registration();
  no_name.name = " ";
  EXPECT_EQ(RegisterSubject(service_, no_name).status().reason(), "missing_name");
  RegisterSubjectRequest future = Registration("A");
  future.grade_set_on = Date::FromYmd(2025, 3, 4);
  EXPECT_EQ(RegisterSubject(service_, future).status().reason(), "invalid_date");
  RegisterSubjectRequest reason_only = Registration("");
  reason_only.grade_reason = "无等级";
  EXPECT_EQ(RegisterSubject(service_, reason_only).status().reason(), "missing_grade");

  auto grade = SetGrade(service_, SetGradeRequest{kSubjectCode, "F", "r", std::nullopt, kGradeSourceCli, kClerk, ""});
  EXPECT_TRUE(grade.status().IsInvalidArgument());
  EXPECT_EQ(grade.status().reason(), "unknown_risk_grade");
  ASSERT_EQ(grade.status().fields().size(), 1u);
  EXPECT_EQ(grade.status().fields()[0].field, "grade");
  EXPECT_EQ(
      SetGrade(service_, SetGradeRequest{kSubjectCode, "A", "r", std::nullopt, "guess", kClerk, ""}).status().reason(),
      "unknown_grade_source");
  EXPECT_EQ(ChangeStatus(service_, ChangeStatusRequest{kSubjectCode, "gone", "", kClerk, ""}).status().reason(),
            "unknown_subject_status");

  EXPECT_EQ(store_.commit_count(), commits);
  EXPECT_EQ(History(id).size(), 2u);
  EXPECT_EQ(Profile().grade, "B");
  EXPECT_EQ(Profile().status, "operating");
}

TEST_F(SubjectServiceTest, GradeAndStatusNeedARegisteredSubject) {
  auto grade = SetGrade(service_, SetGradeRequest{kOtherCode, "A", "r", std::nullopt, kGradeSourceCli, kClerk, ""});
  EXPECT_TRUE(grade.status().IsNotFound());
  EXPECT_EQ(grade.status().reason(), "subject_not_registered");
  auto status = ChangeStatus(service_, ChangeStatusRequest{kOtherCode, "bankrupt", "", kClerk, ""});
  EXPECT_EQ(status.status().reason(), "subject_not_registered");
  EXPECT_EQ(
      SetGrade(service_, SetGradeRequest{"123", "A", "r", std::nullopt, kGradeSourceCli, kClerk, ""}).status().reason(),
      "invalid_credit_code");
}

// A keyed command applies once; the key cannot be reused for another command.
TEST_F(SubjectServiceTest, KeyedCommandsApplyOnce) {
  RegisterSubjectRequest r = Registration();
  r.idempotency_key = "reg-1";
  auto first = RegisterSubject(service_, r);
  ASSERT_TRUE(first.ok());
  auto repeat = RegisterSubject(service_, r);
  ASSERT_TRUE(repeat.ok());
  EXPECT_TRUE(repeat->command.replayed);
  EXPECT_EQ(repeat->change, SubjectChange::kCreated);
  EXPECT_EQ(repeat->command.case_id, first->command.case_id);
  RegisterSubjectRequest other = Registration("D");
  other.idempotency_key = "reg-1";
  EXPECT_EQ(RegisterSubject(service_, other).status().reason(), "idempotency_key_reused");
  EXPECT_EQ(Profile().grade, "B");
}

// The subject case's history verifies and replays to its stored state.
TEST_F(SubjectServiceTest, HistoryVerifiesAndReplays) {
  const std::string id = RegisteredCaseId();
  ASSERT_TRUE(
      SetGrade(service_, SetGradeRequest{kSubjectCode, "C", "r", std::nullopt, kGradeSourceCli, kClerk, ""}).ok());
  ASSERT_TRUE(ChangeStatus(service_, ChangeStatusRequest{kSubjectCode, "deregistered", "", kClerk, ""}).ok());
  auto broken = engine::VerifyCaseHistory(store_, id);
  ASSERT_TRUE(broken.ok());
  EXPECT_FALSE(broken->has_value());
  auto replay = engine::ReplayCase(store_, registry_, testing::ShippedRules().book(), id);
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->matches) << replay->problem;
  EXPECT_EQ(replay->events, 4);
}

// Guards elsewhere see the profile through the subject's facts.
TEST_F(SubjectServiceTest, FactsCarryTheProfile) {
  RegisteredCaseId();
  auto facts = store_.GetSubjectFacts(kSubjectCode);
  ASSERT_TRUE(facts.ok());
  ASSERT_TRUE(facts->profile.has_value());
  EXPECT_EQ(facts->profile->grade, "B");
  auto listed = store_.ListSubjects(engine::SubjectQuery{"B", "", "", "", 10});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].code, kSubjectCode);
}

}  // namespace
}  // namespace credflow::workflows::subject
