// Opening a case and firing an event on it: the executor of one
// transition, inside a transaction the caller owns.
#include <algorithm>

#include "engine/authorization.h"
#include "engine/case_service.h"
#include "engine/form_data.h"
#include "engine/history.h"
#include "engine/json_fields.h"

namespace credflow::engine {
namespace {

using SteadyClock = std::chrono::steady_clock;

// What the history records of how the event came: nothing for a person
// (the actor says who), "timer" or "engine" otherwise.
const char* ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kPerson: return "person";
    case Channel::kTimer: return "timer";
    case Channel::kEngine: return "engine";
  }
  return "person";
}

// The calendar the transition's deadlines were counted on ({version, hash},
// as engine/deadlines.h records it in each deadline timer), or null when it
// armed none: the history records it as it records the policy version.
Json CalendarOfDeadlines(const Effects& effects) {
  for (const Effect& effect : effects) {
    const auto* timer = std::get_if<SetTimer>(&effect);
    if (timer == nullptr) continue;
    const Json deadline = ObjectOf(timer->payload, "deadline");
    if (deadline.contains("calendar")) return deadline["calendar"];
  }
  return nullptr;
}

std::string EventNames(const WorkflowDefinition& def) {
  std::string names;
  for (const EventSpec& spec : def.events()) names += (names.empty() ? "" : ", ") + spec.name;
  return names;
}

}  // namespace

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

Status ValidateNestedForms(const RuleBook& rules, const WorkflowDefinition& def, const EventSpec& spec,
                           const EventInput& event, const TransitionContext& context) {
  for (const NestedMember& member : spec.nested) {
    if (member.kind != NestedMember::Kind::kForm) continue;
    const std::optional<std::string> form_id = def.FormFor(event.name, context);
    if (!form_id) continue;  // the machine refuses what it cannot check
    const forms::FormDefinition* form = rules.forms->Find(*form_id);
    if (form == nullptr) return Status::Internal("form " + *form_id + " is not loaded");
    auto it = event.data.find(member.name);
    CREDFLOW_RETURN_IF_ERROR(ValidateForm(*form, it == event.data.end() ? Json::object() : *it));
  }
  return Status::Ok();
}

Status CaseService::OpenInTransaction(StoreTransaction& tx, const OpenCaseRequest& request, Channel channel,
                                      CommandResult* result) {
  const WorkflowDefinition* def = workflows_->Find(request.workflow);
  if (def == nullptr) {
    return Status::InvalidArgument("unknown_workflow", "no workflow named '" + request.workflow + "'");
  }
  CREDFLOW_RETURN_IF_ERROR(CheckActorMayAct(request.actor, request.department, "a new case of ", request.workflow));
  CREDFLOW_RETURN_IF_ERROR(CheckCreditCode(request.subject));
  const Timestamp now = clock_->Now();
  const policies::Date relevant = request.relevant_date.value_or(OfficeDate(now));
  const std::string policy_id = def->PolicyIdFor(request.data);
  const policies::Policy* policy = rules_.policies->Select(policy_id, relevant);
  if (policy == nullptr) {
    return Status::NotFound("no_policy_in_force",
                            "no version of policy '" + policy_id + "' is in force on " + relevant.ToString());
  }

  Case c;
  c.id = NewId(now);
  c.workflow = def->name();
  c.definition_version = def->version();
  c.subject = request.subject;
  c.state = def->initial_state();
  c.outcome = def->OutcomeOf(c.state);
  c.closed = def->IsFinal(c.state);
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
                    {"workflow", c.workflow},
                    {"definition_version", c.definition_version},
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

  *result = CommandResult::Of(c);
  for (const EventInput& event : request.events) {
    FireEventRequest next;
    next.case_id = c.id;
    next.event = event;
    Status st = FireInTransaction(tx, next, channel, result);
    if (st.IsFailedPrecondition() && st.reason() == "event_not_allowed") break;
    CREDFLOW_RETURN_IF_ERROR(st);
  }
  return Status::Ok();
}

Status CaseService::FireInTransaction(StoreTransaction& tx, const FireEventRequest& request, Channel channel,
                                      CommandResult* result) {
  const auto t0 = SteadyClock::now();
  Result<Case> loaded = tx.LoadCase(request.case_id);
  if (!loaded.ok()) return loaded.status();
  const Case& before = *loaded;
  const EventInput& event = request.event;
  CREDFLOW_RETURN_IF_ERROR(CheckActorMayAct(event.actor, before.department, "case ", before.id));
  if (request.expected_version && *request.expected_version != before.version) {
    return Status::Conflict("version_mismatch", "case " + before.id + " is at version " +
                                                    std::to_string(before.version) + ", not " +
                                                    std::to_string(*request.expected_version));
  }
  const WorkflowDefinition* def = workflows_->Find(before.workflow);
  if (def == nullptr) return Status::Internal("case " + before.id + " names unknown workflow " + before.workflow);
  if (def->version() != before.definition_version) {
    return Status::FailedPrecondition("definition_version_mismatch",
                                      "case " + before.id + " was written by " + before.workflow + " definition v" +
                                          std::to_string(before.definition_version) + "; this build runs v" +
                                          std::to_string(def->version()) + " (migrate the case explicitly)");
  }
  // The event's declaration decides who may send it and what its data hold,
  // before anything is read for the machine or written.
  const EventSpec* spec = def->FindEvent(event.name);
  if (spec == nullptr) {
    return Status::InvalidArgument("unknown_event", "workflow " + def->name() + " has no event '" + event.name +
                                                        "' (it has: " + EventNames(*def) + ")");
  }
  EventDataProblems problems = CheckEventData(*spec, event.data);
  CREDFLOW_RETURN_IF_ERROR(EventDataStatus(*spec, std::move(problems.shape)));
  CREDFLOW_RETURN_IF_ERROR(CheckChannel(*spec, channel, event.actor));
  CREDFLOW_RETURN_IF_ERROR(EventDataStatus(*spec, std::move(problems.missing)));

  // Only the kinds of record the workflow reads: the store may skip the
  // rest (and the history event that keeps the facts for replay is smaller).
  const std::vector<std::string> kinds = def->FactKinds();
  Result<SubjectFacts> facts =
      kinds.empty() ? tx.LoadSubjectFacts(before.subject) : tx.LoadSubjectFactsOfKinds(before.subject, kinds);
  if (!facts.ok()) return facts.status();
  std::optional<std::vector<ChildCase>> children;
  if (spec->reads_children) {
    Result<std::vector<ChildCase>> loaded_children = tx.LoadChildren(before.id);
    if (!loaded_children.ok()) return loaded_children.status();
    children = std::move(*loaded_children);
  }
  const auto t1 = SteadyClock::now();

  const Timestamp now = clock_->Now();
  TransitionContext context;
  CREDFLOW_RETURN_IF_ERROR(BuildContext(rules_, before, &*facts, OfficeDate(now), now, &context));
  if (children) context.children = &*children;
  context.channel = channel;
  CREDFLOW_RETURN_IF_ERROR(ValidateNestedForms(rules_, *def, *spec, event, context));

  TransitionOutput out;
  out.data = before.data;
  CREDFLOW_RETURN_IF_ERROR(def->Fire(before.state, event, context, &out));
  if (out.failure) return *out.failure;
  const auto t2 = SteadyClock::now();

  // The loaded case becomes the new one (its data are replaced, not copied).
  const std::string from_state = before.state;
  const std::string from_outcome = before.outcome;
  const std::string prev_hash = before.history_head;
  const int64_t loaded_version = before.version;
  Case after = std::move(*loaded);
  after.state = out.to_state;
  after.outcome = def->OutcomeOf(after.state);
  after.closed = def->IsFinal(after.state);
  after.reason = out.reason;
  after.data = std::move(out.data);
  after.version = loaded_version + 1;
  after.updated_at = now;

  HistoryEvent h;
  h.case_id = after.id;
  h.seq = after.version;
  h.event = event.name;
  h.from_state = from_state;
  h.to_state = after.state;
  h.actor = event.actor;
  h.at = now;
  h.payload = {{"data", event.data}, {"facts", FactsToJson(*facts)}};
  if (children) h.payload["children"] = ChildrenToJson(*children);
  if (channel != Channel::kPerson) h.payload["channel"] = ChannelName(channel);
  if (!out.reason.empty()) h.payload["reason"] = out.reason;
  if (!out.decision.is_null()) h.payload["decision"] = out.decision;
  if (Json calendar = CalendarOfDeadlines(out.effects); !calendar.is_null())
    h.payload["calendar"] = std::move(calendar);
  h.policy = after.policy;
  h.prev_hash = prev_hash;
  h.hash = ComputeHash(h);
  after.history_head = h.hash;

  CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(after, loaded_version));
  CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(h));
  CREDFLOW_RETURN_IF_ERROR(ApplyEffects(tx, after, out.effects));
  if (!after.parent_id.empty() && after.outcome != from_outcome) {
    CREDFLOW_RETURN_IF_ERROR(NotifyParent(tx, after));
  }
  const auto t3 = SteadyClock::now();

  *result = CommandResult::Of(after);
  if (timing_observer_) timing_observer_(TransitionTimings{t1 - t0, t2 - t1, t3 - t2});
  return Status::Ok();
}

}  // namespace credflow::engine
