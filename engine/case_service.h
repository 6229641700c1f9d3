// CaseService: the transition executor, the hot path of credflow.
//
// One command = one store transaction that
//   1. loads the case (and the facts about its subject),
//   2. restores the workflow's machine at the stored state and processes the
//      event with the pinned policy, the calendar and the clock,
//   3. writes the case with an optimistic version check, one hash-chained
//      history event, and every effect the actions returned,
// then commits. An event the state does not accept changes nothing and
// returns FailedPrecondition("event_not_allowed"). A command that carries an
// idempotency key is answered once: a repeat with the same key and the same
// command returns the first answer and applies nothing; the same key with a
// different command is refused ("idempotency_key_reused").
//
// Thread safety: one CaseService serves every thread; it holds no mutable
// state of its own (the store serialises what must be serialised).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/case_store.h"
#include "engine/clock.h"
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

// The answer to a command.
struct CommandResult {
  std::string case_id;
  std::string workflow;
  std::string state;
  std::string outcome;
  std::string reason;
  int64_t version = 0;
  bool replayed = false;  // answered from the idempotency store
  // Cases the command opened besides case_id (a decision's verification
  // case, ...), in order: {id, workflow}.
  std::vector<std::pair<std::string, std::string>> opened;

  Json ToJson() const;
  static CommandResult FromJson(const Json& j);
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

  // Opens a case (and fires request.first_event on it). Returns the new
  // case's state. InvalidArgument("unknown_workflow"), NotFound
  // ("no_policy_in_force") when no policy version covers the relevant date.
  Result<CommandResult> Open(const OpenCaseRequest& request);

  // Fires one event on one case. See the file comment for the failures.
  // Without an expected version, a version conflict with a concurrent write
  // is retried (up to 5 times) on the case as it then is.
  Result<CommandResult> Fire(const FireEventRequest& request);

  // Claims one due timer and fires it through the same path, in one
  // transaction. Returns false when no timer is due. A timer whose event the
  // case no longer accepts is discarded (a "timer.discarded" notice is the
  // trace); one whose event fails for another lasting reason (bad data, a
  // calendar year not yet published) is kept and retried an hour later,
  // with a "timer.failed" notice to the caseworker. Conflicts and store
  // errors roll back and are returned.
  Result<bool> FireNextDueTimer();
  // Fires due timers until none is left (or `limit` were fired); returns how
  // many fired. Conflicts with concurrent commands are retried.
  Result<int> FireDueTimers(int limit = 1 << 20);

  // Runs Fire inside a transaction the caller owns (timers, children).
  Status FireInTransaction(StoreTransaction& tx, const FireEventRequest& request, CommandResult* result);
  Status OpenInTransaction(StoreTransaction& tx, const OpenCaseRequest& request, CommandResult* result);

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

  const WorkflowRegistry& workflows() const { return *workflows_; }
  const RuleBook& rules() const { return rules_; }
  const Clock& clock() const { return *clock_; }
  CaseStore& store() const { return *store_; }

 private:
  // Runs `command` in a transaction, answering from / recording to the
  // idempotency store when `key` is not empty.
  Result<CommandResult> RunCommand(const std::string& key, const std::string& request_hash,
                                   const std::function<Status(StoreTransaction&, CommandResult*)>& command);
  Status ApplyEffects(StoreTransaction& tx, const Case& c, const Effects& effects);
  Status NotifyParent(StoreTransaction& tx, const Case& child);

  CaseStore* store_;
  const WorkflowRegistry* workflows_;
  RuleBook rules_;
  const Clock* clock_;
  // Runs `fn` on a unit of work in a store transaction, flushes it when fn
  // succeeds, and reports the history it wrote to the commit observer once
  // the transaction has committed.
  Status RunObserved(const std::function<Status(UnitOfWork&)>& fn);

  std::function<void(const TransitionTimings&)> timing_observer_;
  std::function<void(const std::vector<std::string>&)> commit_observer_;
};

// Builds the TransitionContext a workflow sees (used by the executor and by
// audit replay, which must give the machine the same inputs).
Status BuildContext(const RuleBook& rules, const Case& c, const SubjectFacts* facts, policies::Date today,
                    Timestamp now, TransitionContext* context);

// The facts as recorded in a history payload, and back.
Json FactsToJson(const SubjectFacts& facts);
SubjectFacts FactsFromJson(const std::string& subject, const Json& j);

// A fresh random UUID (version 4), lower-case text.
std::string NewId();

}  // namespace credflow::engine
