// The generic table suite: every registered workflow, on the machine alone
// and through the engine on each store (memory, SQLite, PostgreSQL).
//   - every row fires from its source state to its target with its effects;
//   - every state round-trips through the store and restores its machine;
//   - every (state, event) outside the table is refused with no write;
//   - every timer or system event sent by a person is refused with no write.
// Rows take their data from tests/support/workflow_examples.cc; a row without
// an example fails the suite.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/case_service.h"
#include "engine/history.h"
#include "tests/support/scratch_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "tests/support/workflow_examples.h"
#include "workflows/registry.h"

namespace credflow::testing {
namespace {

using engine::Json;

const std::vector<std::string>& WorkflowNames() {
  static const std::vector<std::string> names = [] {
    engine::WorkflowRegistry registry;
    workflows::RegisterAll(registry);
    return registry.Names();
  }();
  return names;
}

std::string Describe(const engine::Effect& effect) {
  if (const auto* e = std::get_if<engine::OpenChildCase>(&effect)) return "OpenChildCase " + e->workflow;
  if (const auto* e = std::get_if<engine::SetTimer>(&effect)) return "SetTimer " + e->name;
  if (const auto* e = std::get_if<engine::CancelTimer>(&effect)) return "CancelTimer " + e->name;
  if (const auto* e = std::get_if<engine::PutSubjectRecord>(&effect)) return "PutSubjectRecord " + e->record.kind;
  if (const auto* e = std::get_if<engine::SendNotice>(&effect)) return "SendNotice " + e->template_id;
  if (const auto* e = std::get_if<engine::RaiseOnCase>(&effect)) return "RaiseOnCase " + e->event;
  return "PutSubjectProfile";
}

std::string RowName(const engine::TransitionInfo& t) { return t.from + " + " + t.event + " [" + t.guard + "]"; }

// The example of a row, or nullptr.
const RowExample* ExampleOf(const std::vector<RowExample>& examples, const engine::TransitionInfo& t) {
  for (const RowExample& e : examples) {
    if (e.from == t.from && e.event == t.event && e.guard == t.guard) return &e;
  }
  return nullptr;
}

// Complete data for `event`: the first example that sends it.
Json DataFor(const std::vector<RowExample>& examples, const std::string& event) {
  for (const RowExample& e : examples) {
    if (e.event == event) return e.event_data;
  }
  return Json::object();
}

engine::SubjectFacts FactsOf(const RowExample& e) {
  engine::SubjectFacts facts;
  facts.subject = kExampleSubject;
  if (!e.grade.empty()) {
    engine::SubjectProfile p;
    p.code = kExampleSubject;
    p.name = "测试企业";
    p.status = e.subject_status.empty() ? "operating" : e.subject_status;
    p.grade = e.grade;
    facts.profile = p;
  }
  for (const std::string& kind : e.active_records) {
    engine::SubjectRecord r;
    r.id = "record-" + kind;
    r.subject = kExampleSubject;
    r.kind = kind;
    r.status = "active";
    r.case_id = "elsewhere";
    facts.records.push_back(r);
  }
  facts.records.insert(facts.records.end(), e.records.begin(), e.records.end());
  return facts;
}

// ---- the machine alone ------------------------------------------------------

class WorkflowTableTest : public ::testing::TestWithParam<std::string> {
 protected:
  WorkflowTableTest() {
    workflows::RegisterAll(registry_);
    def_ = registry_.Find(GetParam());
    examples_ = ExamplesFor(GetParam());
  }

  engine::WorkflowRegistry registry_;
  const engine::WorkflowDefinition* def_ = nullptr;
  std::vector<RowExample> examples_;
};

// Each row, from its source state with its example, lands in its target
// state with exactly the example's effects; every row has an example.
TEST_P(WorkflowTableTest, EveryRowFiresToItsTargetWithItsEffects) {
  ASSERT_NE(def_, nullptr);
  const auto& rules = ShippedRules();
  for (const engine::TransitionInfo& t : def_->transitions()) {
    SCOPED_TRACE(RowName(t));
    const RowExample* e = ExampleOf(examples_, t);
    ASSERT_NE(e, nullptr) << "no example for this row in tests/support/workflow_examples.cc";
    EXPECT_EQ(e->to, t.to) << "the example names another target";
    engine::Case c;
    c.id = kExampleCaseId;
    c.workflow = def_->name();
    c.subject = kExampleSubject;
    c.state = t.from;
    c.data = e->case_data;
    const engine::SubjectFacts facts = FactsOf(*e);
    const std::vector<engine::ChildCase> children;
    engine::TransitionContext context;
    context.current = &c;
    context.policy = rules.policies.Select(def_->PolicyIdFor(e->case_data), ExampleDate());
    context.policies = &rules.policies;
    context.calendar = &rules.calendar;
    context.facts = &facts;
    context.children = &children;
    context.today = ExampleDate();
    context.now = engine::StartOfDay(ExampleDate());
    const engine::EventSpec* spec = def_->FindEvent(t.event);
    ASSERT_NE(spec, nullptr) << "the event is not declared";
    EXPECT_TRUE(engine::ValidateEventData(*spec, e->event_data).ok()) << "the example's data fit the declaration";
    engine::TransitionOutput out;
    out.data = c.data;
    engine::Status st =
        def_->Fire(t.from, engine::EventInput{t.event, e->event_data, {"u", "caseworker", ""}}, context, &out);
    ASSERT_OK(st);
    ASSERT_FALSE(out.failure.has_value()) << out.failure->ToString();
    EXPECT_EQ(out.to_state, t.to);
    std::vector<std::string> effects;
    for (const engine::Effect& effect : out.effects) effects.push_back(Describe(effect));
    EXPECT_EQ(effects, e->effects);
  }
}

// Every example belongs to a row: none is left over from a removed row.
TEST_P(WorkflowTableTest, EveryExampleIsARowOfTheTable) {
  ASSERT_NE(def_, nullptr);
  for (const RowExample& e : examples_) {
    const auto rows = def_->transitions();
    EXPECT_TRUE(std::any_of(
        rows.begin(), rows.end(),
        [&](const engine::TransitionInfo& t) { return t.from == e.from && t.event == e.event && t.guard == e.guard; }))
        << e.from << " + " << e.event << " [" << e.guard << "]";
  }
}

// A state that takes no event can never be left, so the workflow must
// declare it final (else its cases would stay open for ever); and a case
// starts open: the initial state is never final.
TEST_P(WorkflowTableTest, EveryStateWithNoWayOutIsFinal) {
  ASSERT_NE(def_, nullptr);
  EXPECT_FALSE(def_->IsFinal(def_->initial_state()));
  bool some_final = false;
  for (const std::string& state : def_->states()) {
    if (def_->EventsAcceptedIn(state).empty()) {
      EXPECT_TRUE(def_->IsFinal(state)) << state << " takes no event";
    }
    some_final = some_final || def_->IsFinal(state);
  }
  EXPECT_TRUE(some_final) << "a workflow whose cases never conclude";
  EXPECT_FALSE(def_->IsFinal("NoSuchState"));
}

std::string WorkflowName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Workflows, WorkflowTableTest, ::testing::ValuesIn(WorkflowNames()), WorkflowName);

// ---- through the engine, on each store ---------------------------------------

using StoreAndWorkflow = std::tuple<std::string, std::string>;

class WorkflowStoreTest : public ::testing::TestWithParam<StoreAndWorkflow> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(scratch_.Open(std::get<0>(GetParam())));
    workflows::RegisterAll(registry_);
    def_ = registry_.Find(std::get<1>(GetParam()));
    ASSERT_NE(def_, nullptr);
    examples_ = ExamplesFor(def_->name());
    clock_.SetDate(ExampleDate());
    service_ = std::make_unique<engine::CaseService>(scratch_.store(), &registry_, ShippedRules().book(), &clock_);
  }
  void TearDown() override {
    service_.reset();
    scratch_.Close();
  }

  engine::CaseStore& store() { return *scratch_.store(); }

  // Writes a case of this workflow at `state` with `data` (its opening event
  // chained as the engine chains it) and the subject facts of `e`.
  std::string Place(const std::string& state, const Json& data, const RowExample* e = nullptr) {
    const policies::Policy* policy = ShippedRules().policies.Select(def_->PolicyIdFor(data), ExampleDate());
    engine::Case c;
    c.id = e != nullptr && e->at_example_id ? std::string(kExampleCaseId) : engine::NewRandomId();
    c.workflow = def_->name();
    c.definition_version = def_->version();
    c.subject = kExampleSubject;
    c.state = state;
    c.outcome = def_->OutcomeOf(state);
    c.version = 1;
    c.policy = {policy->id, policy->version, policy->content_hash};
    c.data = data;
    c.department = e != nullptr && !e->department.empty() ? e->department : DefaultDepartment();
    c.created_at = c.updated_at = clock_.Now();
    engine::HistoryEvent opened;
    opened.case_id = c.id;
    opened.seq = 1;
    opened.event = "CaseOpened";
    opened.to_state = state;
    opened.actor = {"system", "system", ""};
    opened.at = c.created_at;
    opened.payload = {{"data", data}, {"workflow", c.workflow}, {"subject", c.subject}};
    opened.policy = c.policy;
    opened.prev_hash = engine::kGenesisHash;
    opened.hash = engine::ComputeHash(opened);
    c.history_head = opened.hash;
    const engine::SubjectFacts facts = e != nullptr ? FactsOf(*e) : engine::SubjectFacts{};
    // Each row is a story of its own: an application an earlier row left
    // under review would hold the records this row's application names.
    engine::Result<engine::SubjectFacts> left = store().GetSubjectFacts(c.subject);
    EXPECT_TRUE(left.ok());
    EXPECT_TRUE(store()
                    .RunInTransaction([&](engine::StoreTransaction& tx) -> engine::Status {
                      for (const engine::SubjectRecord& r :
                           left.ok() ? left->records : std::vector<engine::SubjectRecord>{}) {
                        if (r.kind == "repair_application") CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord(r.id));
                      }
                      CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(c));
                      CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(opened));
                      if (facts.profile) CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(*facts.profile));
                      for (engine::SubjectRecord r : facts.records) {
                        r.id += "-" + c.id;
                        CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(r));
                      }
                      for (const std::string& target : e != nullptr ? e->cases_raised_on : std::vector<std::string>{}) {
                        if (tx.LoadCase(target).ok()) continue;
                        engine::Case stub = c;
                        stub.id = target;
                        stub.data = Json::object();
                        CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(stub));
                      }
                      return engine::Status::Ok();
                    })
                    .ok());
    return c.id;
  }

  // Sends `event` the way its origin allows: a person's as a caseworker, the
  // engine's raised, a timer's from a timer due yesterday.
  engine::Status Send(const std::string& id, const std::string& event, const Json& data) {
    const engine::EventSpec* spec = def_->FindEvent(event);
    if (spec == nullptr) return engine::Status::Internal("undeclared event " + event);
    if (spec->origin == engine::EventOrigin::kTimer) {
      engine::Status armed = store().RunInTransaction([&](engine::StoreTransaction& tx) {
        engine::Timer t;
        t.id = engine::NewRandomId();
        t.case_id = id;
        t.name = data.value("timer", "example");
        t.event = event;
        t.due_on = ExampleDate().AddDays(-1);
        t.fire_at = engine::StartOfDay(ExampleDate());
        return tx.PutTimer(t);
      });
      if (!armed.ok()) return armed;
      // Other rows may have left deliveries due at the same moment (an
      // approval raised on a record): fire until this case's timer has gone.
      for (int i = 0; i < 100; ++i) {
        engine::Result<bool> fired = service_->FireNextDueTimer();
        if (!fired.ok()) return fired.status();
        auto timers = store().GetTimers(id);
        if (!timers.ok()) return timers.status();
        const bool pending = std::any_of(timers->begin(), timers->end(), [&](const engine::Timer& tm) {
          return tm.event == event && tm.name == data.value("timer", "example");
        });
        if (!pending || !*fired) return engine::Status::Ok();
      }
      return engine::Status::Internal("the example's timer never fired");
    }
    engine::FireEventRequest request;
    request.case_id = id;
    // A person's event as the first role that may send it (a department
    // task's decision as its department).
    const std::string role = spec->MaySend("caseworker") || spec->roles.empty() ? "caseworker" : spec->roles.front();
    const std::string department = role == "department" ? store().GetCase(id)->department : "";
    request.event = engine::EventInput{event, data, {"clerk", role, department}};
    auto r = spec->origin == engine::EventOrigin::kSystem ? service_->Raise(request) : service_->Fire(request);
    return r.ok() ? engine::Status::Ok() : r.status();
  }

  // Cases of a workflow with events only a department sends are that
  // department's tasks.
  std::string DefaultDepartment() const {
    for (const engine::EventSpec& spec : def_->events()) {
      if (spec.origin == engine::EventOrigin::kPerson && !spec.MaySend("caseworker")) return "example-department";
    }
    return "";
  }

  // What a refusal must leave untouched.
  struct Snapshot {
    int64_t version = 0;
    size_t history = 0;
    size_t notices = 0;
    size_t timers = 0;
    bool operator==(const Snapshot& o) const {
      return std::tie(version, history, notices, timers) == std::tie(o.version, o.history, o.notices, o.timers);
    }
  };
  Snapshot Take(const std::string& id) {
    return {store().GetCase(id)->version, store().GetHistory(id)->size(), store().GetNotices(id)->size(),
            store().GetTimers(id)->size()};
  }

  ScratchStore scratch_;
  engine::WorkflowRegistry registry_;
  const engine::WorkflowDefinition* def_ = nullptr;
  std::vector<RowExample> examples_;
  engine::ManualClock clock_;
  std::unique_ptr<engine::CaseService> service_;
};

// Each row through the engine: the case lands in the target state, one
// version and one chained history event later, and the store holds the
// effects the row promised.
TEST_P(WorkflowStoreTest, EveryRowFiresThroughTheEngine) {
  for (const engine::TransitionInfo& t : def_->transitions()) {
    SCOPED_TRACE(RowName(t));
    const RowExample* e = ExampleOf(examples_, t);
    ASSERT_NE(e, nullptr);
    const std::string id = Place(t.from, e->case_data, e);
    engine::Status st = Send(id, t.event, e->event_data);
    ASSERT_OK(st);
    auto c = store().GetCase(id);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->state, t.to);
    EXPECT_EQ(c->outcome, def_->OutcomeOf(t.to));
    EXPECT_EQ(c->version, 2);
    auto history = store().GetHistory(id);
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ(history->back().event, t.event);
    EXPECT_FALSE(engine::VerifyChain(id, *history, c->history_head).has_value());
    for (const std::string& effect : e->effects) {
      const std::string kind = effect.substr(0, effect.find(' '));
      const std::string key = effect.find(' ') == std::string::npos ? "" : effect.substr(effect.find(' ') + 1);
      if (kind == "SetTimer") {
        auto timers = store().GetTimers(id);
        EXPECT_TRUE(std::any_of(timers->begin(), timers->end(), [&](const engine::Timer& tm) {
          return tm.name == key;
        })) << effect;
      } else if (kind == "CancelTimer") {
        auto timers = store().GetTimers(id);
        EXPECT_FALSE(std::any_of(timers->begin(), timers->end(), [&](const engine::Timer& tm) {
          return tm.name == key;
        })) << effect;
      } else if (kind == "SendNotice") {
        auto notices = store().GetNotices(id);
        EXPECT_TRUE(std::any_of(notices->begin(), notices->end(), [&](const engine::Notice& n) {
          return n.template_id == key;
        })) << effect;
      } else if (kind == "OpenChildCase") {
        // As many children of the workflow as the row lists openings (a
        // joint inspection opens one task per department).
        engine::CaseQuery q;
        q.parent_id = id;
        q.workflow = key;
        EXPECT_EQ(static_cast<std::ptrdiff_t>(store().FindCases(q)->size()),
                  std::count(e->effects.begin(), e->effects.end(), effect))
            << effect;
      } else if (kind == "PutSubjectRecord") {
        auto facts = store().GetSubjectFacts(kExampleSubject);
        EXPECT_TRUE(std::any_of(facts->records.begin(), facts->records.end(), [&](const engine::SubjectRecord& r) {
          return r.kind == key && r.case_id == id;
        })) << effect;
      } else if (kind == "RaiseOnCase") {
        ASSERT_FALSE(e->cases_raised_on.empty()) << effect << ": the example names no target";
        auto timers = store().GetTimers(e->cases_raised_on.front());
        EXPECT_TRUE(std::any_of(timers->begin(), timers->end(), [&](const engine::Timer& tm) {
          return tm.event == key && tm.name == engine::kRaiseDeliveryPrefix + id + ":" + key;
        })) << effect;
      } else if (kind == "PutSubjectProfile") {
        auto profile = store().GetSubjectProfile(kExampleSubject);
        ASSERT_TRUE(profile.ok() && profile->has_value()) << effect;
        EXPECT_EQ((*profile)->case_id, id);
      }
    }
  }
}

// Every state round-trips through the store by name, and the machine
// restored at it answers as that state: it refuses what the state does not
// take as event_not_allowed, never as an unknown state.
TEST_P(WorkflowStoreTest, EveryStateRoundTrips) {
  for (const std::string& state : def_->states()) {
    SCOPED_TRACE(state);
    const std::string id = Place(state, Json{{"marker", state}});
    auto c = store().GetCase(id);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->state, state);
    EXPECT_EQ(c->outcome, def_->OutcomeOf(state));
    engine::Status loaded = store().RunInTransaction([&](engine::StoreTransaction& tx) -> engine::Status {
      auto in_tx = tx.LoadCase(id);
      if (!in_tx.ok()) return in_tx.status();
      EXPECT_EQ(in_tx->state, state);
      return engine::Status::Ok();
    });
    EXPECT_OK(loaded);
    const auto accepted = def_->EventsAcceptedIn(state);
    for (const engine::EventSpec& spec : def_->events()) {
      if (std::find(accepted.begin(), accepted.end(), spec.name) != accepted.end()) continue;
      engine::TransitionOutput out;
      engine::TransitionContext context;
      engine::Case shadow = *c;
      const engine::SubjectFacts facts;
      ASSERT_TRUE(
          engine::BuildContext(ShippedRules().book(), shadow, &facts, ExampleDate(), clock_.Now(), &context).ok());
      engine::Status st =
          def_->Fire(state, engine::EventInput{spec.name, DataFor(examples_, spec.name), {}}, context, &out);
      EXPECT_EQ(st.reason(), "event_not_allowed") << spec.name << ": " << st.ToString();
      break;  // one refusal proves the restore
    }
  }
}

// Every (state, event) the table does not have is refused through the
// engine, sent the way its origin allows, and the case is as it was.
TEST_P(WorkflowStoreTest, EventsOutsideTheTableAreRefusedWithNoWrite) {
  int refused = 0;
  for (const std::string& state : def_->states()) {
    const auto accepted = def_->EventsAcceptedIn(state);
    for (const engine::EventSpec& spec : def_->events()) {
      if (std::find(accepted.begin(), accepted.end(), spec.name) != accepted.end()) continue;
      SCOPED_TRACE(state + " + " + spec.name);
      const std::string id = Place(state, Json{{"marker", 1}});
      const Snapshot before = Take(id);
      engine::Status st = Send(id, spec.name, DataFor(examples_, spec.name));
      if (spec.origin == engine::EventOrigin::kTimer) {
        // The stale timer is discarded (its trace is a notice); the case is untouched.
        EXPECT_OK(st);
        const Snapshot after = Take(id);
        EXPECT_EQ(after.version, before.version);
        EXPECT_EQ(after.history, before.history);
        EXPECT_EQ(after.timers, before.timers);
      } else {
        EXPECT_EQ(st.reason(), "event_not_allowed") << st.ToString();
        EXPECT_TRUE(Take(id) == before);
      }
      EXPECT_EQ(store().GetCase(id)->data, Json({{"marker", 1}}));
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);
}

// A timer's or the engine's event sent by a person, caseworker or admin,
// with data that fit it, is refused as such and writes nothing.
TEST_P(WorkflowStoreTest, TimerAndSystemEventsSentByAPersonAreRefused) {
  for (const engine::TransitionInfo& t : def_->transitions()) {
    const engine::EventSpec* spec = def_->FindEvent(t.event);
    if (spec->origin == engine::EventOrigin::kPerson) continue;
    SCOPED_TRACE(RowName(t));
    const RowExample* e = ExampleOf(examples_, t);
    ASSERT_NE(e, nullptr);
    const std::string id = Place(t.from, e->case_data, e);
    const Snapshot before = Take(id);
    for (const char* role : {"caseworker", "admin"}) {
      engine::FireEventRequest request;
      request.case_id = id;
      request.event = engine::EventInput{t.event, e->event_data, {"someone", role, ""}};
      auto r = service_->Fire(request);
      ASSERT_FALSE(r.ok()) << role;
      EXPECT_TRUE(r.status().IsPermissionDenied()) << r.status().ToString();
      EXPECT_EQ(r.status().reason(), spec->origin == engine::EventOrigin::kTimer ? "timer_event" : "system_event");
    }
    EXPECT_TRUE(Take(id) == before);
  }
}

std::vector<StoreAndWorkflow> Combinations() {
  std::vector<StoreAndWorkflow> out;
  for (const char* store : {"memory", "sqlite", "postgresql"}) {
    for (const std::string& workflow : WorkflowNames()) out.emplace_back(store, workflow);
  }
  return out;
}

std::string CombinationName(const ::testing::TestParamInfo<StoreAndWorkflow>& info) {
  return std::get<0>(info.param) + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(Stores, WorkflowStoreTest, ::testing::ValuesIn(Combinations()), CombinationName);

}  // namespace
}  // namespace credflow::testing
