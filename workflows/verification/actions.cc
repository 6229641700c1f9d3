#include "workflows/verification/actions.h"

#include "workflows/verification/guards.h"
#include "workflows/verification/sampling.h"
#include "workflows/verification/verification_workflow.h"

namespace credflow::workflows::verification {
namespace {

using engine::Json;
using engine::Status;

void Fail(MachineBase& m, Status status) {
  if (!m.output->failure) m.output->failure = std::move(status);
}

std::string Today(const MachineBase& m) { return m.context->today.ToString(); }

const policies::VerificationRule* RuleOf(const MachineBase& m) {
  const std::string type = m.output->data.value("commitment_type", "");
  return m.context->policy->FindVerificationRule(type);
}

// The inputs of the draw as the guard and the action both see them.
DrawInputs InputsOf(const EventBase& e, const MachineBase& m) {
  DrawInputs in;
  in.seed = e.data().value("seed", "");
  in.case_id = m.context->current->id;
  in.grade = SubjectGrade(*m.context->policy, *m.context->facts);
  in.verified_in_cycle = e.data().value("verified_in_cycle", 0);
  if (const policies::GradeSampling* g = GradeRule(*m.context->policy, in.grade)) {
    in.ratio = g->ratio;
    in.max_per_cycle = g->max_per_cycle;
  }
  return in;
}

// Arms the verification window, counted from the decision date.
void Schedule(MachineBase& m) {
  const policies::VerificationRule* rule = RuleOf(m);
  if (rule == nullptr) {
    Fail(m, Status::FailedPrecondition("no_verification_rule", "no verification rule for '" +
                                                                   m.output->data.value("commitment_type", "") + "'"));
    return;
  }
  const std::optional<policies::Date> decided = policies::Date::Parse(m.output->data.value("decided_on", Today(m)));
  if (!decided) {
    Fail(m, Status::InvalidArgument("invalid_event_data", "decided_on is not a date"));
    return;
  }
  const std::optional<policies::Date> due =
      m.context->calendar->LastDay(*decided, rule->window.period, rule->window.extend_over_rest_days);
  if (!due) {
    Fail(m,
         Status::FailedPrecondition("calendar_unknown_year",
                                    "the working-day calendar has no data for the window from " + decided->ToString()));
    return;
  }
  Json& data = m.output->data;
  data["due_on"] = due->ToString();
  data["method"] = rule->method;
  data["window"] =
      std::to_string(rule->window.period.count) + " " + policies::Period::UnitName(rule->window.period.unit);
  data["window_source"] = rule->window.source;
  m.output->effects.push_back(
      engine::SetTimer{"verification_due", VerificationOverdue::kName, *due, std::nullopt, Json::object()});
  m.output->effects.push_back(engine::SendNotice{"caseworker", "verification.scheduled",
                                                 Json{{"due_on", due->ToString()}, {"method", rule->method}}});
}

void RecordDraw(const EventBase& e, MachineBase& m) {
  const DrawInputs in = InputsOf(e, m);
  const DrawResult r = Draw(in);
  m.output->data["draw"] = Json{{"seed", in.seed},
                                {"plan_date", e.data().value("plan_date", Today(m))},
                                {"grade", in.grade},
                                {"ratio", in.ratio},
                                {"verified_in_cycle", in.verified_in_cycle},
                                {"max_per_cycle", in.max_per_cycle ? Json(*in.max_per_cycle) : Json(nullptr)},
                                {"u", r.u},
                                {"selected", r.selected},
                                {"reason", r.reason}};
}

}  // namespace

std::string SubjectGrade(const policies::Policy& policy, const engine::SubjectFacts& facts) {
  if (facts.profile && !facts.profile->grade.empty()) return facts.profile->grade;
  return policy.sampling ? policy.sampling->default_grade : "";
}

const policies::GradeSampling* GradeRule(const policies::Policy& policy, const std::string& grade) {
  return policy.sampling ? policy.sampling->Find(grade) : nullptr;
}

bool IsEveryCommitmentVerified(const MachineBase& m) {
  const policies::VerificationRule* rule = RuleOf(m);
  return rule == nullptr || rule->mode == "all";  // no rule: Schedule reports it
}

bool IsDrawSelecting(const EventBase& e, const MachineBase& m) {
  if (e.data().value("seed", "").empty()) return false;
  return Draw(InputsOf(e, m)).selected;
}

bool IsReportConforming(const EventBase& e) {
  return e.data().value("form", Json::object()).value("result", "") == "conforming";
}
bool IsReportNonconforming(const EventBase& e) {
  return e.data().value("form", Json::object()).value("result", "") == "nonconforming";
}

void ScheduleVerificationFor(const EventBase&, MachineBase& m) {
  m.output->data["draw"] = Json{{"mode", "all"}, {"selected", true}, {"reason", "every_commitment_verified"}};
  Schedule(m);
}

void RecordHandOverOf(const EventBase&, MachineBase& m) { m.output->data["awaiting_draw_since"] = Today(m); }

void RecordDrawFor(const EventBase& e, MachineBase& m) {
  if (e.data().value("seed", "").empty()) {
    Fail(m, Status::InvalidArgument("invalid_event_data", "a draw needs a seed"));
    return;
  }
  RecordDraw(e, m);
  Schedule(m);
}

void RecordExemptionFor(const EventBase& e, MachineBase& m) {
  if (e.data().value("seed", "").empty()) {
    Fail(m, Status::InvalidArgument("invalid_event_data", "a draw needs a seed"));
    return;
  }
  RecordDraw(e, m);
  m.output->data["exempted_on"] = Today(m);
  m.output->reason = m.output->data["draw"].value("reason", "not_sampled");
  m.output->effects.push_back(
      engine::SendNotice{"caseworker", "verification.exempted",
                         Json{{"reason", m.output->reason},
                              {"note", "exempted subjects stay under routine supervision (Shenzhen art 63)"}}});
}

void RecordStartOf(const EventBase& e, MachineBase& m) {
  m.output->data["started_on"] = Today(m);
  if (e.data().contains("inspector")) m.output->data["inspector"] = e.data()["inspector"];
}

void RecordReportOf(const EventBase& e, MachineBase& m) {
  const Json form = e.data().value("form", Json::object());
  Json& data = m.output->data;
  data["report"] = form;
  data["result"] = form.value("result", "");
  data["verified_on"] = form.value("verified_on", Today(m));
  if (form.contains("findings")) data["findings"] = form["findings"];
  if (form.contains("rectification_days")) data["rectification_days"] = form["rectification_days"];
  m.output->effects.push_back(engine::CancelTimer{"verification_due"});
}

void MarkOverdueFor(const EventBase&, MachineBase& m) {
  m.output->data["overdue"] = true;
  m.output->effects.push_back(
      engine::SendNotice{"caseworker", "verification.overdue", Json{{"due_on", m.output->data.value("due_on", "")}}});
}

}  // namespace credflow::workflows::verification
