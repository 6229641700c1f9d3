#include "workflows/verification/actions.h"

#include "policies/verification_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/verification/guards.h"
#include "workflows/verification/sampling.h"
#include "workflows/verification/verification_workflow.h"

namespace credflow::workflows::verification {
namespace {

using engine::Json;
using engine::Status;

const policies::VerificationRule* RuleOf(const MachineBase& m) {
  return policies::FindVerificationRule(*m.context->policy, Text(m.output->data, "commitment_type"));
}

// An integer member, or nullopt when absent or of another type.
std::optional<int> Integer(const Json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_number_integer() ? std::optional<int>(it->get<int>()) : std::nullopt;
}

bool IsQuotaEvent(const EventBase& e) { return Text(e.data(), "mode") == policies::kDrawQuota; }

// The inputs of the draw as the guard and the action both see them. A quota
// draw is of the grade the plan grouped it under (recorded in the event); an
// independent one of the subject's grade now.
DrawInputs InputsOf(const EventBase& e, const MachineBase& m) {
  DrawInputs in;
  in.seed = Text(e.data(), "seed");
  in.case_id = m.context->current->id;
  const std::string recorded_grade = Text(e.data(), "grade");
  in.grade =
      IsQuotaEvent(e) && !recorded_grade.empty() ? recorded_grade : SubjectGrade(*m.context->policy, *m.context->facts);
  in.verified_in_cycle = Integer(e.data(), "verified_in_cycle").value_or(0);
  const policies::GradeSampling* g = GradeRule(*m.context->policy, in.grade);
  if (g != nullptr) {
    in.ratio = g->ratio;
    in.max_per_cycle = g->max_per_cycle;
  }
  if (g != nullptr && g->draw == policies::kDrawQuota) {
    QuotaPlace place;
    place.candidates = Integer(e.data(), "candidates").value_or(0);
    place.quota = Integer(e.data(), "quota").value_or(0);
    place.position = Integer(e.data(), "position").value_or(0);
    place.selected_before = Integer(e.data(), "selected_before").value_or(0);
    place.candidates_sha256 = Text(e.data(), "candidates_sha256");
    in.quota = place;
  }
  return in;
}

// Why the event cannot apply the draw, or "" when it can: a seed is
// needed, and a grade the policy draws by quota needs the commitment's place
// in the quota, consistent with N and the ratio.
std::string DrawDataProblem(const EventBase& e, const MachineBase& m) {
  if (Text(e.data(), "seed").empty()) return "a draw needs a seed";
  const DrawInputs in = InputsOf(e, m);
  if (in.quota.has_value() != IsQuotaEvent(e)) {
    return "grade " + in.grade + " is drawn " + (in.quota ? "by quota" : "independently") +
           " under the case's policy, but the draw says otherwise";
  }
  if (!in.quota) return "";
  for (const char* key : {"grade", "candidates", "quota", "position", "selected_before", "candidates_sha256"}) {
    if (!Given(e.data(), key)) return std::string("a quota draw needs ") + key;
  }
  const QuotaPlace& q = *in.quota;
  if (q.quota != QuotaOf(in.ratio, q.candidates)) {
    return "quota " + std::to_string(q.quota) + " is not round(" + std::to_string(in.ratio) + " x " +
           std::to_string(q.candidates) + ")";
  }
  if (q.position >= q.candidates || q.selected_before > q.position) return "the position lies outside the candidates";
  return "";
}

// Arms the verification window, counted from the decision date.
void Schedule(MachineBase& m) {
  const policies::VerificationRule* rule = RuleOf(m);
  if (rule == nullptr) {
    Fail(m, Status::FailedPrecondition("no_verification_rule",
                                       "no verification rule for '" + Text(m.output->data, "commitment_type") + "'"));
    return;
  }
  const std::string decided_on = Text(m.output->data, "decided_on");
  const std::optional<policies::Date> decided =
      decided_on.empty() ? std::optional<policies::Date>(m.context->today) : policies::Date::Parse(decided_on);
  if (!decided) {
    Fail(m, Status::InvalidArgument("invalid_event_data", "decided_on is not a date"));
    return;
  }
  const std::optional<engine::Deadline> due = LastDayOrFail(m, *decided, rule->window, "the window");
  if (!due) return;
  Json& data = m.output->data;
  data["method"] = rule->method;
  data["window"] = Describe(rule->window.period);
  data["window_source"] = rule->window.source;
  ScheduleDeadline(m, kDueTimer, VerificationOverdue::kName, *due, "/due_on");
  m.output->effects.push_back(engine::Notify(
      "caseworker", "verification.scheduled",
      Json{{"due_on", due->last.ToString()}, {"provisional", due->provisional}, {"method", rule->method}}));
}

void RecordDraw(const EventBase& e, MachineBase& m) {
  const DrawInputs in = InputsOf(e, m);
  const DrawResult r = Draw(in);
  const std::string plan_date = Text(e.data(), "plan_date");
  Json draw = Json{{"seed", in.seed},
                   {"plan_date", plan_date.empty() ? Today(m) : plan_date},
                   {"mode", in.quota ? policies::kDrawQuota : policies::kDrawIndependent},
                   {"grade", in.grade},
                   {"ratio", in.ratio},
                   {"verified_in_cycle", in.verified_in_cycle},
                   {"max_per_cycle", in.max_per_cycle ? Json(*in.max_per_cycle) : Json(nullptr)},
                   {"selected", r.selected},
                   {"reason", r.reason}};
  if (in.quota) {
    draw["candidates"] = in.quota->candidates;
    draw["quota"] = in.quota->quota;
    draw["position"] = in.quota->position;
    draw["selected_before"] = in.quota->selected_before;
    draw["candidates_sha256"] = in.quota->candidates_sha256;
  } else {
    draw["u"] = r.u;
  }
  m.output->data["draw"] = std::move(draw);
}

// The result the report states: conforming, nonconforming, or "".
std::string ReportResult(const EventBase& e) {
  return Given(e.data(), "form") ? Text(e.data()["form"], "result") : std::string();
}

}  // namespace

std::string SubjectGrade(const policies::Policy& policy, const engine::SubjectFacts& facts) {
  if (facts.profile && !facts.profile->grade.empty()) return facts.profile->grade;
  const policies::VerificationSection* section = policy.Find<policies::VerificationSection>();
  return section != nullptr && section->sampling ? section->sampling->default_grade : "";
}

const policies::GradeSampling* GradeRule(const policies::Policy& policy, const std::string& grade) {
  const policies::VerificationSection* section = policy.Find<policies::VerificationSection>();
  return section != nullptr && section->sampling ? section->sampling->Find(grade) : nullptr;
}

bool IsEveryCommitmentVerified(const MachineBase& m) {
  const policies::VerificationRule* rule = RuleOf(m);
  return rule == nullptr || rule->mode == "all";  // no rule: Schedule reports it
}

bool IsDrawSelecting(const EventBase& e, const MachineBase& m) {
  if (!DrawDataProblem(e, m).empty()) return false;  // RecordExemption refuses it
  return Draw(InputsOf(e, m)).selected;
}

bool IsReportConforming(const EventBase& e) { return ReportResult(e) == kConforming; }
bool IsReportNonconforming(const EventBase& e) { return ReportResult(e) == kNonconforming; }

void ScheduleVerificationFor(const EventBase&, MachineBase& m) {
  m.output->data["draw"] = Json{{"mode", "all"}, {"selected", true}, {"reason", kEveryCommitmentVerified}};
  Schedule(m);
}

void RecordHandOverOf(const EventBase&, MachineBase& m) { m.output->data["awaiting_draw_since"] = Today(m); }

void RecordDrawFor(const EventBase& e, MachineBase& m) {
  if (const std::string problem = DrawDataProblem(e, m); !problem.empty()) {
    Fail(m, Status::InvalidArgument("invalid_event_data", problem));
    return;
  }
  RecordDraw(e, m);
  Schedule(m);
}

void RecordExemptionFor(const EventBase& e, MachineBase& m) {
  if (const std::string problem = DrawDataProblem(e, m); !problem.empty()) {
    Fail(m, Status::InvalidArgument("invalid_event_data", problem));
    return;
  }
  RecordDraw(e, m);
  m.output->data["exempted_on"] = Today(m);
  const std::string reason = Text(m.output->data["draw"], "reason");
  m.output->reason = reason.empty() ? kNotSampled : reason;
  m.output->effects.push_back(
      engine::Notify("caseworker", "verification.exempted",
                     Json{{"reason", m.output->reason},
                          {"note", "exempted subjects stay under routine supervision (Shenzhen art 63)"}}));
}

void RecordStartOf(const EventBase& e, MachineBase& m) {
  m.output->data["started_on"] = Today(m);
  if (Given(e.data(), "inspector")) m.output->data["inspector"] = e.data()["inspector"];
}

void RecordReportOf(const EventBase& e, MachineBase& m) {
  const Json form = Given(e.data(), "form") ? e.data()["form"] : Json::object();
  // The rectification order states what was found: a nonconforming report
  // without findings cannot become one.
  if (Text(form, "result") == kNonconforming &&
      Text(form, "findings").find_first_not_of(" \t\r\n") == std::string::npos) {
    Fail(m,
         Status::InvalidArgument("invalid_form", "a nonconforming report states what was found",
                                 {{"findings", "required", "findings is required when the result is nonconforming"}}));
    return;
  }
  const std::optional<policies::Date> verified_on = PastDayOrFail(m, form, "verified_on", "invalid_form");
  if (!verified_on) return;
  Json& data = m.output->data;
  data["report"] = form;
  data["result"] = Text(form, "result");
  data["verified_on"] = verified_on->ToString();
  if (Given(form, "findings")) data["findings"] = form["findings"];
  if (Given(form, "rectification_days")) data["rectification_days"] = form["rectification_days"];
  m.output->effects.push_back(engine::DisarmTimer(kDueTimer));
}

void MarkOverdueFor(const EventBase&, MachineBase& m) {
  m.output->data["overdue"] = true;
  m.output->effects.push_back(
      engine::Notify("caseworker", "verification.overdue", Json{{"due_on", Text(m.output->data, "due_on")}}));
}

}  // namespace credflow::workflows::verification
