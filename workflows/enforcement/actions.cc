#include "workflows/enforcement/actions.h"

#include <optional>
#include <string>

#include "policies/enforcement_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/enforcement/enforcement_workflow.h"
#include "workflows/enforcement/names.h"
#include "workflows/record/events.h"
#include "workflows/record/names.h"

namespace credflow::workflows::enforcement {
namespace {

using engine::Json;
using engine::Status;
using policies::Date;

bool Flag(const Json& data, const char* key, bool fallback) {
  auto it = data.find(key);
  return it != data.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// A report run through the pinned decision table.
struct Triage {
  Status status = Status::Ok();
  const policies::ViolationItem* item = nullptr;
  const policies::Policy* listed_by = nullptr;
  const policies::DiscretionSection* table = nullptr;
  const policies::DiscretionRule* rule = nullptr;
  policies::DiscretionInputs inputs;
  Date lookback_start;
  Json same_type = Json::array();  // the earlier violations that make it not the first
};

Triage TriageOf(const Json& report, const MachineBase& m) {
  Triage t;
  const policies::Policy& pinned = *m.context->policy;
  t.table = pinned.Find<policies::DiscretionSection>();
  if (t.table == nullptr) {
    t.status = Status::FailedPrecondition("no_discretion_table",
                                          "policy " + pinned.id + " " + pinned.version + " has no <discretion-table>");
    return t;
  }
  const std::string code = Text(report, "violation");
  t.item = policies::FindViolation(*m.context->policies, pinned, code, m.context->today, &t.listed_by);
  if (t.item == nullptr) {
    t.status = Status::FailedPrecondition(
        kUnknownViolation,
        "violation '" + code + "' is on no violation catalogue in force on " + m.context->today.ToString());
    return t;
  }
  const Date today = m.context->today;
  t.lookback_start = policies::LookbackStart(t.table->lookback, today);
  for (const engine::SubjectRecord& r : m.context->facts->records) {
    if (r.case_id == m.context->current->id || Text(r.data, "violation") != code) continue;
    const std::optional<Date> decided = Date::Parse(Text(r.data, "decided_on"));
    if (!decided || *decided < t.lookback_start || today < *decided) continue;
    t.same_type.push_back(Json{{"record", r.id}, {"kind", r.kind}, {"decided_on", decided->ToString()}});
  }
  t.inputs.list = t.item->list;
  t.inputs.harm = Text(report, "harm");
  t.inputs.fault = Flag(report, "fault", true);
  t.inputs.first_violation = t.same_type.empty();
  t.inputs.harm_reduced = Flag(report, "harm_reduced", false);
  t.inputs.grade = m.context->facts->profile ? m.context->facts->profile->grade : std::string();
  t.inputs.commitment = Flag(report, "rectification_commitment", false);
  t.rule = t.table->Match(t.inputs);
  if (t.rule == nullptr) {
    t.status = Status::FailedPrecondition("no_discretion_rule",
                                          "no rule of " + pinned.id + " " + pinned.version + " matches the report");
  }
  return t;
}

// What the row rested on, as auditors ask it ("why no penalty?").
Json TriageRecord(const Triage& t, const MachineBase& m) {
  const policies::Policy& pinned = *m.context->policy;
  const policies::DiscretionInputs& in = t.inputs;
  return Json{{"rule",
               {{"id", t.rule->id},
                {"line", t.rule->line},
                {"source", t.rule->source},
                {"outcome", t.rule->outcome},
                {"after_rectification", t.rule->after_rectification},
                {"reason", t.rule->reason}}},
              {"hit_policy", t.table->hit_policy},
              {"policy", {{"id", pinned.id}, {"version", pinned.version}}},
              {"inputs",
               {{"list", in.list},
                {"harm", in.harm},
                {"fault", in.fault},
                {"first_violation", in.first_violation},
                {"harm_reduced", in.harm_reduced},
                {"grade", in.grade},
                {"commitment", in.commitment}}},
              {"violation",
               {{"code", t.item->code},
                {"name", t.item->name},
                {"list", t.item->list},
                {"list_source", t.item->list_source},
                {"catalogue", {{"id", t.listed_by->id}, {"version", t.listed_by->version}}}}},
              {"first_violation",
               {{"lookback", Describe(t.table->lookback.period)},
                {"lookback_source", t.table->lookback.source},
                {"since", t.lookback_start.ToString()},
                {"same_type", t.same_type}}}};
}

// Copies the report into the case and triages it; false after failing the
// transition when it cannot be triaged.
bool TakeReport(const EventBase& e, MachineBase& m, Triage* t) {
  Json& data = m.output->data;
  for (const auto& [key, value] : e.data().items()) data[key] = value;
  data["fault"] = Flag(data, "fault", true);
  data["harm_reduced"] = Flag(data, "harm_reduced", false);
  data["rectification_commitment"] = Flag(data, "rectification_commitment", false);
  if (!Given(data, "procedure")) data["procedure"] = kOrdinaryProcedure;
  data["reported_on"] = Today(m);
  *t = TriageOf(e.data(), m);
  if (!t->status.ok()) {
    Fail(m, t->status);
    return false;
  }
  data["violation_name"] = t->item->name;
  data["list"] = t->item->list;
  data["triage"] = TriageRecord(*t, m);
  return true;
}

// The finding about the subject that the next report's first-violation
// check reads (same id for the life of the case).
engine::SubjectRecord Finding(const MachineBase& m, const std::string& status) {
  const Json& d = m.output->data;
  engine::SubjectRecord r;
  r.id = FindingRecordId(m.context->current->id);
  r.subject = m.context->current->subject;
  r.kind = kViolationFindingRecord;
  r.status = status;
  r.case_id = m.context->current->id;
  r.data = Json{{"violation", Text(d, "violation")},
                {"violation_name", Text(d, "violation_name")},
                {"list", Text(d, "list")},
                {"decided_on", Text(d, "reported_on")},
                {"harm", Text(d, "harm")},
                {"procedure", Text(d, "procedure")},
                {"outcome", status}};
  if (Given(d, "triage")) r.data["rule"] = d["triage"]["rule"]["id"];
  r.created_at = m.context->now;
  for (const engine::SubjectRecord& existing : m.context->facts->records) {
    if (existing.id == r.id) r.created_at = existing.created_at;
  }
  return r;
}

// A penalty (mitigated or ordinary) becomes a dishonesty record of the
// repair lifecycle: a child case that the policy's platform shows by the
// regime in force today, served with its repair notice (两书同达). The
// deciding department is the report's (the officer's own, ReportViolation),
// else the policy's.
void OpenPenaltyRecord(MachineBase& m, const std::string& outcome) {
  const Json& d = m.output->data;
  const policies::PenaltyRecordRule& rule = m.context->policy->Find<policies::DiscretionSection>()->penalty_record;
  std::string department = Text(d, "department");
  if (department.empty()) department = rule.department;
  Json record = {{"department", department},
                 {"platform", rule.platform},
                 {"kind", "penalty"},
                 {"violation", Text(d, "violation")},
                 {"simple_procedure", Text(d, "procedure") == "on_the_spot"},
                 {"decided_on", Today(m)},
                 {"summary", Text(d, "violation_name") + " (" + outcome + ")"}};
  for (const char* key : {"penalties", "amount", "tier", "sector", "decision_number"}) {
    if (Given(d, key)) record[key] = d[key];
  }
  m.output->data["penalty_record"] =
      Json{{"platform", rule.platform}, {"department", department}, {"source", rule.source}};
  m.output->effects.push_back(engine::OpenChild(record::kWorkflowName, Json{{"platform", rule.platform}})
                                  .ThenRaise(record::RecordDecided::kName, std::move(record)));
}

// Writes the decision into the case and its history event, with its effects.
// `by` says what decided: the table row at once ("table_row"), or, for a
// row that waited, "rectified_in_time" or "rectification_missed".
void Decide(MachineBase& m, const char* by, const std::string& outcome, const std::string& reason,
            const std::string& basis) {
  Json& d = m.output->data;
  const Json& rule = d["triage"]["rule"];
  Json decision = {{"outcome", outcome},
                   {"decided_on", Today(m)},
                   {"by", by},
                   {"rule", rule.value("id", "")},
                   {"rule_line", rule.value("line", 0)},
                   {"basis", basis}};
  if (!reason.empty()) decision["reason"] = reason;
  if (outcome == kNoPenalty) {
    // art 33(3): no penalty, but education is mandatory.
    decision["education"] = {{"required", true}, {"source", "行政处罚法 (2021) art 33(3) (V)"}};
  }
  d["decision"] = decision;
  m.output->reason = reason;
  m.output->decision = Json{{"decision", decision}, {"triage", d["triage"]}};
  m.output->effects.push_back(engine::RecordAboutSubject(Finding(m, outcome)));
  Json notice = {{"violation", Text(d, "violation")},
                 {"violation_name", Text(d, "violation_name")},
                 {"outcome", outcome},
                 {"rule", rule.value("id", "")},
                 {"basis", basis}};
  if (!reason.empty()) notice["reason"] = reason;
  m.output->effects.push_back(engine::Notify("applicant", kDecisionNotice, notice));
  if (outcome != kNoPenalty) OpenPenaltyRecord(m, outcome);
  if (outcome == kNoPenalty) {
    m.output->effects.push_back(
        engine::Notify("applicant", kEducationNotice,
                       Json{{"violation", Text(d, "violation")}, {"violation_name", Text(d, "violation_name")}}));
  }
}

void EndRectification(MachineBase& m, bool rectified) {
  Json& d = m.output->data;
  d["rectification"][rectified ? "rectified_on" : "missed_on"] = Today(m);
  m.output->effects.push_back(engine::DisarmTimer(kRectificationTimer));
}

}  // namespace

Triaged TriageRoute(const EventBase& e, const MachineBase& m) {
  const Triage t = TriageOf(e.data(), m);
  if (!t.status.ok()) return Triaged::kOrdinaryPenalty;  // DecideAtOnce refuses it
  if (t.rule->after_rectification) {
    return t.inputs.commitment ? Triaged::kCommitmentGiven : Triaged::kRectificationOrdered;
  }
  if (t.rule->outcome == kNoPenalty) return Triaged::kNoPenalty;
  if (t.rule->outcome == kMitigated) return Triaged::kMitigated;
  return Triaged::kOrdinaryPenalty;
}

bool RectifiedToNoPenalty(const MachineBase& m) {
  const Json& data = m.context->current->data;
  const auto triage = data.find("triage");
  if (triage == data.end() || !triage->is_object()) return false;
  return Text(triage->value("rule", Json::object()), "outcome") == kNoPenalty;
}

void DecideAtOnce(const EventBase& e, MachineBase& m) {
  Triage t;
  if (!TakeReport(e, m, &t)) return;
  Decide(m, "table_row", t.rule->outcome, t.rule->reason, t.rule->source);
}

void AwaitRectification(const EventBase& e, MachineBase& m) {
  Triage t;
  if (!TakeReport(e, m, &t)) return;
  Json& d = m.output->data;
  policies::SourcedPeriod period = t.item->rectification;
  if (Given(d, "rectification_days")) {
    period.period = policies::Period{d["rectification_days"].get<int>(), policies::Period::Unit::kCalendarDays};
    period.source = "rectification_days of the report (set by the officer)";
  }
  const std::optional<engine::Deadline> deadline =
      LastDayOrFail(m, m.context->today, period, "the rectification period");
  if (!deadline) return;
  const bool commitment = t.inputs.commitment;
  d["rectification"] = Json{{"ordered_on", Today(m)},
                            {"period", Describe(period.period)},
                            {"extend_over_rest_days", period.extend_over_rest_days},
                            {"source", period.source},
                            {"commitment", commitment}};
  m.output->decision = Json{{"triage", d["triage"]}, {"awaiting", commitment ? "commitment" : "rectification"}};
  ScheduleDeadline(m, kRectificationTimer, RectificationDeadlinePassed::kName, *deadline, "/rectification/due_on");
  m.output->effects.push_back(engine::RecordAboutSubject(Finding(m, engine::kOutcomePending)));
  m.output->effects.push_back(engine::Notify("applicant",
                                             commitment ? kCommitmentAcceptedNotice : kRectificationOrderNotice,
                                             Json{{"violation", Text(d, "violation")},
                                                  {"violation_name", Text(d, "violation_name")},
                                                  {"deadline", deadline->last.ToString()},
                                                  {"deadline_provisional", deadline->provisional},
                                                  {"on_time", t.rule->outcome},
                                                  {"rule", t.rule->id}}));
}

void DecideOnRectification(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  if (Given(e.data(), "note")) d["rectification"]["note"] = e.data()["note"];
  EndRectification(m, true);
  const Json& rule = d["triage"]["rule"];
  Decide(m, "rectified_in_time", Text(rule, "outcome"), "",
         Text(rule, "source") + "; rectified within the period on " + Today(m));
}

void DecideRectificationMissed(const EventBase& e, MachineBase& m) {
  (void)e;
  EndRectification(m, false);
  Decide(m, kRectificationMissed, kOrdinaryPenalty, kRectificationMissed,
         "行政处罚法 (2021) art 33(1) (V): not corrected within the period ordered (及时改正 not met); the "
         "ordinary procedure applies");
}

void RecordCommitmentBreach(const EventBase& e, MachineBase& m) {
  (void)e;
  EndRectification(m, false);
  Decide(m, kRectificationMissed, kOrdinaryPenalty, kRectificationMissed,
         "Jiangsu 信用+渐进式执法 (V~): the written rectification commitment was not kept; ordinary procedure");
  const Json& d = m.output->data;
  engine::SubjectRecord breach;
  breach.id = CommitmentBreachRecordId(m.context->current->id);
  breach.subject = m.context->current->subject;
  breach.kind = kCommitmentBreachRecord;
  breach.status = kRecordActive;
  breach.case_id = m.context->current->id;
  breach.data =
      Json{{"violation", Text(d, "violation")},
           {"committed_on", Text(d["rectification"], "ordered_on")},
           {"due_on", Text(d["rectification"], "due_on")},
           {"breached_on", Today(m)},
           {"source",
            "Jiangsu 信用+ (V~): a commitment not kept is a breach like a false commitment (国办发〔2020〕42号, "
            "V~; 深圳经济特区社会信用条例 art 59(4), V)"}};
  breach.created_at = m.context->now;
  m.output->effects.push_back(engine::RecordAboutSubject(breach));
  m.output->effects.push_back(
      engine::Notify("applicant", kCommitmentBreachNotice,
                     Json{{"violation", Text(d, "violation")}, {"record", breach.id}, {"breached_on", Today(m)}}));
}

}  // namespace credflow::workflows::enforcement
