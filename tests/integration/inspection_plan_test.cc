// The random-inspection plan (双随机、一公开) end to end on every store
// (memory, SQLite, PostgreSQL), under the shipped inspection-plan policy:
// the draw is reproducible, each grade gets exactly its quota, "无事不扰"
// exempts a subject already inspected in the cycle, a joint inspection gives
// each department one task that only it may act on and the visit joins
// them, a cycle is committed once, and the committed plan replays from its
// record and the visits' histories.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "adapters/app/views.h"
#include "engine/audit.h"
#include "engine/authorization.h"
#include "engine/history.h"
#include "tests/support/engine_harness.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/scratch_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/inspection/inspection_workflow.h"
#include "workflows/inspection/names.h"
#include "workflows/inspection/plan.h"

namespace credflow::testing {
namespace {

using engine::Json;
namespace inspection = workflows::inspection;

const engine::Actor kClerk{"clerk", "caseworker", ""};

class InspectionPlanTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(scratch_.Open(GetParam()));
    harness_ = std::make_unique<EngineHarness>(scratch_.store());
    harness_->SetDate("2026-03-02");
  }
  void TearDown() override {
    harness_.reset();
    scratch_.Close();
  }

  engine::CaseStore& store() { return *scratch_.store(); }
  engine::CaseService& service() { return harness_->service(); }

  // A registered subject of `grade` ("" = never graded) and `status`.
  void Put(const std::string& code, const std::string& grade, const std::string& status = "operating") {
    ASSERT_OK(store().RunInTransaction([&](engine::StoreTransaction& tx) {
      engine::SubjectProfile p;
      p.code = code;
      p.name = "测试企业";
      p.status = status;
      p.grade = grade;
      return tx.PutSubjectProfile(p);
    }));
  }

  // `count` subjects of each grade, numbered from `first`; returns the next number.
  int Register(const std::map<std::string, int>& counts, int first = 1) {
    int n = first;
    for (const auto& [grade, count] : counts) {
      for (int i = 0; i < count; ++i) Put(NumberedCreditCode(n++), grade == "-" ? "" : grade);
    }
    return n;
  }

  std::vector<engine::Case> Cases(const std::string& workflow, const std::string& parent = "") {
    engine::CaseQuery q;
    q.workflow = workflow;
    q.parent_id = parent;
    q.limit = 1000;
    auto found = store().FindCases(q);
    EXPECT_OK(found);
    return found.ok() ? *found : std::vector<engine::Case>{};
  }

  // Sends `data` as the department's result on `task`.
  engine::Result<engine::CommandResult> Record(const std::string& task, const engine::Actor& actor, Json data) {
    engine::FireEventRequest request;
    request.case_id = task;
    request.event = engine::EventInput{"InspectionResultRecorded", std::move(data), actor};
    return service().Fire(request);
  }

  static engine::Actor Department(const std::string& d) { return engine::Actor{"inspector-" + d, "department", d}; }

  ScratchStore scratch_;
  std::unique_ptr<EngineHarness> harness_;
};

std::vector<std::string> Drawn(const inspection::Plan& plan, const std::string& grade) {
  for (const auto& g : plan.grades) {
    if (g.grade == grade) return g.drawn;
  }
  return {};
}

// The same cycle draws the same sample however the subjects came into the
// store; another cycle draws with another seed.
TEST_P(InspectionPlanTest, TheSameCycleDrawsTheSameSample) {
  Register({{"B", 30}, {"C", 10}});
  auto first = inspection::MakePlan(store(), ShippedRules().book(), "2026");
  ASSERT_OK(first);
  EXPECT_EQ(first->seed, "inspection:2026");
  auto again = inspection::MakePlan(store(), ShippedRules().book(), "2026");
  ASSERT_OK(again);
  EXPECT_EQ(Drawn(*again, "B"), Drawn(*first, "B"));
  EXPECT_EQ(Drawn(*again, "C"), Drawn(*first, "C"));

  // The same subjects registered in the opposite order, in a store of their own.
  InMemoryCaseStore other;
  EngineHarness other_harness(&other);
  std::vector<std::pair<std::string, std::string>> subjects;
  for (int n = 1; n <= 40; ++n) subjects.emplace_back(NumberedCreditCode(n), n <= 30 ? "B" : "C");
  std::reverse(subjects.begin(), subjects.end());
  for (const auto& [code, grade] : subjects) {
    ASSERT_OK(other.RunInTransaction([&](engine::StoreTransaction& tx) {
      engine::SubjectProfile p;
      p.code = code;
      p.name = "测试企业";
      p.status = "operating";
      p.grade = grade;
      return tx.PutSubjectProfile(p);
    }));
  }
  auto elsewhere = inspection::MakePlan(other, ShippedRules().book(), "2026");
  ASSERT_OK(elsewhere);
  EXPECT_EQ(Drawn(*elsewhere, "B"), Drawn(*first, "B"));
  EXPECT_EQ(Drawn(*elsewhere, "C"), Drawn(*first, "C"));

  auto next_year = inspection::MakePlan(store(), ShippedRules().book(), "2027");
  ASSERT_OK(next_year);
  EXPECT_EQ(next_year->seed, "inspection:2027");
  EXPECT_NE(Drawn(*next_year, "B"), Drawn(*first, "B"));
}

// Each grade gets exactly round(ratio x N) visits (A 0.05, B 0.20, C 0.60,
// D 0.80; an ungraded subject is drawn as B); deregistered, revoked and
// bankrupt subjects are not in the population.
TEST_P(InspectionPlanTest, QuotaCountsAreExactPerGrade) {
  const int next = Register({{"A", 9}, {"B", 11}, {"C", 7}, {"D", 6}, {"-", 4}});
  Put(NumberedCreditCode(next), "D", "deregistered");
  Put(NumberedCreditCode(next + 1), "B", "revoked");
  Put(NumberedCreditCode(next + 2), "C", "bankrupt");
  Put(NumberedCreditCode(next + 3), "C", "unreachable");  // still inspected: that is how the office finds out
  auto plan = inspection::MakePlan(store(), ShippedRules().book(), "2026");
  ASSERT_OK(plan);
  // A: round(0.45) = 0; B: round(0.2 x 15) = 3; C: round(0.6 x 8) = round(4.8) = 5; D: round(4.8) = 5.
  const std::map<std::string, std::pair<int, int>> expected = {
      {"A", {9, 0}}, {"B", {15, 3}}, {"C", {8, 5}}, {"D", {6, 5}}};
  ASSERT_EQ(plan->grades.size(), 4u);
  for (const auto& g : plan->grades) {
    SCOPED_TRACE("grade " + g.grade);
    EXPECT_EQ(static_cast<int>(g.subjects.size()), expected.at(g.grade).first);
    EXPECT_EQ(g.quota, expected.at(g.grade).second);
    EXPECT_EQ(static_cast<int>(g.drawn.size()), expected.at(g.grade).second);
  }
  EXPECT_EQ(plan->screened_out, (std::map<std::string, int>{{"bankrupt", 1}, {"deregistered", 1}, {"revoked", 1}}));
  for (const auto& e : plan->entries) {
    EXPECT_EQ(e.reason, e.selected ? "sampled" : "not_sampled") << e.subject;
  }

  auto committed = inspection::CommitPlan(service(), "2026", kClerk);
  ASSERT_OK(committed);
  EXPECT_FALSE(committed->already_committed);
  ASSERT_EQ(committed->opened.size(), 13u);
  std::map<std::string, int> visits_per_grade;
  for (const engine::Case& v : Cases(inspection::kWorkflowName)) {
    const std::string grade = v.data["draw"].value("grade", "");
    ++visits_per_grade[grade];
    EXPECT_EQ(v.state, "AwaitingResults");
    EXPECT_EQ(v.data.value("cycle", ""), "2026");
    EXPECT_EQ(v.data.value("due_on", ""), "2026-12-31");
    // A grade-D visit is the joint inspection's: three departments' tasks.
    const std::vector<engine::Case> tasks = Cases(inspection::kTaskWorkflowName, v.id);
    EXPECT_EQ(tasks.size(), grade == "D" ? 3u : 1u) << v.id;
  }
  EXPECT_EQ(visits_per_grade, (std::map<std::string, int>{{"B", 3}, {"C", 5}, {"D", 5}}));
}

// 无事不扰: grade A is inspected at most once a cycle. A grade-A subject the
// draw would take, once inspected on a complaint this cycle, is exempted
// (cycle_limit_reached) and the next subject in the shuffle takes its place;
// the plan opens no visit for it.
TEST_P(InspectionPlanTest, GradeACycleLimitExemptsASubjectAlreadyInspected) {
  Register({{"A", 10}});  // round(0.05 x 10) = round(0.5) = 1
  auto before = inspection::MakePlan(store(), ShippedRules().book(), "2026");
  ASSERT_OK(before);
  ASSERT_EQ(Drawn(*before, "A").size(), 1u);
  const std::string first_choice = Drawn(*before, "A").front();

  inspection::OpenInspectionRequest complaint;
  complaint.subject = first_choice;
  complaint.grounds = "complaint";
  complaint.note = "消费者投诉";
  complaint.actor = kClerk;
  auto opened = inspection::OpenInspection(service(), complaint);
  ASSERT_OK(opened);  // a complaint is never refused for the limit
  EXPECT_EQ(opened->state, "AwaitingResults");

  auto after = inspection::MakePlan(store(), ShippedRules().book(), "2026");
  ASSERT_OK(after);
  ASSERT_EQ(Drawn(*after, "A").size(), 1u);
  EXPECT_NE(Drawn(*after, "A").front(), first_choice);
  bool seen = false;
  for (const auto& e : after->entries) {
    if (e.subject != first_choice) continue;
    seen = true;
    EXPECT_FALSE(e.selected);
    EXPECT_EQ(e.reason, "cycle_limit_reached");
    EXPECT_EQ(e.inspected_in_cycle, 1);
    EXPECT_EQ(e.max_per_cycle, 1);
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(after->inspected_in_cycle, (std::map<std::string, int>{{first_choice, 1}}));

  auto committed = inspection::CommitPlan(service(), "2026", kClerk);
  ASSERT_OK(committed);
  ASSERT_EQ(committed->opened.size(), 1u);
  auto visit = store().GetCase(committed->opened.front());
  ASSERT_OK(visit);
  EXPECT_EQ(visit->subject, Drawn(*after, "A").front());
  // The complaint's visit and the plan's: one each, never two for the subject.
  for (const std::string& code : {first_choice, Drawn(*after, "A").front()}) {
    engine::CaseQuery q;
    q.workflow = inspection::kWorkflowName;
    q.subject = code;
    auto visits = store().FindCases(q);
    ASSERT_OK(visits);
    EXPECT_EQ(visits->size(), 1u) << code;
  }
  // The next cycle starts afresh.
  auto next_year = inspection::MakePlan(store(), ShippedRules().book(), "2027");
  ASSERT_OK(next_year);
  for (const auto& e : next_year->entries) EXPECT_EQ(e.inspected_in_cycle, 0) << e.subject;
}

// A grade-D subject is visited jointly: one visit, one task in each
// department's inbox. Only that department may record on its task; the
// visit concludes when every department has recorded, with the findings.
TEST_P(InspectionPlanTest, AJointInspectionGivesEachDepartmentOneTaskOnlyItMayActOn) {
  Register({{"D", 1}});  // round(0.8 x 1) = 1
  auto committed = inspection::CommitPlan(service(), "2026", kClerk);
  ASSERT_OK(committed);
  ASSERT_EQ(committed->opened.size(), 1u);
  const std::string visit = committed->opened.front();
  std::map<std::string, std::string> task_of;
  for (const engine::Case& t : Cases(inspection::kTaskWorkflowName, visit)) task_of[t.department] = t.id;
  ASSERT_EQ(task_of.size(), 3u);
  for (const char* d : {"market-regulation", "tax", "human-resources"}) {
    ASSERT_EQ(task_of.count(d), 1u) << d;
    auto inbox = adapters::DepartmentInbox(store(), ShippedRules().calendar, harness_->clock().Today(), d, 100);
    ASSERT_OK(inbox);
    ASSERT_EQ((*inbox)["items"].size(), 1u) << d;
    EXPECT_EQ((*inbox)["items"][0].value("id", ""), task_of[d]);
    EXPECT_EQ((*inbox)["items"][0].value("visit", ""), visit);
    EXPECT_EQ((*inbox)["items"][0].value("joint", ""), "market-tax-hr");
  }
  EXPECT_EQ(inspection::FindInspectionTask(service(), visit, "tax").value(), task_of["tax"]);

  const Json passed = {{"result", "passed"}};
  auto other = Record(task_of["tax"], Department("market-regulation"), passed);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().reason(), "other_department");
  auto window = Record(task_of["tax"], kClerk, passed);
  ASSERT_FALSE(window.ok());
  EXPECT_EQ(window.status().reason(), "role_not_allowed");
  auto no_findings = Record(task_of["tax"], Department("tax"), Json{{"result", "problems_found"}});
  ASSERT_FALSE(no_findings.ok());
  EXPECT_EQ(no_findings.status().reason(), "invalid_event_data");
  EXPECT_EQ(store().GetHistory(task_of["tax"])->size(), 2u);  // opened, assigned: nothing more written

  ASSERT_OK(Record(task_of["tax"], Department("tax"), passed));
  ASSERT_OK(Record(task_of["market-regulation"], Department("market-regulation"), passed));
  ASSERT_OK(service().FireDueTimers());
  EXPECT_EQ(store().GetCase(visit)->state, "AwaitingResults");  // one department to go
  auto again = Record(task_of["tax"], Department("tax"), passed);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason(), "event_not_allowed");

  ASSERT_OK(Record(task_of["human-resources"], Department("human-resources"),
                   Json{{"result", "problems_found"}, {"findings", "未按规定为职工缴纳社会保险"}}));
  ASSERT_OK(service().FireDueTimers());
  auto done = store().GetCase(visit);
  ASSERT_OK(done);
  EXPECT_EQ(done->state, "ProblemsFound");
  EXPECT_EQ(done->outcome, "problems_found");
  ASSERT_EQ(done->data["findings"].size(), 1u);
  EXPECT_EQ(done->data["findings"][0].value("department", ""), "human-resources");
  auto facts = store().GetSubjectFacts(done->subject);
  ASSERT_OK(facts);
  const auto record = std::find_if(facts->records.begin(), facts->records.end(),
                                   [](const engine::SubjectRecord& r) { return r.kind == "inspection"; });
  ASSERT_NE(record, facts->records.end());
  EXPECT_EQ(record->status, "problems_found");
  EXPECT_EQ(record->data.value("cycle", ""), "2026");

  // Every history of the plan replays through its machine.
  for (const std::string& id : {visit, task_of["tax"], task_of["human-resources"]}) {
    auto chain = engine::VerifyCaseHistory(store(), id);
    ASSERT_OK(chain);
    EXPECT_FALSE(chain->has_value()) << id;
    auto replayed = engine::ReplayCase(store(), harness_->workflows(), ShippedRules().book(), id);
    ASSERT_OK(replayed);
    EXPECT_TRUE(replayed->matches) << id << ": " << replayed->problem;
  }
}

// A cycle is committed once: a second commit, also after new subjects came,
// opens nothing and answers with the plan as first recorded.
TEST_P(InspectionPlanTest, CommittingTwiceOpensNothingTwice) {
  const int next = Register({{"B", 10}, {"C", 5}, {"D", 2}});
  auto first = inspection::CommitPlan(service(), "2026", kClerk);
  ASSERT_OK(first);
  EXPECT_FALSE(first->already_committed);
  EXPECT_EQ(first->opened.size(), 2u + 3u + 2u);
  const size_t visits = Cases(inspection::kWorkflowName).size();
  const size_t tasks = Cases(inspection::kTaskWorkflowName).size();
  EXPECT_EQ(visits, 7u);
  EXPECT_EQ(tasks, 2u + 3u + 2u * 3u);

  Register({{"D", 5}}, next);
  harness_->SetDate("2026-06-01");
  auto second = inspection::CommitPlan(service(), "2026", engine::Actor{"another-clerk", "caseworker", ""});
  ASSERT_OK(second);
  EXPECT_TRUE(second->already_committed);
  EXPECT_TRUE(second->opened.empty());
  EXPECT_EQ(second->record, first->record);
  EXPECT_EQ(Cases(inspection::kWorkflowName).size(), visits);
  EXPECT_EQ(Cases(inspection::kTaskWorkflowName).size(), tasks);
  auto recorded = inspection::FindCommittedPlan(store(), "2026");
  ASSERT_OK(recorded);
  ASSERT_TRUE(recorded->has_value());
  EXPECT_EQ((**recorded)["visits"].size(), 7u);
  EXPECT_EQ((**recorded).value("committed_on", ""), "2026-03-02");

  auto replay = inspection::ReplayPlan(store(), ShippedRules().book(), "2026");
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->reproduced()) << replay->problems.front();
  EXPECT_EQ(replay->visits, 7);
  EXPECT_EQ(replay->drawn, (std::map<std::string, int>{{"A", 0}, {"B", 2}, {"C", 3}, {"D", 2}}));
}

// The replay finds a visit that claims the plan without being drawn by it.
TEST_P(InspectionPlanTest, ReplayFindsAVisitThePlanDidNotDraw) {
  Register({{"B", 10}});
  auto committed = inspection::CommitPlan(service(), "2026", kClerk);
  ASSERT_OK(committed);
  auto stored = store().GetCase(committed->opened.front());
  ASSERT_OK(stored);
  auto history = store().GetHistory(stored->id);
  ASSERT_OK(history);
  // A forged visit for a subject the plan did not draw, its history copied.
  auto plan = inspection::FindCommittedPlan(store(), "2026");
  ASSERT_OK(plan);
  std::string undrawn;
  for (const Json& s : (**plan)["grades"][1]["subjects"]) {
    const Json& drawn = (**plan)["grades"][1]["drawn"];
    if (std::find(drawn.begin(), drawn.end(), s) == drawn.end()) undrawn = s.get<std::string>();
  }
  ASSERT_FALSE(undrawn.empty());
  engine::Case forged = *stored;
  forged.id = engine::NewRandomId();
  forged.subject = undrawn;
  ASSERT_OK(store().RunInTransaction([&](engine::StoreTransaction& tx) -> engine::Status {
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(forged));
    std::string prev = engine::kGenesisHash;
    for (engine::HistoryEvent e : *history) {
      e.case_id = forged.id;
      e.prev_hash = prev;
      e.hash = engine::ComputeHash(e);
      prev = e.hash;
      CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(e));
    }
    return engine::Status::Ok();
  }));
  auto replay = inspection::ReplayPlan(store(), ShippedRules().book(), "2026");
  ASSERT_OK(replay);
  ASSERT_FALSE(replay->reproduced());
  EXPECT_NE(replay->problems.front().find("is not drawn by the recomputed plan"), std::string::npos)
      << replay->problems.front();
}

// The plan is committed within its cycle, for a cycle the policy plans by;
// a cycle id is bounded and well formed.
TEST_P(InspectionPlanTest, ACycleIsCommittedWithinItselfAndMustBeWellFormed) {
  Register({{"D", 2}});
  auto past = inspection::CommitPlan(service(), "2025", kClerk);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().reason(), "cycle_not_current");
  auto future = inspection::CommitPlan(service(), "2027", kClerk);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.status().reason(), "cycle_not_current");
  for (const std::string& bad : std::vector<std::string>{"2026-Q1", "26", "2026-13", std::string(5000, '9')}) {
    auto refused = inspection::CommitPlan(service(), bad, kClerk);
    ASSERT_FALSE(refused.ok()) << bad.substr(0, 10);
    EXPECT_EQ(refused.status().reason(), "invalid_cycle") << bad.substr(0, 10);
    EXPECT_LT(refused.status().message().size(), 300u);
  }
  EXPECT_TRUE(Cases(inspection::kWorkflowName).empty());
  auto none = inspection::ReplayPlan(store(), ShippedRules().book(), "2026");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().reason(), "plan_not_committed");
}

// The visit checks the draw it is opened with in its own transaction: a
// seed the cycle does not give is refused, and a subject that was inspected
// since the draw was computed is a conflict the commit draws again for.
TEST_P(InspectionPlanTest, AVisitRefusesADrawThatDoesNotHold) {
  const std::string code = NumberedCreditCode(1);
  Put(code, "D");
  auto open = [&](Json data) {
    engine::OpenCaseRequest request;
    request.workflow = inspection::kWorkflowName;
    request.subject = code;
    request.actor = kClerk;
    request.events.push_back(engine::EventInput{"InspectionPlanned", std::move(data), engine::SystemActor()});
    return service().RunCommand(engine::CommandOptions{}, [&](engine::UnitOfWork& tx, Json*) {
      engine::CommandResult r;
      return service().OpenInTransaction(tx, request, engine::Channel::kEngine, &r);
    });
  };
  const Json draw = {{"cycle", "2026"},
                     {"seed", "inspection:2026"},
                     {"grade", "D"},
                     {"mode", "quota"},
                     {"inspected_in_cycle", 0},
                     {"candidates", 1},
                     {"quota", 1},
                     {"position", 0},
                     {"selected_before", 0},
                     {"candidates_sha256", std::string(64, '0')},
                     {"joint", "market-tax-hr"}};
  Json chosen = draw;
  chosen["seed"] = "my-lucky-seed";
  auto refused = open(chosen);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "invalid_event_data");
  Json not_joint = draw;
  not_joint.erase("joint");
  refused = open(not_joint);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "invalid_event_data");

  inspection::OpenInspectionRequest lead;
  lead.subject = code;
  lead.grounds = "lead";
  lead.actor = kClerk;
  ASSERT_OK(inspection::OpenInspection(service(), lead));
  refused = open(draw);  // the draw saw no inspection this cycle; there is one now
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), inspection::kPlanInputsChanged);
  Json counted = draw;
  counted["inspected_in_cycle"] = 1;
  EXPECT_OK(open(counted));  // grade D has no per-cycle limit
  EXPECT_EQ(Cases(inspection::kWorkflowName).size(), 2u);
}

std::string StoreName(const ::testing::TestParamInfo<std::string>& param) { return param.param; }

INSTANTIATE_TEST_SUITE_P(Stores, InspectionPlanTest, ::testing::Values("memory", "sqlite", "postgresql"), StoreName);

}  // namespace
}  // namespace credflow::testing
