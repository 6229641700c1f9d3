#include "workflows/record/actions.h"

#include <optional>
#include <string>

#include "policies/repair_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/record/events.h"
#include "workflows/record/names.h"
#include "workflows/record/record_workflow.h"

namespace credflow::workflows::record {
namespace {

using engine::Json;
using engine::Status;
using policies::Date;

const policies::RepairRegimeSection* PinnedRegime(const MachineBase& m) {
  return policies::FindRepairRegime(*m.context->policy);
}

std::optional<policies::PublicationWindow> WindowOf(const MachineBase& m, const Json& data) {
  const policies::RepairRegimeSection* regime = PinnedRegime(m);
  if (regime == nullptr) return std::nullopt;
  return policies::DerivePublicationWindow(*regime, RecordFactsOf(data));
}

std::optional<Date> DateAt(const Json& data, const char* key) { return Date::Parse(Text(data, key)); }

// The documents an application for this record must bring under the regime
// in force today (for the notices that tell the subject what to bring).
Json DocumentsToBring(const MachineBase& m, const Json& data) {
  Json documents = Json::array();
  const policies::RepairRegimeSection* regime =
      RegimeOn(*m.context->policies, Text(data, "platform"), m.context->today);
  if (regime == nullptr) return documents;
  if (const policies::DocumentRule* rule = regime->MatchDocuments(RecordFactsOf(data))) {
    for (const std::string& d : rule->documents) documents.push_back(d);
  }
  if (regime->interview_required) documents.push_back("interview_record");
  return documents;
}

// The subject record the case keeps: what repair intake, the commitment
// route and the grade read about the record, in the subject's facts.
engine::SubjectRecord SubjectRecordOf(const MachineBase& m, const std::string& status) {
  const Json& d = m.output->data;
  engine::SubjectRecord r;
  r.id = SubjectRecordId(m.context->current->id);
  r.kind = Text(d, "kind");
  r.status = status;
  // What repair intake, the tasks and the grade read; the rest stays on the case.
  for (const char* key : {"platform",
                          "kind",
                          "tier",
                          "penalties",
                          "amount",
                          "sector",
                          "violation",
                          "simple_procedure",
                          "specific_serious",
                          "decided_on",
                          "published_on",
                          "restriction_until",
                          "department",
                          "department_name",
                          "decision_number",
                          "regime",
                          "regime_title",
                          "repairable",
                          "refusal",
                          "earliest_repair",
                          "publication_ends",
                          "obligations_fulfilled"}) {
    if (Given(d, key)) r.data[key] = d[key];
  }
  for (const engine::SubjectRecord& existing : m.context->facts->records) {
    if (existing.id == r.id) r.created_at = existing.created_at;
  }
  return r;
}

Json NoticeData(const MachineBase& m) {
  const Json& d = m.output->data;
  Json n = {{"record", m.context->current->id}, {"subject", m.context->current->subject}};
  for (const char* key : {"kind", "platform", "department", "department_name", "tier", "decided_on", "decision_number",
                          "earliest_repair", "publication_ends", "regime_title"}) {
    if (Given(d, key)) n[key] = d[key];
  }
  return n;
}

// Arms the timer that ends publication after its last day (none when the
// record has no automatic end).
void ArmPublicationEnd(MachineBase& m) {
  const std::optional<Date> ends = DateAt(m.output->data, "window_ends");
  if (!ends) return;
  m.output->data["publication_ends"] = ends->ToString();
  m.output->effects.push_back(engine::ArmTimer(kPublicationEndTimer, PublicationPeriodEnded::kName, *ends));
}

}  // namespace

bool IsPublished(const EventBase& e, const MachineBase& m) {
  const std::optional<policies::PublicationWindow> window = WindowOf(m, e.data());
  // No window: the action reports the gap; either row leads there.
  return !window || window->published;
}

void DecideRecord(const EventBase& e, MachineBase& m) {
  const policies::RepairRegimeSection* regime = PinnedRegime(m);
  if (regime == nullptr) {
    Fail(m, Status::FailedPrecondition("no_repair_regime", "policy " + m.context->policy->id + " " +
                                                               m.context->policy->version + " has no <repair-regime>"));
    return;
  }
  Json& d = m.output->data;
  for (const auto& [key, value] : e.data().items()) d[key] = value;
  if (!Given(d, "published_on")) d["published_on"] = Text(d, "decided_on");
  const policies::RecordFacts facts = RecordFactsOf(d);
  if (facts.platform != regime->platform) {
    Fail(m, Status::Internal("a " + facts.platform + " record pinned the " + regime->platform + " track"));
    return;
  }
  const std::optional<policies::PublicationWindow> window = policies::DerivePublicationWindow(*regime, facts);
  if (!window) {
    Fail(m, Status::FailedPrecondition("no_window_rule",
                                       "the " + regime->regime + " regime (policy " + m.context->policy->version +
                                           ") has no publication rule for a " + facts.kind + " record of tier '" +
                                           facts.tier + "' on " + facts.platform));
    return;
  }
  d["regime"] = regime->regime;
  d["regime_title"] = regime->title;
  d["window_source"] = window->source;
  d["published"] = window->published;
  d["period_starts"] = window->starts.ToString();
  d["repairable"] = window->repairable;
  if (!window->refusal.empty()) d["refusal"] = window->refusal;
  if (window->ends) d["window_ends"] = window->ends->ToString();
  if (window->earliest_repair) d["earliest_repair"] = window->earliest_repair->ToString();
  if (window->escalates_on) d["escalates_on"] = window->escalates_on->ToString();
  d["obligations_fulfilled"] = false;

  if (!window->published) {
    m.output->effects.push_back(engine::RecordAboutSubject(SubjectRecordOf(m, kNotPublished)));
    return;
  }
  ArmPublicationEnd(m);
  const Date today = m.context->today;
  // 修复提醒: on the first day a repair can succeed on time grounds.
  if (window->repairable && window->earliest_repair && today < *window->earliest_repair) {
    m.output->effects.push_back(
        engine::ArmTimer(kRepairableTimer, RepairableFromReached::kName, window->earliest_repair->AddDays(-1)));
  }
  if (window->escalates_on) {
    m.output->effects.push_back(engine::ArmTimer(kEscalationTimer, EscalationDue::kName, *window->escalates_on));
  }
  m.output->effects.push_back(engine::RecordAboutSubject(SubjectRecordOf(m, kStatusActive)));
  // 两书同达: the decision carries its repair notice, saying from when and
  // with what the subject may apply (or why it cannot).
  Json notice = NoticeData(m);
  notice["repairable"] = window->repairable;
  if (!window->refusal.empty()) notice["refusal"] = window->refusal;
  notice["documents"] = DocumentsToBring(m, d);
  m.output->effects.push_back(engine::Notify("applicant", kRepairNotice, std::move(notice)));
}

// Obligations are performed once: a second report is refused (it would
// move the date the repair conditions read), as is a date after today or
// before the decision that imposed them.
void RecordFulfilment(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  if (d.value("obligations_fulfilled", false)) {
    Fail(m, Status::FailedPrecondition("already_fulfilled", "the obligations were recorded as performed on " +
                                                                Text(d, "obligations_fulfilled_on") +
                                                                "; a record's fulfilment is recorded once"));
    return;
  }
  const std::string on = Text(e.data(), "fulfilled_on");
  const std::optional<Date> date = Date::Parse(on);
  if (date && m.context->today < *date) {
    Fail(m, Status::InvalidArgument("date_in_future", "fulfilled_on is after today",
                                    {{"fulfilled_on", "date_in_future", "fulfilled_on must not be after today"}}));
    return;
  }
  const std::optional<Date> decided = Date::Parse(Text(d, "decided_on"));
  if (date && decided && *date < *decided) {
    const std::string problem = "fulfilled_on " + on + " is before the decision of " + decided->ToString();
    Fail(m, Status::InvalidArgument("before_decision", problem, {{"fulfilled_on", "before_decision", problem}}));
    return;
  }
  d["obligations_fulfilled"] = true;
  d["obligations_fulfilled_on"] = date ? date->ToString() : Today(m);
  if (Given(e.data(), "note")) d["obligations_note"] = e.data()["note"];
  const std::string status = m.context->current->state == "Published" ? kStatusActive : m.context->current->outcome;
  m.output->effects.push_back(engine::RecordAboutSubject(SubjectRecordOf(m, status)));
}

void EndPublication(const EventBase& e, MachineBase& m) {
  (void)e;
  m.output->data["expired_on"] = Today(m);
  m.output->effects.push_back(engine::DisarmTimer(kRepairableTimer));
  m.output->effects.push_back(engine::DisarmTimer(kEscalationTimer));
  m.output->effects.push_back(engine::RecordAboutSubject(SubjectRecordOf(m, kExpired)));
  m.output->effects.push_back(engine::Notify("applicant", kExpiredNotice, NoticeData(m)));
}

void RemindRepairable(const EventBase& e, MachineBase& m) {
  (void)e;
  Json notice = NoticeData(m);
  notice["documents"] = DocumentsToBring(m, m.output->data);
  notice["obligations_fulfilled"] = m.output->data.value("obligations_fulfilled", false);
  m.output->effects.push_back(engine::Notify("applicant", kRepairableNotice, std::move(notice)));
}

void NotifyEscalation(const EventBase& e, MachineBase& m) {
  (void)e;
  m.output->data["escalation_due_since"] = Today(m);
  Json notice = NoticeData(m);
  notice["escalates_on"] = Text(m.output->data, "escalates_on");
  const std::string department = Text(m.output->data, "department");
  m.output->effects.push_back(engine::Notify("department:" + department, kEscalationNotice, notice));
  m.output->effects.push_back(engine::Notify("caseworker", kEscalationNotice, std::move(notice)));
  m.output->effects.push_back(engine::RecordAboutSubject(SubjectRecordOf(m, kStatusActive)));
}

void MarkRepaired(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  d["repaired_on"] = Today(m);
  d["repair_case"] = Text(e.data(), "repair_case");
  // A temporary repair (bankruptcy reorganisation) shields the record; it is
  // shown again should the reorganisation fail (RepairRevoked).
  d["repair_kind"] = e.data().value("temporary", false) ? "temporary_shielding" : "repair";
  d["publication_ends"] = Today(m);
  // The platform stops showing it within the regime's time, counted from
  // the approval under the regime in force today.
  const policies::RepairRegimeSection* regime = RegimeOn(*m.context->policies, Text(d, "platform"), m.context->today);
  if (regime != nullptr) {
    const std::optional<engine::Deadline> stop =
        LastDayOrFail(m, m.context->today, regime->stop_publication, "the stop of publication");
    if (!stop) return;
    d["stop_publication_due"] = stop->last.ToString();
    if (stop->provisional) d["stop_publication_provisional"] = true;
  }
  for (const char* timer : {kPublicationEndTimer, kRepairableTimer, kEscalationTimer}) {
    m.output->effects.push_back(engine::DisarmTimer(timer));
  }
  m.output->effects.push_back(engine::RecordAboutSubject(SubjectRecordOf(m, kRepaired)));
  Json notice = NoticeData(m);
  notice["stop_publication_due"] = Text(d, "stop_publication_due");
  m.output->effects.push_back(engine::Notify("platform:" + Text(d, "platform"), kStopPublicationNotice, notice));
}

void RestorePublication(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  d["repair_revoked_on"] = Today(m);
  d["repair_revoked_by"] = Text(e.data(), "repair_case");
  d.erase("repaired_on");
  d.erase("repair_kind");
  d.erase("stop_publication_due");
  d.erase("publication_ends");
  ArmPublicationEnd(m);
  m.output->effects.push_back(engine::RecordAboutSubject(SubjectRecordOf(m, kStatusActive)));
  Json notice = NoticeData(m);
  notice["reason"] = Text(e.data(), "reason");
  m.output->effects.push_back(engine::Notify("platform:" + Text(d, "platform"), kPublicationRestoredNotice, notice));
}

}  // namespace credflow::workflows::record
