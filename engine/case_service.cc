#include "engine/case_service.h"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "engine/form_data.h"
#include "engine/history.h"

namespace credflow::engine {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How often the scheduler retries a timer whose case was changed by a
// concurrent command.
constexpr int kMaxTimerConflicts = 30;

// How often an event without an expected version is run again after losing
// a race to another write on the same case.
constexpr int kMaxEventConflicts = 5;

// How long a timer whose event cannot apply waits before it is tried again.
constexpr std::chrono::hours kTimerRetryDelay{1};

// Only keyed commands are hashed: the hash exists to tell a retry from a
// different command under the same key.
template <class Describe>
std::string RequestHash(const std::string& key, const Describe& describe) {
  return key.empty() ? std::string() : Sha256Hex(describe().dump());
}

Json Describe(const OpenCaseRequest& r) {
  Json events = Json::array();
  for (const EventInput& e : r.events) events.push_back({{"event", e.name}, {"data", e.data}});
  return {{"op", "open"},          {"workflow", r.workflow},
          {"subject", r.subject},  {"data", r.data},
          {"parent", r.parent_id}, {"relevant_date", r.relevant_date ? r.relevant_date->ToString() : ""},
          {"events", events}};
}

Json Describe(const FireEventRequest& r) {
  return {{"op", "fire"},
          {"case", r.case_id},
          {"event", r.event.name},
          {"data", r.event.data},
          {"expected_version", r.expected_version ? *r.expected_version : -1}};
}

Actor SystemActor() { return Actor{"system", "system", ""}; }

// Checked inside the transaction, whatever an adapter checked before: an
// auditor changes nothing, and a department acts only on its own tasks.
Status CheckActorMayAct(const Actor& actor, const std::string& case_department, const std::string& what) {
  if (actor.role == "auditor") {
    return Status::PermissionDenied("read_only_role", "auditors read cases and change nothing");
  }
  if (actor.role == "department" && (actor.department.empty() || case_department != actor.department)) {
    return Status::PermissionDenied("other_department",
                                    what + " is not a task of department '" + actor.department + "'");
  }
  return Status::Ok();
}

}  // namespace

std::string NewId() {
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

Json CommandResult::ToJson() const {
  Json children = Json::array();
  for (const auto& [id, child_workflow] : opened) children.push_back({{"id", id}, {"workflow", child_workflow}});
  return Json{{"id", case_id},    {"workflow", workflow}, {"state", state},    {"outcome", outcome},
              {"reason", reason}, {"version", version},   {"opened", children}};
}

CommandResult CommandResult::FromJson(const Json& j) {
  CommandResult r;
  r.case_id = j.value("id", "");
  r.workflow = j.value("workflow", "");
  r.state = j.value("state", "");
  r.outcome = j.value("outcome", "");
  r.reason = j.value("reason", "");
  r.version = j.value("version", int64_t{0});
  for (const Json& o : j.value("opened", Json::array())) {
    r.opened.emplace_back(o.value("id", ""), o.value("workflow", ""));
  }
  return r;
}

Json FactsToJson(const SubjectFacts& facts) {
  Json records = Json::array();
  for (const SubjectRecord& r : facts.records) {
    records.push_back({{"id", r.id}, {"kind", r.kind}, {"status", r.status}});
  }
  Json j = {{"records", records}};
  if (facts.profile) {
    const SubjectProfile& p = *facts.profile;
    j["profile"] = {{"status", p.status}, {"grade", p.grade}};
  }
  return j;
}

SubjectFacts FactsFromJson(const std::string& subject, const Json& j) {
  SubjectFacts facts;
  facts.subject = subject;
  if (j.is_object() && j.contains("records")) {
    for (const Json& r : j["records"]) {
      SubjectRecord rec;
      rec.id = r.value("id", "");
      rec.subject = subject;
      rec.kind = r.value("kind", "");
      rec.status = r.value("status", "");
      facts.records.push_back(std::move(rec));
    }
  }
  if (j.is_object() && j.contains("profile")) {
    SubjectProfile p;
    p.code = subject;
    p.status = j["profile"].value("status", "");
    p.grade = j["profile"].value("grade", "");
    facts.profile = std::move(p);
  }
  return facts;
}

Status BuildContext(const RuleBook& rules, const Case& c, const SubjectFacts* facts, policies::Date today,
                    Timestamp now, TransitionContext* context) {
  const policies::Policy* policy = rules.policies->Find(c.policy.id, c.policy.version);
  if (policy == nullptr) {
    return Status::FailedPrecondition("pinned_policy_missing", "case " + c.id + " is pinned to policy " + c.policy.id +
                                                                   " " + c.policy.version + ", which is not loaded");
  }
  if (policy->content_hash != c.policy.content_hash) {
    return Status::FailedPrecondition(
        "pinned_policy_changed", "policy " + c.policy.id + " " + c.policy.version + " no longer has the content case " +
                                     c.id + " was opened under; publish changes as a new version");
  }
  context->current = &c;
  context->policy = policy;
  context->policies = rules.policies;
  context->calendar = rules.calendar;
  context->facts = facts;
  context->today = today;
  context->now = now;
  return Status::Ok();
}

CaseService::CaseService(CaseStore* store, const WorkflowRegistry* workflows, RuleBook rules, const Clock* clock)
    : store_(store), workflows_(workflows), rules_(rules), clock_(clock) {}

Status CaseService::RunObserved(const std::function<Status(UnitOfWork&)>& fn) {
  std::vector<std::string> written;
  Status st = store_->RunInTransaction([&](StoreTransaction& tx) -> Status {
    UnitOfWork work(&tx);  // anew on every attempt the store makes
    CREDFLOW_RETURN_IF_ERROR(fn(work));
    CREDFLOW_RETURN_IF_ERROR(work.Flush());
    written = work.HistoryWorkflows();
    return Status::Ok();
  });
  if (st.ok() && commit_observer_ && !written.empty()) commit_observer_(written);
  return st;
}

Result<CommandResult> CaseService::RunCommand(const std::string& key, const std::string& request_hash,
                                              const std::function<Status(StoreTransaction&, CommandResult*)>& command) {
  CommandResult result;
  auto answer_from_store = [&](StoreTransaction& tx, bool* found) -> Status {
    *found = false;
    Result<std::optional<StoredResponse>> stored = tx.FindResponse(key);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return Status::Ok();
    if ((*stored)->request_hash != request_hash) {
      return Status::InvalidArgument("idempotency_key_reused",
                                     "idempotency key '" + key + "' was used for a different command");
    }
    result = CommandResult::FromJson((*stored)->response);
    result.replayed = true;
    *found = true;
    return Status::Ok();
  };

  Status st = RunObserved([&](UnitOfWork& tx) -> Status {
    if (!key.empty()) {
      bool found = false;
      CREDFLOW_RETURN_IF_ERROR(answer_from_store(tx, &found));
      if (found) return Status::Ok();  // nothing written
    }
    CREDFLOW_RETURN_IF_ERROR(command(tx, &result));
    result.opened.clear();
    for (auto& [id, workflow] : tx.InsertedCases()) {
      if (id != result.case_id) result.opened.emplace_back(id, workflow);
    }
    if (!key.empty()) {
      CREDFLOW_RETURN_IF_ERROR(tx.PutResponse(StoredResponse{key, request_hash, result.case_id, result.ToJson()}));
    }
    return Status::Ok();
  });
  if (st.ok()) return result;
  if (key.empty() || st.reason() == "idempotency_key_reused") return st;
  // A keyed command failed. It may have lost a race to the same command
  // under the same key (a version conflict, a duplicate key, or, under READ
  // COMMITTED, the winner's new state refusing the event): then answer with
  // the winner's result. Never apply the command again.
  bool found = false;
  Status lookup = store_->RunInTransaction([&](StoreTransaction& tx) { return answer_from_store(tx, &found); });
  if (!lookup.ok()) return lookup;
  if (found) return result;
  return st;
}

Result<CommandResult> CaseService::Open(const OpenCaseRequest& request) {
  return RunCommand(
      request.idempotency_key, RequestHash(request.idempotency_key, [&] { return Describe(request); }),
      [&](StoreTransaction& tx, CommandResult* result) { return OpenInTransaction(tx, request, result); });
}

Result<CommandResult> CaseService::Fire(const FireEventRequest& request) {
  const std::string hash = RequestHash(request.idempotency_key, [&] { return Describe(request); });
  auto fire = [&](StoreTransaction& tx, CommandResult* result) { return FireInTransaction(tx, request, result); };
  Result<CommandResult> r = RunCommand(request.idempotency_key, hash, fire);
  // Without an expected version the event is for the case as it is: a race
  // lost to another write on the case is run again on the new version (which
  // may then refuse the event, and says so).
  for (int retry = 0; !r.ok() && !request.expected_version && r.status().IsConflict() && retry < kMaxEventConflicts;
       ++retry) {
    r = RunCommand(request.idempotency_key, hash, fire);
  }
  return r;
}

Status CaseService::OpenInTransaction(StoreTransaction& tx, const OpenCaseRequest& request, CommandResult* result) {
  const WorkflowDefinition* def = workflows_->Find(request.workflow);
  if (def == nullptr) {
    return Status::InvalidArgument("unknown_workflow", "no workflow named '" + request.workflow + "'");
  }
  CREDFLOW_RETURN_IF_ERROR(CheckActorMayAct(request.actor, request.department, "a new " + request.workflow + " case"));
  CREDFLOW_RETURN_IF_ERROR(CheckCreditCode(request.subject));
  const Timestamp now = clock_->Now();
  const policies::Date relevant = request.relevant_date.value_or(OfficeDate(now));
  const policies::Policy* policy = rules_.policies->Select(def->policy_id(), relevant);
  if (policy == nullptr) {
    return Status::NotFound("no_policy_in_force",
                            "no version of policy '" + def->policy_id() + "' is in force on " + relevant.ToString());
  }

  Case c;
  c.id = NewId();
  c.workflow = def->name();
  c.definition_version = def->version();
  c.subject = request.subject;
  c.state = def->initial_state();
  c.outcome = def->OutcomeOf(c.state);
  c.version = 1;
  c.policy = PolicyPin{policy->id, policy->version, policy->content_hash};
  c.data = request.data.is_object() ? request.data : Json::object();
  c.parent_id = request.parent_id;
  c.department = request.department;
  c.created_at = now;
  c.updated_at = now;

  HistoryEvent opened;
  opened.case_id = c.id;
  opened.seq = 1;
  opened.event = "CaseOpened";
  opened.to_state = c.state;
  opened.actor = request.actor;
  opened.at = now;
  opened.payload = {{"data", c.data},
                    {"subject", c.subject},
                    {"parent", c.parent_id},
                    {"department", c.department},
                    {"relevant_date", relevant.ToString()}};
  opened.policy = c.policy;
  opened.prev_hash = kGenesisHash;
  opened.hash = ComputeHash(opened);
  c.history_head = opened.hash;

  CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(c));
  CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(opened));

  *result = CommandResult{c.id, c.workflow, c.state, c.outcome, c.reason, c.version, false, {}};
  for (const EventInput& event : request.events) {
    FireEventRequest next;
    next.case_id = c.id;
    next.event = event;
    Status st = FireInTransaction(tx, next, result);
    if (st.IsFailedPrecondition() && st.reason() == "event_not_allowed") break;
    CREDFLOW_RETURN_IF_ERROR(st);
  }
  return Status::Ok();
}

Status CaseService::FireInTransaction(StoreTransaction& tx, const FireEventRequest& request, CommandResult* result) {
  const auto t0 = SteadyClock::now();
  Result<Case> loaded = tx.LoadCase(request.case_id);
  if (!loaded.ok()) return loaded.status();
  const Case& before = *loaded;
  CREDFLOW_RETURN_IF_ERROR(CheckActorMayAct(request.event.actor, before.department, "case " + before.id));
  if (request.expected_version && *request.expected_version != before.version) {
    return Status::Conflict("version_mismatch", "case " + before.id + " is at version " +
                                                    std::to_string(before.version) + ", not " +
                                                    std::to_string(*request.expected_version));
  }
  const WorkflowDefinition* def = workflows_->Find(before.workflow);
  if (def == nullptr) {
    return Status::Internal("case " + before.id + " names unknown workflow " + before.workflow);
  }
  if (def->version() != before.definition_version) {
    return Status::FailedPrecondition("definition_version_mismatch",
                                      "case " + before.id + " was written by " + before.workflow + " definition v" +
                                          std::to_string(before.definition_version) + "; this build runs v" +
                                          std::to_string(def->version()) + " (migrate the case explicitly)");
  }
  Result<SubjectFacts> facts = tx.LoadSubjectFacts(before.subject);
  if (!facts.ok()) return facts.status();
  const auto t1 = SteadyClock::now();

  const Timestamp now = clock_->Now();
  TransitionContext context;
  CREDFLOW_RETURN_IF_ERROR(BuildContext(rules_, before, &*facts, OfficeDate(now), now, &context));

  if (std::optional<std::string> form_id = def->FormFor(request.event.name, context)) {
    const forms::FormDefinition* form = rules_.forms->Find(*form_id);
    if (form == nullptr) return Status::Internal("form " + *form_id + " is not loaded");
    CREDFLOW_RETURN_IF_ERROR(ValidateForm(*form, request.event.data.value("form", Json::object())));
  }

  TransitionOutput out;
  out.data = before.data;
  CREDFLOW_RETURN_IF_ERROR(def->Fire(before.state, request.event, context, &out));
  if (out.failure) return *out.failure;
  const auto t2 = SteadyClock::now();

  Case after = before;
  after.state = out.to_state;
  after.outcome = def->OutcomeOf(after.state);
  after.reason = out.reason;
  after.data = std::move(out.data);
  after.version = before.version + 1;
  after.updated_at = now;

  HistoryEvent h;
  h.case_id = after.id;
  h.seq = after.version;
  h.event = request.event.name;
  h.from_state = before.state;
  h.to_state = after.state;
  h.actor = request.event.actor;
  h.at = now;
  h.payload = {{"data", request.event.data}, {"facts", FactsToJson(*facts)}};
  if (!out.reason.empty()) h.payload["reason"] = out.reason;
  h.policy = after.policy;
  h.prev_hash = before.history_head;
  h.hash = ComputeHash(h);
  after.history_head = h.hash;

  CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(after, before.version));
  CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(h));
  CREDFLOW_RETURN_IF_ERROR(ApplyEffects(tx, after, out.effects));
  if (!after.parent_id.empty() && after.outcome != before.outcome) {
    CREDFLOW_RETURN_IF_ERROR(NotifyParent(tx, after));
  }
  const auto t3 = SteadyClock::now();

  *result = CommandResult{after.id, after.workflow, after.state, after.outcome, after.reason, after.version, false, {}};
  if (timing_observer_) timing_observer_(TransitionTimings{t1 - t0, t2 - t1, t3 - t2});
  return Status::Ok();
}

Status CaseService::ApplyEffects(StoreTransaction& tx, const Case& c, const Effects& effects) {
  const Timestamp now = clock_->Now();
  for (const Effect& effect : effects) {
    Status st;
    if (const auto* timer = std::get_if<SetTimer>(&effect)) {
      Timer t;
      t.id = NewId();
      t.case_id = c.id;
      t.name = timer->name;
      t.event = timer->event;
      t.payload = timer->payload;
      t.due_on = timer->due_on;
      t.fire_at = StartOfDay(timer->fire_on.value_or(timer->due_on.AddDays(1)));
      st = tx.PutTimer(t);
    } else if (const auto* cancel = std::get_if<CancelTimer>(&effect)) {
      st = tx.CancelTimer(c.id, cancel->name);
    } else if (const auto* put = std::get_if<PutSubjectRecord>(&effect)) {
      SubjectRecord r = put->record;
      if (r.id.empty()) {
        r.id = NewId();
        r.created_at = now;
      }
      if (r.subject.empty()) r.subject = c.subject;
      if (r.case_id.empty()) r.case_id = c.id;
      r.updated_at = now;
      st = tx.PutSubjectRecord(r);
    } else if (const auto* profile = std::get_if<PutSubjectProfile>(&effect)) {
      SubjectProfile sp = profile->profile;
      if (sp.code.empty()) sp.code = c.subject;
      if (sp.case_id.empty()) sp.case_id = c.id;
      sp.updated_at = now;
      st = tx.PutSubjectProfile(sp);
    } else if (const auto* notice = std::get_if<SendNotice>(&effect)) {
      st = tx.PutNotice(Notice{NewId(), c.id, notice->recipient, notice->template_id, notice->data, now});
    } else if (const auto* open = std::get_if<OpenChildCase>(&effect)) {
      OpenCaseRequest child;
      child.workflow = open->workflow;
      child.subject = open->subject.empty() ? c.subject : open->subject;
      child.data = open->data;
      child.actor = SystemActor();
      child.parent_id = c.id;
      child.department = open->department;
      if (!open->first_event.empty()) {
        child.events.push_back(EventInput{open->first_event, open->first_event_data, SystemActor()});
      }
      CommandResult ignored;
      st = OpenInTransaction(tx, child, &ignored);
    }
    CREDFLOW_RETURN_IF_ERROR(st);
  }
  return Status::Ok();
}

Status CaseService::NotifyParent(StoreTransaction& tx, const Case& child) {
  const Timestamp now = clock_->Now();
  CREDFLOW_RETURN_IF_ERROR(
      tx.PutChildOutcome(ChildOutcome{child.parent_id, child.id, child.workflow, child.outcome, now}));
  Timer delivery;
  delivery.id = NewId();
  delivery.case_id = child.parent_id;
  delivery.name = "child:" + child.id + ":" + child.outcome;
  delivery.event = kChildReachedOutcomeEvent;
  // The child's data travel with the delivery (and so into the parent's
  // history): the parent acts on what the child found, e.g. the findings
  // and rectification period of a nonconforming verification.
  delivery.payload = {{"child", child.id},
                      {"workflow", child.workflow},
                      {"outcome", child.outcome},
                      {"reason", child.reason},
                      {"child_data", child.data}};
  delivery.due_on = OfficeDate(now);
  delivery.fire_at = now;
  return tx.PutTimer(delivery);
}

Result<bool> CaseService::FireNextDueTimer() {
  bool fired = false;
  std::optional<Timer> claimed_timer;
  Status st = RunObserved([&](UnitOfWork& tx) -> Status {
    fired = false;
    claimed_timer.reset();
    Result<std::optional<Timer>> claimed = tx.ClaimDueTimer(clock_->Now());
    if (!claimed.ok()) return claimed.status();
    if (!claimed->has_value()) return Status::Ok();
    const Timer& t = **claimed;
    claimed_timer = t;
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteTimer(t.id));
    fired = true;
    Json data = t.payload;
    data["timer"] = t.name;
    data["due_on"] = t.due_on.ToString();
    FireEventRequest request;
    request.case_id = t.case_id;
    request.event = EventInput{t.event, data, SystemActor()};
    CommandResult ignored;
    Status fire = FireInTransaction(tx, request, &ignored);
    // A timer the case has moved past (its state no longer takes the event)
    // is stale, and a child's outcome the parent has no row for is not its
    // business: either is removed, with a notice on the case as the trace.
    const bool stale = fire.IsFailedPrecondition() && fire.reason() == "event_not_allowed";
    const bool unhandled_delivery =
        t.event == kChildReachedOutcomeEvent && (stale || fire.reason() == "invalid_event_data");
    if (stale || unhandled_delivery) {
      return tx.PutNotice(Notice{NewId(), t.case_id, "audit", "timer.discarded",
                                 Json{{"timer", t.name}, {"event", t.event}, {"why", fire.reason()}}, clock_->Now()});
    }
    return fire;
  });
  if (st.ok()) return fired;
  // Conflicts and store trouble: everything rolled back, the timer is due
  // again and the next attempt may succeed.
  const bool retryable =
      st.IsConflict() || st.code() == Status::Code::kUnavailable || st.code() == Status::Code::kInternal;
  if (retryable || !claimed_timer) return st;
  // The event cannot apply as things stand (bad data, a missing policy, a
  // calendar year not yet published). Nothing of it was written. Keep the
  // timer, try it again later, and leave a trace: a deadline must not be
  // lost, and one bad timer must not hold up every timer due after it.
  Timer retry = *claimed_timer;
  retry.id = NewId();
  retry.fire_at = clock_->Now() + kTimerRetryDelay;
  Status kept = store_->RunInTransaction([&](StoreTransaction& tx) -> Status {
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(retry));
    return tx.PutNotice(Notice{NewId(), retry.case_id, "caseworker", "timer.failed",
                               Json{{"timer", retry.name},
                                    {"event", retry.event},
                                    {"why", st.reason()},
                                    {"detail", st.message()},
                                    {"retry_at", FormatTimestamp(retry.fire_at)}},
                               clock_->Now()});
  });
  if (!kept.ok()) return kept;
  return true;
}

Result<int> CaseService::FireDueTimers(int limit) {
  int count = 0;
  int conflicts = 0;
  while (count < limit) {
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
