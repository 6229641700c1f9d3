// The workflow kit: a guard or action that throws fails the command and
// writes nothing (MSM 1.74 would swallow the exception and report the event
// handled), and a parent joins by reading its children's own rows.
#include <gtest/gtest.h>

#include <boost/mpl/vector.hpp>

#include <stdexcept>

#include "engine/case_service.h"
#include "tests/support/engine_harness.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/join_workflows.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/child_outcome.h"
#include "workflows/common/machine_parts.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/registry.h"

namespace credflow::workflows::kit_test {
namespace {

using engine::Json;

CREDFLOW_STATE(Idle, engine::kOutcomePending);
CREDFLOW_STATE(Done, "done");
CREDFLOW_EVENT(Poked, Declare::Person(kWindowStaff).Optional("how", forms::FieldType::kString));
CREDFLOW_EVENT(Rang, Declare::Timer().Optional("how", forms::FieldType::kString));

// Throws what `how` names: a std::exception (MSM catches it) or an int (MSM
// does not).
bool IsReady(const EventBase& e) {
  const std::string how = Text(e.data(), "how");
  if (how == "guard") throw std::runtime_error("the guard broke");
  if (how == "int") throw 42;
  return true;
}
void FinishFor(const EventBase& e, MachineBase& m) {
  if (Text(e.data(), "how") == "action") throw std::logic_error("the action broke");
  m.output->data["finished"] = true;
}
CREDFLOW_GUARD(Ready, IsReady(e));
CREDFLOW_ACTION(Finish, FinishFor);

struct BrittleMachine : Machine<BrittleMachine> {
  using initial_state = Idle;
  // clang-format off
  struct transition_table : boost::mpl::vector<
    Row < Idle , Poked , Done , Finish , Ready >,
    Row < Idle , Rang  , Done , Finish , Ready >
  > {};
  // clang-format on
};

class BrittleWorkflow final : public MsmWorkflow<BrittleMachine> {
 public:
  BrittleWorkflow() : MsmWorkflow("brittle", 1, "commitment") {}
};

class WorkflowKitTest : public ::testing::Test {
 protected:
  WorkflowKitTest() : service_(&store_, &registry_, testing::ShippedRules().book(), &clock_) {
    registry_.Add(std::make_unique<BrittleWorkflow>());
    clock_.SetDate(policies::Date::FromYmd(2025, 3, 3));
  }

  std::string Open() {
    engine::OpenCaseRequest open;
    open.workflow = "brittle";
    open.subject = testing::kSubjectA;
    open.actor = kClerk;
    auto r = service_.Open(open);
    EXPECT_OK(r);
    return r.ok() ? r->case_id : "";
  }

  engine::Result<engine::CommandResult> Poke(const std::string& id, const std::string& how) {
    engine::FireEventRequest request;
    request.case_id = id;
    request.event = engine::EventInput{"Poked", Json{{"how", how}}, kClerk};
    return service_.Fire(request);
  }

  const engine::Actor kClerk{"clerk", "caseworker", ""};
  testing::InMemoryCaseStore store_;
  engine::WorkflowRegistry registry_;
  engine::ManualClock clock_;
  engine::CaseService service_;
};

// Whatever a guard or action throws, the command fails with the case and
// event named, and the case, its history and the store are as before.
TEST_F(WorkflowKitTest, AThrowingGuardOrActionFailsTheCommandAndWritesNothing) {
  const std::string id = Open();
  const int64_t commits = store_.commit_count();
  for (const char* how : {"guard", "int", "action"}) {
    SCOPED_TRACE(how);
    auto r = Poke(id, how);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), engine::Status::Code::kInternal) << r.status().ToString();
    EXPECT_NE(r.status().message().find(id), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("Poked"), std::string::npos) << r.status().message();
    EXPECT_EQ(store_.GetCase(id)->version, 1);
    EXPECT_EQ(store_.GetCase(id)->state, "Idle");
    EXPECT_EQ(store_.GetHistory(id)->size(), 1u);
    EXPECT_EQ(store_.commit_count(), commits);
  }
  auto fine = Poke(id, "gently");
  ASSERT_OK(fine);
  EXPECT_EQ(fine->state, "Done");
}

// The fanout parent joins by reading its children's rows: when every child
// has decided before any delivery fires, the first delivery joins, and the
// later ones are recorded in the joined state (no counter, nothing lost).
TEST(WorkflowJoinTest, TheFirstDeliveryAfterEveryChildDecidedJoins) {
  testing::InMemoryCaseStore store;
  testing::EngineHarness harness(&store);
  engine::OpenCaseRequest open;
  open.workflow = "fanout";
  open.subject = testing::kSubjectA;
  open.actor = engine::Actor{"clerk", "caseworker", ""};
  open.events.push_back(engine::EventInput{"Dispatch", Json{{"count", 4}}, open.actor});
  auto parent = harness.service().Open(open);
  ASSERT_OK(parent);
  engine::CaseQuery q;
  q.parent_id = parent->case_id;
  auto children = store.FindCases(q);
  ASSERT_EQ(children->size(), 4u);
  for (const engine::Case& child : *children) {
    ASSERT_TRUE(harness.Fire(child.id, "Decide", {{"decision", "approved"}}).ok());
  }
  ASSERT_TRUE(harness.service().FireNextDueTimer().ok());
  EXPECT_EQ(store.GetCase(parent->case_id)->state, "Joined") << "joined on the first delivery";
  // The delivery recorded which children the join saw.
  const engine::HistoryEvent first = store.GetHistory(parent->case_id)->back();
  ASSERT_TRUE(first.payload.contains("children"));
  EXPECT_EQ(first.payload["children"].size(), 4u);
  EXPECT_EQ(*harness.service().FireDueTimers(), 3);
  auto joined = store.GetCase(parent->case_id);
  EXPECT_EQ(joined->state, "Joined");
  EXPECT_EQ(joined->data["answers"].size(), 4u) << "every delivery arrived once";
  EXPECT_EQ(joined->version, parent->version + 4);
}

}  // namespace
}  // namespace credflow::workflows::kit_test

namespace credflow::workflows::kit_test {
namespace {

// A parent whose delivery action opens a child with an event the child does
// not have: the transition fails after the parent's own writes.
CREDFLOW_STATE(Waiting, engine::kOutcomePending);
CREDFLOW_STATE(Closed, "closed");
CREDFLOW_EVENT(Began, Declare::Person(kWindowStaff));
void OpenTaskFor(const EventBase&, MachineBase& m) {
  m.output->effects.push_back(engine::OpenChild("task", Json::object()));
}
void OpenBrokenChildFor(const EventBase&, MachineBase& m) {
  m.output->data["closing"] = true;
  m.output->effects.push_back(engine::OpenChild("task", Json::object()).ThenRaise("NoSuchEvent"));
}
CREDFLOW_ACTION(OpenTask, OpenTaskFor);
CREDFLOW_ACTION(OpenBrokenChild, OpenBrokenChildFor);

struct ClumsyParent : Machine<ClumsyParent> {
  using initial_state = Idle;
  // clang-format off
  struct transition_table : boost::mpl::vector<
    Row < Idle    , Began               , Waiting , OpenTask        , none >,
    Row < Waiting , ChildReachedOutcome , Closed  , OpenBrokenChild , none >
  > {};
  // clang-format on
};

class ClumsyParentWorkflow final : public MsmWorkflow<ClumsyParent> {
 public:
  ClumsyParentWorkflow() : MsmWorkflow("clumsy", 1, "commitment") {}
};

// A delivery whose transition fails after writing (here: a child's first
// event the child does not have) leaves nothing of it behind: the parent is
// as it was, no second child exists, and the delivery is kept for a retry
// with a notice, not discarded.
TEST(WorkflowTimerTest, AFailedDeliveryWritesNothingAndIsKept) {
  testing::InMemoryCaseStore store;
  engine::WorkflowRegistry registry;
  registry.Add(std::make_unique<ClumsyParentWorkflow>());
  registry.Add(testing::NewTaskWorkflow());
  engine::ManualClock clock;
  clock.SetDate(policies::Date::FromYmd(2025, 3, 3));
  engine::CaseService service(&store, &registry, testing::ShippedRules().book(), &clock);
  const engine::Actor clerk{"clerk", "caseworker", ""};
  engine::OpenCaseRequest open;
  open.workflow = "clumsy";
  open.subject = testing::kSubjectA;
  open.actor = clerk;
  open.events.push_back(engine::EventInput{"Began", Json::object(), clerk});
  auto parent = service.Open(open);
  ASSERT_OK(parent);
  ASSERT_EQ(parent->state, "Waiting");
  engine::CaseQuery q;
  q.parent_id = parent->case_id;
  auto children = store.FindCases(q);
  ASSERT_EQ(children->size(), 1u);
  engine::FireEventRequest decide;
  decide.case_id = children->front().id;
  decide.event = engine::EventInput{"Decide", {{"decision", "approved"}}, clerk};
  ASSERT_OK(service.Fire(decide));

  ASSERT_OK(service.FireDueTimers());
  auto after = store.GetCase(parent->case_id);
  EXPECT_EQ(after->state, "Waiting");
  EXPECT_EQ(after->version, parent->version);
  EXPECT_FALSE(after->data.contains("closing"));
  EXPECT_EQ(store.GetHistory(parent->case_id)->size(), static_cast<size_t>(parent->version));
  EXPECT_EQ(store.FindCases(q)->size(), 1u) << "the broken child was not kept";
  auto timers = store.GetTimers(parent->case_id);
  ASSERT_EQ(timers->size(), 1u) << "the delivery is kept";
  EXPECT_EQ(timers->front().fire_at, clock.Now() + std::chrono::hours(1));
  auto notices = store.GetNotices(parent->case_id);
  ASSERT_FALSE(notices->empty());
  EXPECT_EQ(notices->back().template_id, "timer.failed");
}

// A timer whose guard or action throws is a lasting failure: it is kept for
// a retry with a notice, and the timers due after it still fire.
TEST(WorkflowTimerTest, AThrowingTimerTransitionDoesNotHoldUpLaterTimers) {
  testing::InMemoryCaseStore store;
  testing::EngineHarness filing(&store);
  filing.SetDate("2025-07-01");
  auto later = filing.FileDeregistration(testing::kSubjectC);  // its publication ends 2025-07-21
  ASSERT_OK(later);

  engine::WorkflowRegistry registry;
  workflows::RegisterAll(registry);
  registry.Add(std::make_unique<BrittleWorkflow>());
  engine::ManualClock clock;
  clock.SetDate(policies::Date::FromYmd(2025, 7, 1));
  engine::CaseService service(&store, &registry, testing::ShippedRules().book(), &clock);
  engine::OpenCaseRequest open;
  open.workflow = "brittle";
  open.subject = testing::kSubjectA;
  open.actor = engine::Actor{"clerk", "caseworker", ""};
  auto brittle = service.Open(open);
  ASSERT_OK(brittle);
  ASSERT_OK(store.RunInTransaction([&](engine::StoreTransaction& tx) {
    engine::Timer t;
    t.id = engine::NewRandomId();
    t.case_id = brittle->case_id;
    t.name = "bell";
    t.event = "Rang";
    t.payload = {{"how", "guard"}};
    t.due_on = policies::Date::FromYmd(2025, 7, 1);
    t.fire_at = engine::StartOfDay(t.due_on.AddDays(1));  // due before the publication ends
    return tx.PutTimer(t);
  }));

  clock.SetDate(policies::Date::FromYmd(2025, 7, 22));
  ASSERT_OK(service.FireDueTimers());
  EXPECT_EQ(store.GetCase(later->case_id)->state, "AwaitingApplication") << "the later timer fired";
  EXPECT_EQ(store.GetCase(brittle->case_id)->state, "Idle");
  auto timers = store.GetTimers(brittle->case_id);
  ASSERT_EQ(timers->size(), 1u);
  EXPECT_EQ(timers->front().fire_at, clock.Now() + std::chrono::hours(1));
  auto notices = store.GetNotices(brittle->case_id);
  ASSERT_FALSE(notices->empty());
  EXPECT_EQ(notices->back().template_id, "timer.failed");
  EXPECT_EQ(notices->back().data.value("why", ""), "workflow_failed");
}

}  // namespace
}  // namespace credflow::workflows::kit_test

namespace credflow::workflows::kit_test {
namespace {

// A join over children of one workflow holds only when there is at least
// one and none is still pending; children of other workflows do not count,
// and an event that reads no children never joins.
TEST(ChildOutcomeTest, AllChildrenConcludedReadsTheChildrenOfOneWorkflow) {
  MachineBase m;
  engine::TransitionContext context;
  m.context = &context;
  EXPECT_FALSE(AllChildrenConcluded(m, "task")) << "no children read";
  std::vector<engine::ChildCase> children = {{"c1", "task", "Decided", "decided", "", "market"},
                                             {"c2", "other", "Open", engine::kOutcomePending, "", ""}};
  context.children = &children;
  EXPECT_EQ(ChildrenOf(m, "task").size(), 1u);
  EXPECT_TRUE(AllChildrenConcluded(m, "task")) << "the pending child is of another workflow";
  children.push_back({"c3", "task", "Pending", engine::kOutcomePending, "", "tax"});
  EXPECT_FALSE(AllChildrenConcluded(m, "task"));
  EXPECT_FALSE(AllChildrenConcluded(m, "none_of_these"));
}

}  // namespace
}  // namespace credflow::workflows::kit_test
