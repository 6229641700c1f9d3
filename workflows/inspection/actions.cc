#include "workflows/inspection/actions.h"

#include <optional>
#include <string>
#include <vector>

#include "policies/inspection_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/inspection/inspection_workflow.h"
#include "workflows/inspection/names.h"
#include "workflows/verification/sampling.h"

namespace credflow::workflows::inspection {
namespace {

using engine::Json;
using engine::Status;

const policies::InspectionSection* Section(const MachineBase& m) {
  return m.context->policy != nullptr ? m.context->policy->Find<policies::InspectionSection>() : nullptr;
}

// An integer member, or nullopt when absent or of another type.
std::optional<int> Integer(const Json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_number_integer() ? std::optional<int>(it->get<int>()) : std::nullopt;
}

void FailData(MachineBase& m, const std::string& message) {
  Fail(m, Status::InvalidArgument("invalid_event_data", message));
}

// The visit's record about the subject, with `status`.
engine::SubjectRecord VisitRecord(const MachineBase& m, const std::string& status) {
  const Json& d = m.output->data;
  engine::SubjectRecord r;
  r.id = m.context->current->id + ":" + kInspectionRecord;
  r.kind = kInspectionRecord;
  r.status = status;
  for (const char* key : {"cycle", "grounds", "opened_on", "joint", "concluded_on"}) {
    if (Given(d, key)) r.data[key] = d[key];
  }
  return r;
}

// Keeps the visit's record and gives each inspecting department its task:
// the policy's department, or every department of the joint inspection.
void Dispatch(MachineBase& m, const policies::InspectionSection& s, const policies::InspectionCycle& cycle,
              const policies::JointInspection* joint, const std::string& grounds) {
  const std::vector<std::string> departments = joint != nullptr ? joint->departments : std::vector{s.department};
  Json& d = m.output->data;
  d["cycle"] = cycle.id;
  d["grounds"] = grounds;
  d["opened_on"] = Today(m);
  d["due_on"] = cycle.last.ToString();  // inspected within the cycle
  d["joint"] = joint != nullptr ? joint->id : "";
  if (joint != nullptr) {
    d["joint_name"] = joint->name;
    d["joint_source"] = joint->source;
  }
  d["departments"] = departments;
  d["tasks_opened"] = departments.size();
  m.output->effects.push_back(engine::RecordAboutSubject(VisitRecord(m, kRecordOpen)));
  for (const std::string& department : departments) {
    Json task = {
        {"visit", m.context->current->id}, {"cycle", cycle.id},        {"grounds", grounds},   {"joint", d["joint"]},
        {"departments", departments},      {"department", department}, {"due_on", d["due_on"]}};
    m.output->effects.push_back(engine::OpenChild(kTaskWorkflowName, std::move(task))
                                    .AsTaskOf(department)
                                    .ThenRaise(InspectionAssigned::kName));
  }
}

// The draw the event brings, or why it cannot stand: it must be the plan's
// (the seed derived from its cycle), of the grade and the draw the pinned
// policy gives the subject, over the inspections the subject has in this
// transaction, and it must select the subject. A grade or an inspection
// that changed since the plan was drawn is a Conflict (kPlanInputsChanged):
// the plan is drawn again.
std::optional<verification::DrawInputs> CheckedDraw(const EventBase& e, MachineBase& m,
                                                    const policies::InspectionSection& s) {
  const Json& data = e.data();
  const std::string cycle_id = Text(data, "cycle");
  const std::optional<policies::InspectionCycle> cycle = policies::ParseInspectionCycle(cycle_id);
  if (!cycle || cycle->unit != s.cycle) {
    FailData(m, "cycle '" + cycle_id + "' is not a " + s.cycle + " of the pinned inspection policy");
    return std::nullopt;
  }
  if (Text(data, "seed") != PlanSeed(cycle_id)) {
    FailData(m, "the plan of cycle " + cycle_id + " draws with the seed \"" + PlanSeed(cycle_id) + "\"");
    return std::nullopt;
  }
  const std::string grade = Text(data, "grade");
  const policies::GradeSampling* rule = s.Find(grade);
  if (rule == nullptr) {
    FailData(m, "the pinned inspection policy has no ratio for grade " + grade);
    return std::nullopt;
  }
  const std::string graded = GradeOf(s, *m.context->facts);
  if (graded != grade) {
    Fail(m, Status::Conflict(kPlanInputsChanged, "subject " + m.context->current->subject + " is of grade " + graded +
                                                     " now; the plan drew it as grade " + grade));
    return std::nullopt;
  }
  const int inspected = InspectionsInCycle(*m.context->facts, cycle_id);
  if (Integer(data, "inspected_in_cycle") != inspected) {
    Fail(m, Status::Conflict(kPlanInputsChanged, "subject " + m.context->current->subject + " has " +
                                                     std::to_string(inspected) + " inspection(s) in cycle " + cycle_id +
                                                     " now, not as many as the plan saw"));
    return std::nullopt;
  }
  if (Text(data, "mode") != rule->draw) {
    FailData(m, "grade " + grade + " is drawn " + rule->draw + " under the pinned policy, not " + Text(data, "mode"));
    return std::nullopt;
  }
  verification::DrawInputs in;
  in.seed = Text(data, "seed");
  in.case_id = m.context->current->subject;  // an inspection draw is keyed by the subject
  in.grade = grade;
  in.ratio = rule->ratio;
  in.verified_in_cycle = inspected;
  in.max_per_cycle = rule->max_per_cycle;
  if (rule->draw == policies::kDrawQuota) {
    for (const char* key : {"candidates", "quota", "position", "selected_before", "candidates_sha256"}) {
      if (!Given(data, key)) {
        FailData(m, std::string("a quota draw needs ") + key);
        return std::nullopt;
      }
    }
    verification::QuotaPlace place;
    place.candidates = Integer(data, "candidates").value_or(0);
    place.quota = Integer(data, "quota").value_or(0);
    place.position = Integer(data, "position").value_or(0);
    place.selected_before = Integer(data, "selected_before").value_or(0);
    place.candidates_sha256 = Text(data, "candidates_sha256");
    if (place.quota != verification::QuotaOf(rule->ratio, place.candidates)) {
      FailData(m, "quota " + std::to_string(place.quota) + " is not round(" + std::to_string(rule->ratio) + " x " +
                      std::to_string(place.candidates) + ")");
      return std::nullopt;
    }
    if (place.position >= place.candidates || place.selected_before > place.position) {
      FailData(m, "the position lies outside the candidates");
      return std::nullopt;
    }
    in.quota = place;
  }
  if (!verification::Draw(in).selected) {
    FailData(m, "the draw does not select subject " + m.context->current->subject);
    return std::nullopt;
  }
  const policies::JointInspection* joint = s.JointFor(grade);
  const std::string expected_joint = joint != nullptr ? joint->id : "";
  if (Text(data, "joint") != expected_joint) {
    FailData(m, "grade " + grade + " is visited " +
                    (joint != nullptr ? "jointly by '" + expected_joint + "'" : std::string("by one department")) +
                    " under the pinned policy");
    return std::nullopt;
  }
  return in;
}

// The tasks' results as delivered so far, with the one `e` brings: child id
// -> {outcome, department, findings, inspected_on, inspectors}. A result is
// never replaced by a later delivery.
Json ResultsWith(const EventBase& e, const MachineBase& m) {
  Json results = m.output->data.value("results", Json::object());
  if (!results.is_object()) results = Json::object();
  if (Text(e.data(), "workflow") != kTaskWorkflowName) return results;
  const std::string child = Text(e.data(), "child");
  const std::string known = Text(results.value(child, Json::object()), "outcome");
  if (known == kPassed || known == kProblemsFound) return results;
  const Json child_data = e.data().value("child_data", Json::object());
  Json one = {{"outcome", Text(e.data(), "outcome")}, {"department", Text(child_data, "department")}};
  for (const char* key : {"findings", "inspected_on", "inspectors"}) {
    if (Given(child_data, key)) one[key] = child_data[key];
  }
  results[child] = std::move(one);
  return results;
}

}  // namespace

std::string PlanSeed(const std::string& cycle_id) { return "inspection:" + cycle_id; }

std::string GradeOf(const policies::InspectionSection& section, const engine::SubjectFacts& facts) {
  if (facts.profile && !facts.profile->grade.empty()) return facts.profile->grade;
  return section.default_grade;
}

int InspectionsInCycle(const engine::SubjectFacts& facts, const std::string& cycle_id) {
  int n = 0;
  for (const engine::SubjectRecord& r : facts.records) {
    if (r.kind == kInspectionRecord && Text(r.data, "cycle") == cycle_id) ++n;
  }
  return n;
}

JoinVerdict ClassifyJoin(const EventBase& e, const MachineBase& m) {
  // Join once every task opened has delivered its result: each (task,
  // outcome) is delivered exactly once (engine/effects.h), and a task
  // concludes only with a result, so the last delivery joins.
  const Json results = ResultsWith(e, m);
  const int opened = m.output->data.value("tasks_opened", 0);
  int concluded = 0;
  bool problems = false;
  for (const auto& [child, one] : results.items()) {
    (void)child;
    const std::string outcome = Text(one, "outcome");
    if (outcome == kPassed || outcome == kProblemsFound) ++concluded;
    problems = problems || outcome == kProblemsFound;
  }
  if (opened == 0 || concluded < opened) return JoinVerdict::kWaiting;
  return problems ? JoinVerdict::kProblemsFound : JoinVerdict::kPassed;
}

void DispatchPlanned(const EventBase& e, MachineBase& m) {
  const policies::InspectionSection* s = Section(m);
  if (s == nullptr) {
    Fail(m, Status::FailedPrecondition("no_inspection_rule", "the pinned policy has no <inspection-plan>"));
    return;
  }
  const std::optional<verification::DrawInputs> in = CheckedDraw(e, m, *s);
  if (!in) return;
  const verification::DrawResult r = verification::Draw(*in);
  Json draw = {{"seed", in->seed},
               {"mode", in->quota ? policies::kDrawQuota : policies::kDrawIndependent},
               {"grade", in->grade},
               {"ratio", in->ratio},
               {"inspected_in_cycle", in->verified_in_cycle},
               {"max_per_cycle", in->max_per_cycle ? Json(*in->max_per_cycle) : Json(nullptr)},
               {"selected", r.selected},
               {"reason", r.reason}};
  if (in->quota) {
    draw["candidates"] = in->quota->candidates;
    draw["quota"] = in->quota->quota;
    draw["position"] = in->quota->position;
    draw["selected_before"] = in->quota->selected_before;
    draw["candidates_sha256"] = in->quota->candidates_sha256;
  } else {
    draw["u"] = r.u;
  }
  m.output->data["draw"] = std::move(draw);
  const policies::InspectionCycle cycle = *policies::ParseInspectionCycle(Text(e.data(), "cycle"));
  Dispatch(m, *s, cycle, s->JointFor(in->grade), kGroundsPlan);
}

void DispatchRequested(const EventBase& e, MachineBase& m) {
  const policies::InspectionSection* s = Section(m);
  if (s == nullptr) {
    Fail(m, Status::FailedPrecondition("no_inspection_rule", "the pinned policy has no <inspection-plan>"));
    return;
  }
  const policies::JointInspection* joint = nullptr;
  const std::string joint_id = Text(e.data(), "joint");
  if (!joint_id.empty()) {
    joint = s->FindJoint(joint_id);
    if (joint == nullptr) {
      Fail(m, Status::InvalidArgument(
                  "invalid_event_data", "no joint inspection '" + joint_id + "' in the pinned inspection policy",
                  {{"joint", "unknown_joint_inspection", "joint must name a <joint-inspection> of the policy"}}));
      return;
    }
  }
  Json& d = m.output->data;
  if (Given(e.data(), "note")) d["note"] = e.data()["note"];
  d["requested_by"] = e.input->actor.user;
  Dispatch(m, *s, policies::InspectionCycleOf(s->cycle, m.context->today), joint, Text(e.data(), "grounds"));
}

void NoteResult(const EventBase& e, MachineBase& m) { m.output->data["results"] = ResultsWith(e, m); }

void Conclude(const EventBase& e, MachineBase& m) {
  const JoinVerdict verdict = ClassifyJoin(e, m);
  NoteResult(e, m);
  Json& d = m.output->data;
  d["concluded_on"] = Today(m);
  const char* outcome = verdict == JoinVerdict::kProblemsFound ? kProblemsFound : kPassed;
  Json findings = Json::array();
  for (const auto& [child, one] : d["results"].items()) {
    if (Text(one, "outcome") != kProblemsFound) continue;
    findings.push_back({{"task", child}, {"department", Text(one, "department")}, {"findings", Text(one, "findings")}});
  }
  d["findings"] = findings;
  m.output->effects.push_back(engine::RecordAboutSubject(VisitRecord(m, outcome)));
  m.output->effects.push_back(engine::Notify("caseworker", kConcludedNotice,
                                             Json{{"visit", m.context->current->id},
                                                  {"subject", m.context->current->subject},
                                                  {"cycle", Text(d, "cycle")},
                                                  {"outcome", outcome},
                                                  {"findings", findings}}));
}

bool ResultIs(const EventBase& e, const char* result) { return Text(e.data(), "result") == result; }

void NotifyDepartment(const EventBase& e, MachineBase& m) {
  (void)e;
  Json& d = m.output->data;
  d["assigned_on"] = Today(m);
  m.output->effects.push_back(engine::Notify("department:" + m.context->current->department, kTaskAssignedNotice,
                                             Json{{"task", m.context->current->id},
                                                  {"visit", Text(d, "visit")},
                                                  {"subject", m.context->current->subject},
                                                  {"cycle", Text(d, "cycle")},
                                                  {"joint", Text(d, "joint")},
                                                  {"departments", d.value("departments", Json::array())},
                                                  {"due_on", Text(d, "due_on")}}));
}

void RecordResult(const EventBase& e, MachineBase& m) {
  const Json& data = e.data();
  const std::string result = Text(data, "result");
  if (result == kProblemsFound && Text(data, "findings").find_first_not_of(" \t\r\n") == std::string::npos) {
    Fail(m, Status::InvalidArgument("invalid_event_data", "a result with problems states what was found",
                                    {{"findings", "required", "findings is required when problems were found"}}));
    return;
  }
  const std::optional<policies::Date> inspected_on = PastDayOrFail(m, data, "inspected_on", "invalid_event_data");
  if (!inspected_on) return;
  Json& d = m.output->data;
  d["result"] = result;
  d["inspected_on"] = inspected_on->ToString();
  d["recorded_on"] = Today(m);
  d["recorded_by"] = e.input->actor.user;
  for (const char* key : {"findings", "inspectors"}) {
    if (Given(data, key)) d[key] = data[key];
  }
  m.output->reason = result == kProblemsFound ? kProblemsFound : "";
}

}  // namespace credflow::workflows::inspection
