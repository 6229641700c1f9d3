#include "engine/audit.h"

namespace credflow::engine {

Result<std::optional<ChainBreak>> VerifyCaseHistory(CaseStore& store, const std::string& case_id) {
  Result<Case> c = store.GetCase(case_id);
  if (!c.ok()) return c.status();
  Result<std::vector<HistoryEvent>> history = store.GetHistory(case_id);
  if (!history.ok()) return history.status();
  return VerifyChain(case_id, *history, c->history_head);
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
  auto mismatch = [&](std::string problem) {
    report.matches = false;
    report.problem = std::move(problem);
    return report;
  };

  const WorkflowDefinition* def = workflows.Find(stored->workflow);
  if (def == nullptr) return mismatch("unknown workflow " + stored->workflow);
  if (history->empty() || history->front().event != "CaseOpened") {
    return mismatch("the history does not start with CaseOpened");
  }

  // The case as it was when opened, rebuilt from the history alone.
  Case shadow = *stored;
  const HistoryEvent& opened = history->front();
  shadow.state = def->initial_state();
  shadow.data = opened.payload.value("data", Json::object());
  shadow.policy = opened.policy;
  report.replayed_state = shadow.state;
  if (opened.to_state != shadow.state) {
    return mismatch("opened in " + opened.to_state + ", but the workflow starts in " + shadow.state);
  }

  for (size_t i = 1; i < history->size(); ++i) {
    const HistoryEvent& e = (*history)[i];
    const SubjectFacts facts = FactsFromJson(shadow.subject, e.payload.value("facts", Json::object()));
    TransitionContext context;
    Status st = BuildContext(rules, shadow, &facts, OfficeDate(e.at), e.at, &context);
    if (!st.ok()) return mismatch("event " + std::to_string(e.seq) + ": " + st.ToString());
    TransitionOutput out;
    out.data = shadow.data;
    st = def->Fire(shadow.state, EventInput{e.event, e.payload.value("data", Json::object()), e.actor}, context, &out);
    if (!st.ok()) {
      return mismatch("event " + std::to_string(e.seq) + " (" + e.event + ") was refused on replay: " + st.ToString());
    }
    if (out.failure) {
      return mismatch("event " + std::to_string(e.seq) + " failed on replay: " + out.failure->ToString());
    }
    if (e.from_state != shadow.state || e.to_state != out.to_state) {
      return mismatch("event " + std::to_string(e.seq) + " (" + e.event + ") is recorded as " + e.from_state + " -> " +
                      e.to_state + " but replays as " + shadow.state + " -> " + out.to_state);
    }
    shadow.state = out.to_state;
    shadow.data = std::move(out.data);
    report.replayed_state = shadow.state;
  }

  if (shadow.state != stored->state) {
    return mismatch("the history ends in " + shadow.state + " but the case is stored in " + stored->state);
  }
  if (shadow.data != stored->data) return mismatch("the replayed case data differ from the stored data");
  report.matches = true;
  return report;
}

}  // namespace credflow::engine
