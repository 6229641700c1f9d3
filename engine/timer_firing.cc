// The timer scheduler: claims due timers and fires their events through the
// executor, several timers per transaction (each on a unit of work of its
// own), one alone when a batch fails.
#include <algorithm>
#include <set>

#include "engine/authorization.h"
#include "engine/case_service.h"

namespace credflow::engine {
namespace {

// How often the scheduler retries a timer whose case was changed by a
// concurrent command.
constexpr int kMaxTimerConflicts = 30;

// How long a timer whose event cannot apply waits before it is tried again.
constexpr std::chrono::hours kTimerRetryDelay{1};

// How many due timers one transaction claims. Each costs the transaction a
// transition; together they share its claim, its commit and its flush to
// disk (on SQLite, also its turn at the one writer). A batch holds its
// claims (and on SQLite the writer) while it runs, so it stays small.
constexpr int kTimersPerTransaction = 32;

}  // namespace

Status CaseService::FireClaimedTimer(UnitOfWork& tx, const Timer& t, Timestamp now, std::set<std::string>* touched) {
  // A timer event fires only once its time has come: the claim promises
  // it, and the executor relies on it.
  if (now < t.fire_at) return Status::Internal("the store claimed timer " + t.id + " before it was due");
  touched->insert(t.case_id);
  CREDFLOW_RETURN_IF_ERROR(tx.DeleteTimer(t.id));
  Json data = t.payload;
  data.erase("deadline");          // how the day was counted (engine/deadlines.h) is the timer's, not the event's
  if (!IsDeliveryTimer(t.name)) {  // a delivery is no deadline
    data["timer"] = t.name;
    data["due_on"] = t.due_on.ToString();
  }
  FireEventRequest request;
  request.case_id = t.case_id;
  request.event = EventInput{t.event, data, SystemActor()};
  // The transition runs on a unit of work of its own: when it fails, none
  // of its writes reach the timer's transaction, whatever becomes of the
  // timer.
  UnitOfWork transition(&tx);
  CommandResult ignored;
  Status fire = FireInTransaction(transition, request, Channel::kTimer, &ignored);
  if (fire.ok()) {
    transition.AddTouchedCases(touched);
    return transition.Flush();
  }
  // A timer the case has moved past (its state no longer takes the event)
  // is stale, and a delivery to a parent that takes no deliveries at all is
  // not its business: either is removed, with a notice on the case as the
  // trace. Anything else is the caller's to handle.
  const bool stale = fire.IsFailedPrecondition() && fire.reason() == "event_not_allowed";
  bool unhandled_delivery = false;
  if (t.event == kChildReachedOutcomeEvent && fire.reason() == "unknown_event") {
    Result<Case> parent = tx.LoadCase(t.case_id);
    const WorkflowDefinition* def = parent.ok() ? workflows_->Find(parent->workflow) : nullptr;
    unhandled_delivery = def != nullptr && def->FindEvent(kChildReachedOutcomeEvent) == nullptr;
  }
  if (stale || unhandled_delivery) {
    return tx.PutNotice(Notice{NewId(clock_->Now()), t.case_id, "audit", "timer.discarded",
                               Json{{"timer", t.name}, {"event", t.event}, {"why", fire.reason()}}, clock_->Now()});
  }
  return fire;
}

Result<bool> CaseService::FireNextDueTimer() {
  bool fired = false;
  std::optional<Timer> claimed_timer;
  Status st = RunObserved([&](UnitOfWork& tx) -> Status {
    fired = false;
    claimed_timer.reset();
    const Timestamp now = clock_->Now();
    Result<std::optional<Timer>> claimed = tx.ClaimDueTimer(now);
    if (!claimed.ok()) return claimed.status();
    if (!claimed->has_value()) return Status::Ok();
    claimed_timer = **claimed;
    fired = true;
    std::set<std::string> touched;
    return FireClaimedTimer(tx, **claimed, now, &touched);
  });
  if (st.ok()) return fired;
  // Conflicts and store trouble: everything rolled back, the timer is due
  // again and the next attempt may succeed.
  // A workflow that threw is no store trouble: it fails the same way until
  // fixed, so it is kept and retried later like any lasting failure.
  const bool retryable = st.IsConflict() || st.code() == Status::Code::kUnavailable ||
                         (st.code() == Status::Code::kInternal && st.reason() != "workflow_failed");
  if (retryable || !claimed_timer) return st;
  // The event cannot apply as things stand (bad data, a missing policy, a
  // calendar year not yet published). Nothing of it was written. Keep the
  // timer, try it again later, and leave a trace: a deadline must not be
  // lost, and one bad timer must not hold up every timer due after it.
  Timer retry = *claimed_timer;
  const Timestamp now = clock_->Now();
  retry.id = NewId(now);
  retry.fire_at = now + kTimerRetryDelay;
  Status kept = store_->RunInTransaction([&](StoreTransaction& tx) -> Status {
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(retry));
    return tx.PutNotice(Notice{NewId(now), retry.case_id, "caseworker", "timer.failed",
                               Json{{"timer", retry.name},
                                    {"event", retry.event},
                                    {"why", st.reason()},
                                    {"detail", st.message()},
                                    {"retry_at", FormatTimestamp(retry.fire_at)}},
                               now});
  });
  if (!kept.ok()) return kept;
  return true;
}

Result<int> CaseService::FireDueTimerBatch(int limit) {
  int fired = 0;
  Status st = RunObserved([&](UnitOfWork& tx) -> Status {
    fired = 0;
    const Timestamp now = clock_->Now();
    Result<std::vector<Timer>> claimed = tx.ClaimDueTimers(now, limit);
    if (!claimed.ok()) return claimed.status();
    std::set<std::string> touched;
    for (const Timer& t : *claimed) {
      // An earlier transition of this batch may have cancelled or re-armed
      // a timer of a case it touched: that case's timers wait for the next
      // transaction, which sees what this one did.
      if (touched.count(t.case_id) != 0) continue;
      CREDFLOW_RETURN_IF_ERROR(FireClaimedTimer(tx, t, now, &touched));
      ++fired;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return fired;
}

Result<int> CaseService::FireDueTimers(int limit) {
  int count = 0;
  int conflicts = 0;
  while (count < limit) {
    Result<int> batch = FireDueTimerBatch(std::min(kTimersPerTransaction, limit - count));
    if (batch.ok()) {
      if (*batch == 0) break;
      count += *batch;
      continue;
    }
    // The batch rolled back. The earliest due timer goes alone, on the path
    // that keeps a timer whose event fails and returns what cannot be kept;
    // batches resume after it.
    Result<bool> fired = FireNextDueTimer();
    if (!fired.ok()) {
      if (fired.status().IsConflict() && ++conflicts < kMaxTimerConflicts) continue;
      return fired.status();
    }
    if (!*fired) break;
    ++count;
  }
  return count;
}

}  // namespace credflow::engine
