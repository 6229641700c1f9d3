// WorkflowDefinition: what the engine needs from a lifecycle's state machine.
// workflows/ implements it once per lifecycle with Boost.MSM; the engine
// never sees MSM types. The registry maps a workflow name to its definition.
//
// Thread safety: definitions are immutable and Fire() is reentrant (each call
// builds its own machine), so one definition serves every thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/case_store.h"
#include "engine/effects.h"
#include "engine/event_spec.h"
#include "engine/status.h"
#include "policies/calendar.h"
#include "policies/policy.h"

namespace credflow::engine {

// The outcome of every case that has not reached one.
inline constexpr const char* kOutcomePending = "pending";

// An event as it arrives: its name, its data and who sent it.
struct EventInput {
  std::string name;
  Json data = Json::object();
  Actor actor;
};

// What a guard or an action may read. Everything is loaded before the
// machine runs; guards and actions do no I/O.
struct TransitionContext {
  const Case* current = nullptr;                  // the case before the event
  const policies::Policy* policy = nullptr;       // the pinned policy version
  const policies::PolicySet* policies = nullptr;  // every policy, for cross-references
  const policies::WorkingCalendar* calendar = nullptr;
  const SubjectFacts* facts = nullptr;
  // The case's children, read in the same transaction, for events declared
  // ReadsChildren (a join reads its children's outcomes here, not a counter
  // of its own); nullptr for other events.
  const std::vector<ChildCase>* children = nullptr;
  // How the event came (engine/event_spec.h): a guard may hold a value of
  // the data to the engine's own use (a grade "recomputed from records").
  Channel channel = Channel::kPerson;
  policies::Date today;
  Timestamp now{};
};

// What a transition produced. The engine writes all of it in one transaction.
struct TransitionOutput {
  std::string to_state;
  Json data = Json::object();  // the case data after the event (starts as a copy)
  std::string reason;          // reason code to record on the case (may be empty)
  Effects effects;
  // What a decision rested on (the table row that matched, its inputs and
  // source), recorded in the transition's history event for auditors; null
  // when the transition decides nothing.
  Json decision;
  // A problem an action hit that must abort the transition (e.g. a deadline
  // that the calendar cannot compute). Nothing is written when set.
  std::optional<Status> failure;
};

// One row of a transition table, for `workflow describe` and for "the
// events allowed now".
struct TransitionInfo {
  std::string from;
  std::string event;
  std::string to;
  std::string action;  // "none" when the row has no action
  std::string guard;   // "none" when the row has no guard
};

class WorkflowDefinition {
 public:
  virtual ~WorkflowDefinition() = default;

  virtual const std::string& name() const = 0;
  // Bumped whenever states are renamed or removed; stored with each case.
  virtual int version() const = 0;
  // The id of the policy this workflow pins when a case opens.
  virtual const std::string& policy_id() const = 0;
  // The policy a new case with `data` pins: policy_id() unless the workflow
  // keeps several tracks (a dishonesty record pins its platform's rules).
  virtual std::string PolicyIdFor(const Json& opening_data) const {
    (void)opening_data;
    return policy_id();
  }
  // The kinds of subject record this workflow's guards and actions read;
  // empty: every kind. The engine gives the machine only these, and records
  // only these in each history event (for replay), so a subject with
  // hundreds of penalty records does not make every event of a workflow
  // that never reads them carry them.
  virtual std::vector<std::string> FactKinds() const { return {}; }
  virtual std::string initial_state() const = 0;
  virtual std::vector<std::string> states() const = 0;
  virtual std::vector<TransitionInfo> transitions() const = 0;
  // The outcome code a case has in `state` (pending, withdrawn, ...).
  virtual std::string OutcomeOf(const std::string& state) const = 0;
  // True when `state` concludes the matter: a case in it is not open (see
  // Case::closed). The workflow declares it per state; a final state may
  // still take events that amend the record without reopening it. False for
  // a state the workflow does not have.
  virtual bool IsFinal(const std::string& state) const = 0;
  // Every event the workflow knows, declared once: origin, roles, schema.
  virtual const std::vector<EventSpec>& events() const = 0;
  // The declaration of `event`, or nullptr when the workflow has none.
  const EventSpec* FindEvent(const std::string& event) const;

  // Restores the machine at `state`, processes `event` and fills *out.
  // Returns FailedPrecondition("event_not_allowed") when no row of the table
  // accepts the event in that state (out untouched), InvalidArgument
  // ("unknown_event") for a name the table does not know, InvalidArgument
  // ("invalid_event_data") when rows exist but no guard holds, and Internal
  // for a state name the machine does not have or a guard or action that
  // threw (out untouched: the command fails and writes nothing).
  virtual Status Fire(const std::string& state, const EventInput& event, const TransitionContext& context,
                      TransitionOutput* out) const = 0;

  // The form that `event`'s data must satisfy before the machine sees it,
  // if any (e.g. the commitment letter when it is signed).
  virtual std::optional<std::string> FormFor(const std::string& event, const TransitionContext& context) const {
    (void)event;
    (void)context;
    return std::nullopt;
  }

  // Events that some row accepts in `state` (guards not evaluated).
  std::vector<std::string> EventsAcceptedIn(const std::string& state) const;
};

class WorkflowRegistry {
 public:
  void Add(std::unique_ptr<WorkflowDefinition> definition);
  // nullptr when unknown.
  const WorkflowDefinition* Find(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, std::unique_ptr<WorkflowDefinition>> definitions_;
};

}  // namespace credflow::engine
