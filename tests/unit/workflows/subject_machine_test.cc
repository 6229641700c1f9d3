// The subject machine, one row at a time: each test starts in the row's
// source state, fires its event, and asserts the target state, the case data
// and the PutSubjectProfile effect. Data the pinned risk-classification
// policy does not allow is refused as InvalidArgument with no output, and
// events outside the table are refused.
#include <gtest/gtest.h>

#include "tests/support/machine_test.h"
#include "tests/support/shipped_rules.h"
#include "workflows/subject/subject_workflow.h"

namespace credflow::workflows::subject {
namespace {

using engine::Json;
using policies::Date;

constexpr const char* kCode = "91320500L968FMY61Q";

class SubjectMachineTest : public testing::MachineTest {
 protected:
  SubjectMachineTest() : MachineTest(NewSubjectWorkflow(), kPolicyId, Date::FromYmd(2025, 3, 3), "case-1", kCode) {}

  engine::Status Fire(const std::string& state, const std::string& event, Json data,
                      Date today = Date::FromYmd(2025, 3, 3)) {
    return MachineTest::Fire(state, event, std::move(data), today);
  }

  // The one profile the transition published.
  const engine::SubjectProfile& Profile() const {
    static const engine::SubjectProfile kNone;
    const engine::SubjectProfile* found = nullptr;
    int count = 0;
    for (const engine::Effect& e : out_.effects) {
      if (const auto* p = std::get_if<engine::PutSubjectProfile>(&e)) {
        found = &p->profile;
        ++count;
      }
    }
    EXPECT_EQ(count, 1) << "one PutSubjectProfile per transition";
    EXPECT_EQ(out_.effects.size(), 1u) << "no other effects";
    return found ? *found : kNone;
  }

  // A registered subject: B, operating.
  void StartRegistered() {
    c_.data = Json{{"name", "苏州禾丰餐饮管理有限公司"}, {"status", "operating"},      {"grade", "B"},
                   {"grade_set_on", "2025-01-02"},       {"grade_reason", "年度分类"}, {"grade_source", "import"},
                   {"registered_on", "2025-01-02"}};
  }

  void ExpectRefusedAsInvalidData(const engine::Status& st) {
    EXPECT_TRUE(st.IsInvalidArgument()) << st.ToString();
    EXPECT_EQ(st.reason(), "invalid_event_data");
    EXPECT_TRUE(out_.effects.empty());
    EXPECT_TRUE(out_.to_state.empty());
    EXPECT_EQ(out_.data, c_.data) << "the case data are untouched";
  }
};

// The table the machine reports (read by `workflow describe`, the API and the
// table suite) has the designed registration and self-transitions.
TEST_F(SubjectMachineTest, DescribesItsTable) {
  ASSERT_NE(policy_, nullptr);
  EXPECT_EQ(workflow_->name(), "subject");
  EXPECT_EQ(workflow_->policy_id(), "risk-classification");
  EXPECT_EQ(workflow_->initial_state(), "Unregistered");
  EXPECT_EQ(workflow_->states().size(), 2u);
  const auto rows = workflow_->transitions();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].from, "Unregistered");
  EXPECT_EQ(rows[0].event, "SubjectRegistered");
  EXPECT_EQ(rows[0].to, "Registered");
  EXPECT_EQ(rows[0].action, "RecordRegistration");
  EXPECT_EQ(rows[0].guard, "RegistrationValid");
  EXPECT_EQ(rows[1].event, "GradeSet");
  EXPECT_EQ(rows[1].guard, "GradeInPolicy");
  EXPECT_EQ(rows[2].event, "StatusChanged");
  EXPECT_EQ(rows[3].event, "NameChanged");
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].from, "Registered");
    EXPECT_EQ(rows[i].to, "Registered");
  }
  EXPECT_EQ(workflow_->OutcomeOf("Registered"), "registered");
  EXPECT_EQ(workflow_->OutcomeOf("Unregistered"), "pending");
}

// Unregistered --SubjectRegistered [RegistrationValid] / RecordRegistration--> Registered
TEST_F(SubjectMachineTest, RegistrationRecordsNameAndStatusAndPublishesProfile) {
  ASSERT_TRUE(
      Fire("Unregistered", "SubjectRegistered", {{"name", "苏州禾丰餐饮管理有限公司"}, {"status", "operating"}}).ok());
  EXPECT_EQ(out_.to_state, "Registered");
  EXPECT_EQ(out_.data["name"], "苏州禾丰餐饮管理有限公司");
  EXPECT_EQ(out_.data["status"], "operating");
  EXPECT_EQ(out_.data["registered_on"], "2025-03-03");
  EXPECT_FALSE(out_.data.contains("grade"));
  const engine::SubjectProfile& p = Profile();
  EXPECT_EQ(p.code, kCode);
  EXPECT_EQ(p.case_id, "case-1");
  EXPECT_EQ(p.name, "苏州禾丰餐饮管理有限公司");
  EXPECT_EQ(p.status, "operating");
  EXPECT_EQ(p.grade, "");
  EXPECT_FALSE(p.grade_set_on.has_value());
}

// A registration may carry a grade; its date defaults to today.
TEST_F(SubjectMachineTest, RegistrationWithGradeRecordsTheWholeProfile) {
  ASSERT_TRUE(Fire("Unregistered", "SubjectRegistered",
                   {{"name", "东莞市广盛五金制品有限公司"},
                    {"status", "unreachable"},
                    {"grade", "D"},
                    {"grade_reason", "屡禁不止台账"},
                    {"grade_source", "scenario"}})
                  .ok());
  const engine::SubjectProfile& p = Profile();
  EXPECT_EQ(p.status, "unreachable");
  EXPECT_EQ(p.grade, "D");
  ASSERT_TRUE(p.grade_set_on.has_value());
  EXPECT_EQ(p.grade_set_on->ToString(), "2025-03-03");
  EXPECT_EQ(p.grade_reason, "屡禁不止台账");
  EXPECT_EQ(p.grade_source, "scenario");
  EXPECT_EQ(out_.data["grade_set_on"], "2025-03-03");
}

// A grade_set_on in the registration (as from an import) is kept instead of
// today's date, so the grade's age stays true.
TEST_F(SubjectMachineTest, RegistrationKeepsAGivenGradeDate) {
  ASSERT_TRUE(Fire("Unregistered", "SubjectRegistered",
                   {{"name", "某公司"},
                    {"status", "operating"},
                    {"grade", "A"},
                    {"grade_reason", ""},
                    {"grade_set_on", "2024-12-01"},
                    {"grade_source", "import"}})
                  .ok());
  EXPECT_EQ(Profile().grade_set_on->ToString(), "2024-12-01");
}

// Every value the policy does not list, and every malformed registration, is
// refused with nothing recorded.
TEST_F(SubjectMachineTest, InvalidRegistrationIsRefused) {
  const Json cases[] = {
      {{"name", "某公司"}, {"status", "closed"}},                                              // unknown status
      {{"name", "某公司"}, {"status", ""}},                                                    // no status
      {{"name", "  "}, {"status", "operating"}},                                               // blank name
      {{"status", "operating"}},                                                               // no name
      {{"name", 42}, {"status", "operating"}},                                                 // name not text
      {{"name", "某公司"}, {"status", "operating"}, {"grade", "E"}, {"grade_source", "cli"}},  // unknown grade
      {{"name", "某公司"}, {"status", "operating"}, {"grade", "a"}, {"grade_source", "cli"}},  // grades are exact
      {{"name", "某公司"}, {"status", "operating"}, {"grade", "B"}},                           // no grade source
      {{"name", "某公司"}, {"status", "operating"}, {"grade", "B"}, {"grade_source", "guess"}},
      {{"name", "某公司"},
       {"status", "operating"},
       {"grade", "B"},
       {"grade_source", "cli"},
       {"grade_set_on", "2025-02-30"}},  // not a date
      {{"name", "某公司"},
       {"status", "operating"},
       {"grade", "B"},
       {"grade_source", "cli"},
       {"grade_set_on", "2025-03-04"}},                                             // after today
      {{"name", "某公司"}, {"status", "operating"}, {"grade_reason", "没有等级"}},  // reason without grade
  };
  for (const Json& data : cases) {
    SCOPED_TRACE(data.dump());
    ExpectRefusedAsInvalidData(Fire("Unregistered", "SubjectRegistered", data));
  }
}

// Registered --GradeSet [GradeInPolicy] / RecordGrade--> Registered
TEST_F(SubjectMachineTest, GradeSetRecordsGradeDateReasonAndSource) {
  StartRegistered();
  ASSERT_TRUE(
      Fire("Registered", "GradeSet", {{"grade", "C"}, {"reason", "两年内三次行政处罚"}, {"source", "cli"}}).ok());
  EXPECT_EQ(out_.to_state, "Registered");
  EXPECT_EQ(out_.data["grade"], "C");
  EXPECT_EQ(out_.data["grade_set_on"], "2025-03-03");
  const engine::SubjectProfile& p = Profile();
  EXPECT_EQ(p.grade, "C");
  EXPECT_EQ(p.grade_set_on->ToString(), "2025-03-03");
  EXPECT_EQ(p.grade_reason, "两年内三次行政处罚");
  EXPECT_EQ(p.grade_source, "cli");
  // The rest of the profile is carried along.
  EXPECT_EQ(p.name, "苏州禾丰餐饮管理有限公司");
  EXPECT_EQ(p.status, "operating");
}

// Monthly recomputation is one more GradeSet, from source "recompute",
// raised by the engine.
TEST_F(SubjectMachineTest, RecomputationIsAGradeSetFromRecompute) {
  StartRegistered();
  channel_ = engine::Channel::kEngine;
  ASSERT_TRUE(
      Fire("Registered", "GradeSet",
           {{"grade", "A"}, {"reason", "monthly: no records"}, {"set_on", "2025-03-01"}, {"source", "recompute"}})
          .ok());
  const engine::SubjectProfile& p = Profile();
  EXPECT_EQ(p.grade, "A");
  EXPECT_EQ(p.grade_set_on->ToString(), "2025-03-01");
  EXPECT_EQ(p.grade_source, "recompute");
}

// A person may not claim the engine's recomputation as the grade's source.
TEST_F(SubjectMachineTest, APersonCannotClaimARecomputedGrade) {
  StartRegistered();
  ExpectRefusedAsInvalidData(
      Fire("Registered", "GradeSet",
           {{"grade", "A"}, {"reason", "monthly: no records"}, {"set_on", "2025-03-01"}, {"source", "recompute"}}));
}

// Besides grades not in the policy (E, b, empty, 2), a missing or unknown
// source, a malformed or future set_on and a non-text reason are refused.
TEST_F(SubjectMachineTest, GradeOutsideThePolicyIsRefused) {
  StartRegistered();
  const Json cases[] = {
      {{"grade", "E"}, {"reason", "r"}, {"source", "cli"}},
      {{"grade", ""}, {"reason", "r"}, {"source", "cli"}},
      {{"grade", "b"}, {"reason", "r"}, {"source", "cli"}},
      {{"grade", 2}, {"reason", "r"}, {"source", "cli"}},
      {{"grade", "B"}, {"reason", "r"}},                        // no source
      {{"grade", "B"}, {"reason", "r"}, {"source", "manual"}},  // unknown source
      {{"grade", "B"}, {"reason", "r"}, {"source", "cli"}, {"set_on", "03/01/2025"}},
      {{"grade", "B"}, {"reason", "r"}, {"source", "cli"}, {"set_on", "2025-12-31"}},  // future
      {{"grade", "B"}, {"reason", 7}, {"source", "cli"}},
  };
  for (const Json& data : cases) {
    SCOPED_TRACE(data.dump());
    ExpectRefusedAsInvalidData(Fire("Registered", "GradeSet", data));
  }
}

// Registered --StatusChanged [StatusInPolicy] / RecordStatus--> Registered
TEST_F(SubjectMachineTest, StatusChangedRecordsStatus) {
  StartRegistered();
  ASSERT_TRUE(Fire("Registered", "StatusChanged", {{"status", "bankrupt"}, {"reason", "法院宣告破产"}}).ok());
  EXPECT_EQ(out_.to_state, "Registered");
  EXPECT_EQ(out_.data["status"], "bankrupt");
  EXPECT_EQ(out_.data["status_changed_on"], "2025-03-03");
  EXPECT_EQ(out_.data["status_reason"], "法院宣告破产");
  const engine::SubjectProfile& p = Profile();
  EXPECT_EQ(p.status, "bankrupt");
  EXPECT_EQ(p.grade, "B") << "the grade is carried along";
  EXPECT_EQ(p.grade_set_on->ToString(), "2025-01-02");
}

TEST_F(SubjectMachineTest, EveryPolicyStatusIsAccepted) {
  for (const char* status : {"operating", "not_operating", "unreachable", "deregistered", "revoked", "bankrupt"}) {
    StartRegistered();
    EXPECT_TRUE(Fire("Registered", "StatusChanged", {{"status", status}}).ok()) << status;
  }
}

TEST_F(SubjectMachineTest, StatusOutsideThePolicyIsRefused) {
  StartRegistered();
  for (const Json& data : {Json{{"status", "closed"}}, Json{{"status", ""}}, Json::object(),
                           Json{{"status", "Operating"}}, Json{{"status", "operating"}, {"reason", 1}}}) {
    SCOPED_TRACE(data.dump());
    ExpectRefusedAsInvalidData(Fire("Registered", "StatusChanged", data));
  }
}

// Registered --NameChanged [NameGiven] / RecordName--> Registered
TEST_F(SubjectMachineTest, NameChangedRecordsName) {
  StartRegistered();
  ASSERT_TRUE(Fire("Registered", "NameChanged", {{"name", "苏州禾丰餐饮集团有限公司"}}).ok());
  EXPECT_EQ(out_.data["name"], "苏州禾丰餐饮集团有限公司");
  EXPECT_EQ(Profile().name, "苏州禾丰餐饮集团有限公司");
}

TEST_F(SubjectMachineTest, BlankNameIsRefused) {
  StartRegistered();
  for (const Json& data : {Json{{"name", ""}}, Json{{"name", " \t"}}, Json::object(), Json{{"name", nullptr}}}) {
    SCOPED_TRACE(data.dump());
    ExpectRefusedAsInvalidData(Fire("Registered", "NameChanged", data));
  }
}

// Events outside the table are refused without output.
TEST_F(SubjectMachineTest, EventsOutsideTheTableAreRefused) {
  for (const char* event : {"GradeSet", "StatusChanged", "NameChanged"}) {
    engine::Status st = Fire("Unregistered", event, {{"grade", "A"}, {"status", "operating"}, {"name", "x"}});
    EXPECT_TRUE(st.IsFailedPrecondition()) << event;
    EXPECT_EQ(st.reason(), "event_not_allowed") << event;
    EXPECT_NE(st.message().find("SubjectRegistered"), std::string::npos) << st.message();
    EXPECT_TRUE(out_.effects.empty());
  }
  StartRegistered();
  engine::Status again = Fire("Registered", "SubjectRegistered", {{"name", "某公司"}, {"status", "operating"}});
  EXPECT_EQ(again.reason(), "event_not_allowed");
  EXPECT_TRUE(out_.effects.empty());
  engine::Status unknown = Fire("Registered", "CommitmentFiled", Json::object());
  EXPECT_EQ(unknown.reason(), "unknown_event");
}

}  // namespace
}  // namespace credflow::workflows::subject
