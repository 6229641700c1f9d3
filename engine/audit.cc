#include "engine/audit.h"

#include "engine/deadlines.h"
#include "engine/history_payload.h"
#include "engine/json_fields.h"

namespace credflow::engine {
namespace {

// The effects the engine writes about subjects, with the defaults it fills
// (CaseService::ApplyEffects).
void CollectSubjectEffects(const Case& c, const Effects& effects, Timestamp at, ReplayedCase* out) {
  for (const Effect& effect : effects) {
    if (const auto* put = std::get_if<PutSubjectRecord>(&effect)) {
      SubjectRecord r = put->record;
      if (r.subject.empty()) r.subject = c.subject;
      if (r.case_id.empty()) r.case_id = c.id;
      out->records.emplace_back(std::move(r), at);
    } else if (const auto* profile = std::get_if<PutSubjectProfile>(&effect)) {
      SubjectProfile p = profile->profile;
      if (p.code.empty()) p.code = c.subject;
      if (p.case_id.empty()) p.case_id = c.id;
      out->profiles.push_back(std::move(p));
    }
  }
}

}  // namespace

Result<std::optional<ChainBreak>> VerifyCaseHistory(CaseStore& store, const std::string& case_id) {
  Result<Case> c = store.GetCase(case_id);
  if (!c.ok()) return c.status();
  Result<std::vector<HistoryEvent>> history = store.GetHistory(case_id);
  if (!history.ok()) return history.status();
  return VerifyChain(case_id, *history, c->history_head);
}

ReplayedCase ReplayHistory(const WorkflowRegistry& workflows, const RuleBook& rules, const Case& stored,
                           const std::vector<HistoryEvent>& history) {
  ReplayedCase out;
  out.row = stored;
  if (history.empty() || history.front().event != "CaseOpened") {
    out.problem = "the history does not start with CaseOpened";
    return out;
  }
  // The case as it was when opened, rebuilt from the history alone.
  const HistoryEvent& opened = history.front();
  const Json& opening = opened.payload;
  Case& shadow = out.row;
  shadow.id = opened.case_id;
  const std::string workflow = TextOf(opening, "workflow");
  if (!workflow.empty()) shadow.workflow = workflow;  // older histories do not name it
  if (auto v = opening.find("definition_version"); v != opening.end() && v->is_number_integer()) {
    shadow.definition_version = v->get<int>();
  }
  shadow.subject = TextOf(opening, "subject");
  shadow.parent_id = TextOf(opening, "parent");
  shadow.department = TextOf(opening, "department");
  shadow.data = ObjectOf(opening, "data");
  shadow.policy = opened.policy;
  shadow.version = 1;
  shadow.reason.clear();
  shadow.history_head = opened.hash;
  shadow.created_at = opened.at;
  shadow.updated_at = opened.at;
  const WorkflowDefinition* def = workflows.Find(shadow.workflow);
  if (def == nullptr) {
    out.problem = "unknown workflow " + shadow.workflow;
    return out;
  }
  shadow.state = def->initial_state();
  shadow.outcome = def->OutcomeOf(shadow.state);
  shadow.closed = def->IsFinal(shadow.state);
  if (opened.to_state != shadow.state) {
    out.problem = "opened in " + opened.to_state + ", but the workflow starts in " + shadow.state;
    return out;
  }

  for (size_t i = 1; i < history.size(); ++i) {
    const HistoryEvent& e = history[i];
    const std::string at = "event " + std::to_string(e.seq) + " (" + e.event + ")";
    if (e.event == kDeadlineRecomputedEvent) {
      // The engine's own event (engine/deadlines.h): no machine runs; the
      // deadline's member of the case data takes the recounted day.
      if (e.from_state != shadow.state || e.to_state != shadow.state) {
        out.problem =
            at + " is recorded as " + e.from_state + " -> " + e.to_state + " but the case is in " + shadow.state;
        return out;
      }
      const std::string field = TextOf(e.payload, "field");
      const std::optional<policies::Date> day = policies::Date::Parse(TextOf(e.payload, "new_due_on"));
      if (!day) {
        out.problem = at + " names no new last day";
        return out;
      }
      if (!field.empty()) {
        if (Status st = SetDeadlineField(&shadow.data, field, *day); !st.ok()) {
          out.problem = at + ": " + st.ToString();
          return out;
        }
      }
      shadow.version = e.seq;
      shadow.history_head = e.hash;
      shadow.updated_at = e.at;
      continue;
    }
    const SubjectFacts facts = FactsFromJson(shadow.subject, ObjectOf(e.payload, "facts"));
    std::optional<std::vector<ChildCase>> children;
    if (auto it = e.payload.find("children"); it != e.payload.end()) children = ChildrenFromJson(*it);
    TransitionContext context;
    Status st = BuildContext(rules, shadow, &facts, OfficeDate(e.at), e.at, &context);
    if (!st.ok()) {
      out.problem = at + ": " + st.ToString();
      return out;
    }
    // The channel the event came through, as the executor recorded it.
    const std::string channel = TextOf(e.payload, "channel");
    context.channel = channel == "timer" ? Channel::kTimer : channel == "engine" ? Channel::kEngine : Channel::kPerson;
    std::vector<ChildCase> none;
    if (const EventSpec* spec = def->FindEvent(e.event); spec != nullptr && spec->reads_children) {
      context.children = children ? &*children : &none;
    }
    TransitionOutput transition;
    transition.data = shadow.data;
    st = def->Fire(shadow.state, EventInput{e.event, ObjectOf(e.payload, "data"), e.actor}, context, &transition);
    if (!st.ok()) {
      out.problem = at + " was refused on replay: " + st.ToString();
      return out;
    }
    if (transition.failure) {
      out.problem = at + " failed on replay: " + transition.failure->ToString();
      return out;
    }
    if (e.from_state != shadow.state || e.to_state != transition.to_state) {
      out.problem = at + " is recorded as " + e.from_state + " -> " + e.to_state + " but replays as " + shadow.state +
                    " -> " + transition.to_state;
      return out;
    }
    shadow.state = transition.to_state;
    shadow.outcome = def->OutcomeOf(shadow.state);
    shadow.closed = def->IsFinal(shadow.state);
    shadow.reason = transition.reason;
    shadow.data = std::move(transition.data);
    shadow.version = e.seq;
    shadow.history_head = e.hash;
    shadow.updated_at = e.at;
    CollectSubjectEffects(shadow, transition.effects, e.at, &out);
  }
  return out;
}

Result<ReplayReport> ReplayCase(CaseStore& store, const WorkflowRegistry& workflows, const RuleBook& rules,
                                const std::string& case_id) {
  Result<Case> stored = store.GetCase(case_id);
  if (!stored.ok()) return stored.status();
  Result<std::vector<HistoryEvent>> history = store.GetHistory(case_id);
  if (!history.ok()) return history.status();

  ReplayReport report;
  report.case_id = case_id;
  report.stored_state = stored->state;
  report.events = static_cast<int64_t>(history->size());
  const ReplayedCase replayed = ReplayHistory(workflows, rules, *stored, *history);
  report.replayed_state = replayed.row.state;
  if (!replayed.problem.empty()) {
    report.problem = replayed.problem;
    return report;
  }
  if (replayed.row.state != stored->state) {
    report.problem = "the history ends in " + replayed.row.state + " but the case is stored in " + stored->state;
  } else if (replayed.row.data != stored->data) {
    report.problem = "the replayed case data differ from the stored data";
  } else {
    report.matches = true;
  }
  return report;
}

}  // namespace credflow::engine
