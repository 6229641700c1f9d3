#include "workflows/remediation_ledger/actions.h"

#include <algorithm>

#include "policies/ledger_rules.h"
#include "policies/repair_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/remediation_ledger/ledger_machine.h"

namespace credflow::workflows::remediation_ledger {
namespace {

using engine::Json;
using engine::Status;

const policies::LedgerSection* Section(const MachineBase& m) {
  return m.context->policy != nullptr ? m.context->policy->Find<policies::LedgerSection>() : nullptr;
}

bool Listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string LedgerRecordId(const std::string& case_id) { return case_id + ":ledger"; }

// The subject record the entry keeps, with `status` (an outcome code).
engine::SubjectRecord LedgerRecord(const MachineBase& m, const std::string& status) {
  const Json& d = m.output->data;
  engine::SubjectRecord r;
  r.id = LedgerRecordId(m.context->current->id);
  r.kind = kLedgerRecord;
  r.status = status;
  r.data = Json::object();
  for (const char* key : {"drawn_on", "classification", "official", "department", "exited_on"}) {
    if (Given(d, key)) r.data[key] = d[key];
  }
  return r;
}

Json NoticeData(const MachineBase& m) {
  const Json& d = m.output->data;
  return Json{{"entry", m.context->current->id},
              {"subject", m.context->current->subject},
              {"official", Text(d, "official")},
              {"department", Text(d, "department")}};
}

// Arms `timer` for `period` of the ledger policy counted from today.
void Arm(MachineBase& m, const std::optional<policies::SourcedPeriod>& period, const char* timer, const char* event,
         const char* field, const char* what) {
  if (!period) {
    Fail(m, Status::FailedPrecondition("no_ledger_rule", std::string("the pinned ledger policy sets no ") + what));
    return;
  }
  const std::optional<engine::Deadline> due = LastDayOrFail(m, m.context->today, *period, what);
  if (!due) return;
  ScheduleDeadline(m, timer, event, *due, std::string("/") + field);
}

}  // namespace

std::string Classify(const MachineBase& m) {
  const policies::LedgerSection* s = Section(m);
  const engine::SubjectFacts& facts = *m.context->facts;
  const std::string status = facts.profile ? facts.profile->status : "";
  if (s == nullptr) return "";
  if (Listed(s->screen_out_statuses, status)) return kScreenedOut;
  for (const engine::SubjectRecord& r : facts.records) {
    if (r.kind == policies::kRecordAbnormalList && r.status == "active" &&
        Listed(s->screen_out_abnormal_violations, Text(r.data, "violation"))) {
      return kScreenedOut;
    }
  }
  if (Listed(s->key_supervision_statuses, status)) return kKeySupervision;
  return kOperating;
}

void EnterLedger(const EventBase& e, MachineBase& m) {
  const policies::LedgerSection* s = Section(m);
  if (s == nullptr) {
    Fail(m, Status::FailedPrecondition("no_ledger_rule", "the pinned policy has no <ledger> section"));
    return;
  }
  Json& d = m.output->data;
  for (const char* key : {"drawn_on", "rule_line", "rule_source", "official", "department"}) {
    if (Given(e.data(), key)) d[key] = e.data()[key];
  }
  const std::string classification = Classify(m);
  d["classification"] = classification;
  d["subject_status"] = m.context->facts->profile ? m.context->facts->profile->status : "";
  // The counts the draw saw (its rule's inputs), as the event brings them.
  d["inputs"] = e.data().value("counts", Json::object());
  const std::string status = classification == kOperating ? std::string(kInLedger) : classification;
  if (classification == kScreenedOut) d["screening_source"] = s->screen_out_source;
  if (classification == kKeySupervision) d["classification_source"] = s->key_supervision_source;
  m.output->reason = classification == kOperating ? "" : classification;
  m.output->effects.push_back(engine::RecordAboutSubject(LedgerRecord(m, status)));
  if (classification == kScreenedOut) return;
  m.output->effects.push_back(engine::Notify("official", kEnteredNotice, NoticeData(m)));
  if (classification == kOperating) {
    Arm(m, s->interview, kInterviewTimer, InterviewDeadlinePassed::kName, "interview_due", "the reminder interview");
  }
}

void RecordInterview(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  Json interview = Json::object();
  for (const char* key : {"kind", "held_on", "official", "attendees", "agreed"}) {
    if (Given(e.data(), key)) interview[key] = e.data()[key];
  }
  interview["recorded_on"] = Today(m);
  interview["recorded_by"] = e.input->actor.user;
  if (!d.contains("interviews") || !d["interviews"].is_array()) d["interviews"] = Json::array();
  d["interviews"].push_back(std::move(interview));
  if (Text(e.data(), "kind") == kWarningInterview) d["warning_due"] = false;
  d.erase("interview_overdue");
  m.output->effects.push_back(engine::DisarmTimer(kInterviewTimer));
  const policies::LedgerSection* s = Section(m);
  Arm(m, s != nullptr ? s->progress : std::nullopt, kProgressTimer, ProgressDeadlinePassed::kName, "progress_due",
      "the progress after an interview");
}

void NoteInterviewOverdue(const EventBase& e, MachineBase& m) {
  (void)e;
  m.output->data["interview_overdue"] = true;
  m.output->effects.push_back(engine::Notify("official", kInterviewOverdueNotice, NoticeData(m)));
}

void RequireWarningInterview(const EventBase& e, MachineBase& m) {
  (void)e;
  Json& d = m.output->data;
  d["warning_due"] = true;
  d["warning_due_since"] = Today(m);
  m.output->effects.push_back(engine::Notify("official", kWarningDueNotice, NoticeData(m)));
}

void StartRectification(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  d["committed_on"] = Today(m);
  if (Given(e.data(), "note")) d["commitment_note"] = e.data()["note"];
  m.output->effects.push_back(engine::DisarmTimer(kProgressTimer));
  const policies::LedgerSection* s = Section(m);
  Arm(m, s != nullptr ? s->rectification : std::nullopt, kRectificationTimer, RectificationDeadlinePassed::kName,
      "rectification_due", "the supervised rectification");
}

void ExitLedger(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  const bool from_key_supervision = m.context->current->state == KeySupervision::kName;
  d["exited_on"] = Text(e.data(), "checked_on").empty() ? Today(m) : Text(e.data(), "checked_on");
  if (Given(e.data(), "reason")) d["exit_reason"] = e.data()["reason"];
  for (const char* timer : {kInterviewTimer, kProgressTimer, kRectificationTimer}) {
    m.output->effects.push_back(engine::DisarmTimer(timer));
  }
  m.output->effects.push_back(engine::RecordAboutSubject(LedgerRecord(m, from_key_supervision ? kExited : kClosed)));
  m.output->effects.push_back(engine::Notify("official", kExitNotice, NoticeData(m)));
}

}  // namespace credflow::workflows::remediation_ledger
