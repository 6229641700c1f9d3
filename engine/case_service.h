// CaseService: the transition executor, the hot path of credflow.
//
// One command = one store transaction that
//   1. loads the case (and the facts about its subject, and its children
//      when the event reads them),
//   2. checks who sent the event against its declaration (engine/event_spec.h)
//      and its data against its schema,
//   3. restores the workflow's machine at the stored state and processes the
//      event with the pinned policy, the calendar and the clock,
//   4. writes the case with an optimistic version check, one hash-chained
//      history event, and every effect the actions returned,
// then commits. An event the state does not accept changes nothing and
// returns FailedPrecondition("event_not_allowed"). Every command, whoever
// runs it (a filing, an event, a subject registration, an import batch),
// goes through RunCommand: a unit of work, the idempotency store, the retry
// of a lost race, the commit observer.
//
// The code is in several files: case_service.cc (the commands),
// transition.cc (opening and firing), effects.cc (effects and the join),
// timer_firing.cc (the timer scheduler).
//
// Thread safety: one CaseService serves every thread; it holds no mutable
// state of its own (the store serialises what must be serialised).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/case_store.h"
#include "engine/clock.h"
#include "engine/command_result.h"
#include "engine/event_spec.h"
#include "engine/history_payload.h"
#include "engine/status.h"
#include "engine/unit_of_work.h"
#include "engine/workflow.h"
#include "forms/form.h"
#include "policies/calendar.h"
#include "policies/policy.h"

namespace credflow::engine {

// The rules the engine runs under: loaded once at start-up, immutable after.
struct RuleBook {
  const policies::PolicySet* policies = nullptr;
  const policies::WorkingCalendar* calendar = nullptr;
  const forms::FormRegistry* forms = nullptr;
};

struct OpenCaseRequest {
  std::string workflow;
  std::string subject;
  Json data = Json::object();
  // The date that selects the policy version (the relevant date of the
  // matter); today when not given.
  std::optional<policies::Date> relevant_date;
  Actor actor;
  std::string parent_id;
  std::string department;  // the department whose task the case is, if any
  // Fired in order on the new case, in the same transaction. The chain ends
  // quietly at the first event the case's state then does not accept (e.g.
  // the letter is not taken from a subject sent to ordinary procedure); any
  // other failure aborts the whole command.
  std::vector<EventInput> events;
  std::string idempotency_key;
};

struct FireEventRequest {
  std::string case_id;
  EventInput event;
  // When set, the case must be at exactly this version (HTTP If-Match).
  std::optional<int64_t> expected_version;
  std::string idempotency_key;
};

// A command run through RunCommand: what it is and how it behaves.
struct CommandOptions {
  // When not empty, the command is applied once: a repeat with the same key
  // and the same `describe` gets the first answer; another command under
  // the key is InvalidArgument("idempotency_key_reused").
  std::string idempotency_key;
  Json describe;  // what the command is (hashed when keyed)
  // Run the command again (up to 5 times) when it lost a race to a
  // concurrent write: a version conflict, or a key another transaction took
  // first (AlreadyExists). Set for commands that act on things as they are
  // now; not for an event sent with an expected version.
  bool retry_lost_races = false;
};

// What RunCommand answers: the command's own answer, or the first answer
// under its key.
struct CommandAnswer {
  Json body;
  bool replayed = false;
};

// Where the time of one transition went (for the benchmark).
struct TransitionTimings {
  std::chrono::nanoseconds load{0};     // case + subject facts
  std::chrono::nanoseconds machine{0};  // form check + MSM dispatch
  std::chrono::nanoseconds write{0};    // case, history, effects
};

class CaseService {
 public:
  CaseService(CaseStore* store, const WorkflowRegistry* workflows, RuleBook rules, const Clock* clock);

  // Opens a case and fires request.events on it, as sent by a person.
  // Returns the new case's state. InvalidArgument("unknown_workflow"),
  // NotFound("no_policy_in_force") when no policy version covers the
  // relevant date, and the failures of Fire for its events.
  Result<CommandResult> Open(const OpenCaseRequest& request);

  // Fires one event on one case, as sent by a person (the API, the CLI).
  // Fails, writing nothing, with NotFound("case_not_found"),
  // InvalidArgument("unknown_event"), PermissionDenied("read_only_role",
  // "other_department", "timer_event", "system_event", "role_not_allowed"),
  // Conflict("version_mismatch") for a stale expected version,
  // InvalidArgument("invalid_event_data" or "invalid_form") with one error
  // per field, FailedPrecondition("event_not_allowed"), and whatever the
  // workflow's actions refuse. Without an expected version, a conflict with
  // a concurrent write is retried (up to 5 times) on the case as it then is.
  Result<CommandResult> Fire(const FireEventRequest& request);

  // Fires one event as the engine's own use cases raise it (the verification
  // plan's draw, a repair decided elsewhere, a scenario's escape hatch):
  // system and person events, never a timer's. Otherwise as Fire.
  Result<CommandResult> Raise(const FireEventRequest& request);

  // Runs `command` on a unit of work in one store transaction, answering
  // from / recording to the idempotency store when options has a key, and
  // retrying lost races when options says so. `command` writes its answer
  // into *body; a failure rolls everything back and is returned. The body
  // of a replayed answer is the first one, byte for byte.
  Result<CommandAnswer> RunCommand(const CommandOptions& options,
                                   const std::function<Status(UnitOfWork&, Json* body)>& command);

  // Claims one due timer and fires it through the same path, in one
  // transaction. Returns false when no timer is due. A timer whose event the
  // case no longer accepts is discarded (a "timer.discarded" notice is the
  // trace); one whose event fails for another lasting reason (bad data, a
  // calendar year not yet published) is kept and retried an hour later,
  // with a "timer.failed" notice to the caseworker. Conflicts and store
  // errors roll back and are returned.
  Result<bool> FireNextDueTimer();
  // Fires due timers until none is left (or `limit` were fired); returns how
  // many fired. Up to 32 share a transaction, earliest first; a case's
  // timers fire one per transaction, in order. When one of a batch fails,
  // the batch rolls back and the earliest due timer goes alone, as
  // FireNextDueTimer. Conflicts with concurrent commands are retried.
  Result<int> FireDueTimers(int limit = 1 << 20);

  // Fire and Open inside a transaction the caller owns (RunCommand's
  // callback), through `channel` (see engine/event_spec.h).
  Status FireInTransaction(StoreTransaction& tx, const FireEventRequest& request, Channel channel,
                           CommandResult* result);
  Status OpenInTransaction(StoreTransaction& tx, const OpenCaseRequest& request, Channel channel,
                           CommandResult* result);

  // Benchmark hook: called after every successful transition.
  void set_timing_observer(std::function<void(const TransitionTimings&)> observer) {
    timing_observer_ = std::move(observer);
  }
  // Metrics hook: called after every committed command (and fired timer)
  // with the workflow of each history event it wrote, opening events
  // included. Nothing is reported for a command that rolled back or was
  // answered from the idempotency store. Set before serving; not
  // synchronised.
  void set_commit_observer(std::function<void(const std::vector<std::string>& workflows)> observer) {
    commit_observer_ = std::move(observer);
  }

  // Scheduler hook: called after a command (or fired timer) commits that
  // armed a timer already due, e.g. the delivery of a department's decision
  // to its application, so the process's scheduler fires it now rather than
  // at its next poll. Other processes find it at their next poll. Set before
  // serving; not synchronised.
  void set_due_timer_observer(std::function<void()> observer) { due_timer_observer_ = std::move(observer); }

  const WorkflowRegistry& workflows() const { return *workflows_; }
  const RuleBook& rules() const { return rules_; }
  const Clock& clock() const { return *clock_; }
  CaseStore& store() const { return *store_; }

 private:
  // Open and Fire as commands through `channel`.
  Result<CommandResult> OpenCommand(const OpenCaseRequest& request, Channel channel);
  Result<CommandResult> FireCommand(const FireEventRequest& request, Channel channel);
  Status ApplyEffects(StoreTransaction& tx, const Case& c, const Effects& effects);
  Status NotifyParent(StoreTransaction& tx, const Case& child);
  // Runs `fn` on a unit of work in a store transaction, flushes it when fn
  // succeeds, and reports the history it wrote to the commit observer once
  // the transaction has committed.
  Status RunObserved(const std::function<Status(UnitOfWork&)>& fn);
  // Fires claimed timer `t` in `tx` (timer_firing.cc); adds the cases its
  // transition touched to `touched`. Ok: it fired, or it was stale and is
  // discarded with a notice. Otherwise nothing of its transition is in `tx`.
  Status FireClaimedTimer(UnitOfWork& tx, const Timer& t, Timestamp now, std::set<std::string>* touched);
  // Claims up to `limit` due timers in one transaction and fires them;
  // returns how many fired. Any failure rolls all of them back.
  Result<int> FireDueTimerBatch(int limit);

  CaseStore* store_;
  const WorkflowRegistry* workflows_;
  RuleBook rules_;
  const Clock* clock_;
  std::function<void(const TransitionTimings&)> timing_observer_;
  std::function<void(const std::vector<std::string>&)> commit_observer_;
  std::function<void()> due_timer_observer_;
};

// Builds the TransitionContext a workflow sees (used by the executor and by
// audit replay, which must give the machine the same inputs).
Status BuildContext(const RuleBook& rules, const Case& c, const SubjectFacts* facts, policies::Date today,
                    Timestamp now, TransitionContext* context);

// Checks the nested forms of `event`'s data against the forms the workflow
// names for it (WorkflowDefinition::FormFor): InvalidArgument("invalid_form")
// or ("invalid_credit_code") with one error per field.
Status ValidateNestedForms(const RuleBook& rules, const WorkflowDefinition& def, const EventSpec& spec,
                           const EventInput& event, const TransitionContext& context);

// A fresh UUID, lower-case text, of version 7 (RFC 9562): its first 48 bits
// are `at` in Unix milliseconds, the rest random. Ids made one after another
// sort next to each other, so a new case's rows land on the last pages of
// every index keyed by case id, not on a random page each (in PostgreSQL a
// page touched first after a checkpoint costs a full-page image in the
// WAL). Pass the injected clock's now.
std::string NewId(Timestamp at);
// A fresh random UUID (version 4), for names that are not stored keys
// (scratch files).
std::string NewRandomId();

}  // namespace credflow::engine
