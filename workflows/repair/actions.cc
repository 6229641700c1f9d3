#include "workflows/repair/actions.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "policies/repair_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/child_outcome.h"
#include "workflows/record/events.h"
#include "workflows/record/names.h"
#include "workflows/record/record_workflow.h"
#include "workflows/repair/events.h"
#include "workflows/repair/names.h"

namespace credflow::workflows::repair {
namespace {

using engine::Json;
using engine::Status;
using policies::Date;

// What intake found for one record.
struct RecordIntakeResult {
  std::string record;      // the record's case id
  std::string department;  // its deciding department
  std::string platform;
  std::string result;  // task | denied | out_of_scope
  std::string reason;
  std::optional<Date> earliest;  // first day it can succeed on time grounds
  std::vector<std::string> missing;
  Json facts = Json::object();  // the subject record's data, for the task
};

struct IntakeResult {
  std::vector<RecordIntakeResult> records;
  std::vector<std::string> missing;  // every missing document, once
  std::optional<Status> problem;     // the application itself is wrong (unknown record, ...)
};

std::vector<std::string> Strings(const Json& data, const char* key) {
  std::vector<std::string> out;
  if (auto it = data.find(key); it != data.end() && it->is_array()) {
    for (const Json& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// The records and the documents as they stand after event `e`.
std::vector<std::string> RecordsOf(const EventBase& e, const MachineBase& m) {
  if (e.data().contains("records")) return Strings(e.data(), "records");
  return Strings(m.output->data, "records");
}
std::set<std::string> DocumentsOf(const EventBase& e, const MachineBase& m) {
  std::set<std::string> documents;
  for (const std::string& d : Strings(m.output->data, "documents")) documents.insert(d);
  for (const std::string& d : Strings(e.data(), "documents")) documents.insert(d);
  return documents;
}

// The subject record a dishonesty-record case keeps (one per case).
const engine::SubjectRecord* FindRecord(const engine::SubjectFacts& facts, const std::string& case_id) {
  for (const engine::SubjectRecord& r : facts.records) {
    if (r.case_id == case_id && policies::IsKnownRecordKind(r.kind)) return &r;
  }
  return nullptr;
}

bool ActiveOfKind(const engine::SubjectFacts& facts, const char* kind, const std::string& except_id) {
  for (const engine::SubjectRecord& r : facts.records) {
    if (r.id != except_id && r.kind == kind && r.status == record::kStatusActive) return true;
  }
  return false;
}

std::optional<Date> DateAt(const Json& data, const char* key) { return Date::Parse(Text(data, key)); }

// A later penalty record on the same platform, made after `r`: of the same
// violation type when `same_type`, heavier as the regime defines it when
// `heavier` is given (a later heavier penalty keeps a serious-list entry
// from being removed, SAMR 2021 art 7).
bool LaterRecord(const engine::SubjectFacts& facts, const engine::SubjectRecord& r, bool same_type,
                 const policies::RepairRegimeSection* heavier) {
  const std::optional<Date> decided = DateAt(r.data, "decided_on");
  const std::string violation = Text(r.data, "violation");
  const std::string platform = Text(r.data, "platform");
  for (const engine::SubjectRecord& other : facts.records) {
    if (other.id == r.id || other.kind != policies::kRecordPenalty) continue;
    if (Text(other.data, "platform") != platform) continue;
    const std::optional<Date> when = DateAt(other.data, "decided_on");
    if (!decided || !when || *when <= *decided) continue;
    if (same_type && !violation.empty() && Text(other.data, "violation") == violation) return true;
    if (heavier != nullptr && heavier->IsHeavier(record::RecordFactsOf(other.data))) return true;
  }
  return false;
}

// The reason a named check fails for `r`, or "" when it holds.
std::string FailedCheck(const std::string& check, const policies::RepairRegimeSection& regime,
                        const engine::SubjectFacts& facts, const engine::SubjectRecord& r) {
  if (check == policies::kCheckObligationsPerformed) {
    return r.data.value("obligations_fulfilled", false) ? "" : policies::RefusalOfCheck(check);
  }
  if (check == policies::kCheckNotInAbnormalList) {
    return ActiveOfKind(facts, policies::kRecordAbnormalList, r.id) ? policies::RefusalOfCheck(check) : "";
  }
  if (check == policies::kCheckNotInSeriousList) {
    return ActiveOfKind(facts, policies::kRecordSeriousList, r.id) ? policies::RefusalOfCheck(check) : "";
  }
  if (check == policies::kCheckNoSameTypeViolation) {
    return LaterRecord(facts, r, true, nullptr) ? policies::RefusalOfCheck(check) : "";
  }
  if (check == policies::kCheckNoHeavierPenalty) {
    return LaterRecord(facts, r, false, &regime) ? policies::RefusalOfCheck(check) : "";
  }
  return "unknown_check:" + check;
}

// The grounds of the application as they stand after event `e`: as stated,
// or, when not stated, a temporary repair in bankruptcy reorganisation when
// the applicant brought the court's ruling (the one document that serves no
// other purpose), else the ordinary repair.
std::string GroundsOf(const EventBase& e, const MachineBase& m) {
  if (Given(e.data(), "grounds")) return Text(e.data(), "grounds");
  if (Given(m.output->data, "grounds")) return Text(m.output->data, "grounds");
  return DocumentsOf(e, m).count(kCourtRuling) > 0 ? kBankruptcyGrounds : kOrdinaryGrounds;
}

// Intake of one record on `today`.
RecordIntakeResult IntakeOne(const MachineBase& m, const engine::SubjectRecord& r, const std::set<std::string>& brought,
                             bool barred_by_revocation, bool bankruptcy) {
  RecordIntakeResult out;
  out.record = r.case_id;
  out.department = Text(r.data, "department");
  out.platform = Text(r.data, "platform");
  out.facts = r.data;
  out.earliest = DateAt(r.data, "earliest_repair");
  const Date today = m.context->today;
  auto deny = [&](std::string reason) {
    out.result = "denied";
    out.reason = std::move(reason);
    return out;
  };
  if (r.status == record::kRepaired) return deny(kAlreadyRepaired);
  // Not shown: its status says so, or its publication has ended by today
  // though the timer that records it has not run yet (a store without a
  // scheduler running, or one that was down on the day).
  const std::optional<Date> ends = DateAt(r.data, "publication_ends");
  if (r.status != record::kStatusActive || (ends && *ends < m.context->today)) {
    out.result = "out_of_scope";
    out.reason = kNotShown;
    out.earliest.reset();
    return out;
  }
  // A temporary repair in reorganisation shields what the ordinary repair
  // may not touch yet (a minimum not served, no early stop), but neither
  // what is never shown nor what no repair may touch (特定严重).
  const std::string refusal = Text(r.data, "refusal").empty() ? kOutOfScope : Text(r.data, "refusal");
  const bool shieldable = bankruptcy && refusal != kOutOfScope && refusal != "not_repairable";
  if (!r.data.value("repairable", true) && !shieldable) {
    out.result = refusal == kOutOfScope ? "out_of_scope" : "denied";
    out.reason = refusal;
    out.earliest.reset();
    return out;
  }
  if (barred_by_revocation) return deny(kFalseMaterials);
  const policies::RepairRegimeSection* regime = record::RegimeOn(*m.context->policies, out.platform, today);
  if (bankruptcy) {
    out.earliest.reset();
    if (regime == nullptr || !regime->bankruptcy) return deny(kBankruptcyRepairNotAvailable);
    for (const std::string& d : regime->bankruptcy->documents) {
      if (brought.count(d) == 0) out.missing.push_back(d);
    }
    out.result = "task";
    return out;
  }
  if (out.earliest && today < *out.earliest) return deny(kMinimumPeriodNotServed);
  if (regime == nullptr) {
    return deny("no_repair_regime");
  }
  const policies::RecordFacts facts = record::RecordFactsOf(r.data);
  if (const policies::ConditionRule* conditions = regime->MatchConditions(facts)) {
    for (const policies::NamedCheck& check : conditions->checks) {
      const std::string failed = FailedCheck(check.check, *regime, *m.context->facts, r);
      if (!failed.empty()) return deny(failed);
    }
  }
  std::vector<std::string> required;
  if (const policies::DocumentRule* rule = regime->MatchDocuments(facts)) required = rule->documents;
  if (regime->interview_required) required.push_back("interview_record");
  for (const std::string& d : required) {
    if (brought.count(d) == 0 && std::find(out.missing.begin(), out.missing.end(), d) == out.missing.end()) {
      out.missing.push_back(d);
    }
  }
  out.result = "task";
  return out;
}

IntakeResult RunIntake(const EventBase& e, const MachineBase& m) {
  IntakeResult intake;
  const std::vector<std::string> ids = RecordsOf(e, m);
  const std::set<std::string> brought = DocumentsOf(e, m);
  if (ids.empty()) {
    intake.problem = Status::InvalidArgument("invalid_event_data", "an application names at least one record",
                                             {{"records", "required", "records must name at least one record"}});
    return intake;
  }
  // A subject whose earlier repair was revoked for false materials may not
  // apply again where the regime says so.
  bool barred = false;
  const policies::RepairRegimeSection* window =
      record::RegimeOn(*m.context->policies, policies::kPlatformCreditChina, m.context->today);
  if (window != nullptr && !window->reapply_after_revocation) {
    barred = ActiveOfKind(*m.context->facts, kRepairRevokedRecord, "");
  }
  // One review at a time per record: the records another application has
  // under review (its tasks with the departments), each with that
  // application. One still waiting for documents holds none: the applicant
  // may apply anew.
  std::map<std::string, std::string> held;  // record -> application
  for (const engine::SubjectRecord& r : m.context->facts->records) {
    if (r.kind != kRepairApplicationRecord || r.status != record::kStatusActive) continue;
    if (r.case_id == m.context->current->id) continue;
    for (const std::string& record : Strings(r.data, "records")) held.emplace(record, r.case_id);
  }
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (auto it = held.find(id); it != held.end()) {
      intake.problem = Status::AlreadyExists(kRepairPending,
                                             "record " + id + " is already named by repair application " + it->second +
                                                 ", which the departments are reviewing; its answer "
                                                 "comes first");
      return intake;
    }
    if (!seen.insert(id).second) {
      intake.problem = Status::InvalidArgument("duplicate_record", "the application names record " + id + " twice",
                                               {{"records", "duplicate_record", "records must not repeat"}});
      return intake;
    }
    const engine::SubjectRecord* r = FindRecord(*m.context->facts, id);
    if (r == nullptr) {
      intake.problem = Status::InvalidArgument(
          "unknown_record", "no dishonesty record " + id + " of subject " + m.context->current->subject,
          {{"records", "unknown_record", "records must be dishonesty records of the subject"}});
      return intake;
    }
    RecordIntakeResult one = IntakeOne(m, *r, brought, barred, GroundsOf(e, m) == kBankruptcyGrounds);
    for (const std::string& d : one.missing) {
      if (std::find(intake.missing.begin(), intake.missing.end(), d) == intake.missing.end()) {
        intake.missing.push_back(d);
      }
    }
    intake.records.push_back(std::move(one));
  }
  return intake;
}

IntakeVerdict Verdict(const IntakeResult& intake) {
  bool any_task = false, any_denied = false;
  for (const RecordIntakeResult& r : intake.records) {
    any_task = any_task || r.result == "task";
    any_denied = any_denied || r.result == "denied";
  }
  if (any_task) return intake.missing.empty() ? IntakeVerdict::kReadyForReview : IntakeVerdict::kDocumentsMissing;
  return any_denied ? IntakeVerdict::kRejected : IntakeVerdict::kNotAccepted;
}

Json ResultsJson(const IntakeResult& intake) {
  Json records = Json::array();
  for (const RecordIntakeResult& r : intake.records) {
    Json one = {{"record", r.record}, {"department", r.department}, {"platform", r.platform}, {"result", r.result}};
    if (!r.reason.empty()) one["reason"] = r.reason;
    if (r.result == "denied" && r.earliest) one["earliest_application"] = r.earliest->ToString();
    if (!r.missing.empty()) one["missing_documents"] = r.missing;
    for (const char* key : {"kind", "tier", "decided_on", "decision_number", "department_name", "regime_title"}) {
      if (Given(r.facts, key)) one[key] = r.facts[key];
    }
    records.push_back(std::move(one));
  }
  return records;
}

// The one answer to the applicant: every record named, with its result
// (approved, denied, out_of_scope) and reason; kept in the case as
// `results` for the printed notice.
void NotifyResult(MachineBase& m, const std::string& outcome) {
  Json& d = m.output->data;
  const Json outcomes = d.value("task_outcomes", Json::object());
  Json results = Json::array();
  for (const Json& r : d.value("intake", Json::array())) {
    Json one = r;
    one.erase("missing_documents");
    if (Text(r, "result") == "task") {
      one["result"] = "pending";
      for (const auto& [child, task] : outcomes.items()) {
        if (Text(task, "record") != Text(r, "record")) continue;
        one["result"] = Text(task, "outcome");
        one["task"] = child;
        if (Given(task, "reason")) one["reason"] = task["reason"];
      }
    }
    results.push_back(std::move(one));
  }
  d["results"] = results;
  Json notice = {{"application", m.context->current->id},
                 {"subject", m.context->current->subject},
                 {"outcome", outcome},
                 {"records", std::move(results)}};
  if (Given(d, "earliest_application")) notice["earliest_application"] = d["earliest_application"];
  m.output->effects.push_back(engine::Notify("applicant", kResultNotice, std::move(notice)));
}

bool Concluded(const std::string& outcome) { return outcome == kTaskApproved || outcome == kTaskDenied; }

// The application's own subject record (kRepairApplicationRecord): active
// while under review, documents_missing while waiting for documents, else
// the outcome it was answered with.
void MarkApplication(MachineBase& m, const std::string& status) {
  engine::SubjectRecord r;
  r.id = m.context->current->id + ":" + kRepairApplicationRecord;
  r.kind = kRepairApplicationRecord;
  r.status = status;
  // The records sent to a department: one intake refused is not under
  // review, and the applicant may name it again (from its earliest day).
  Json reviewed = Json::array();
  for (const Json& one : m.output->data.value("intake", Json::array())) {
    if (Text(one, "result") == "task") reviewed.push_back(Text(one, "record"));
  }
  r.data = {{"records", std::move(reviewed)}, {"applied_on", Text(m.output->data, "applied_on")}};
  m.output->effects.push_back(engine::RecordAboutSubject(std::move(r)));
}

}  // namespace

IntakeVerdict ClassifyIntake(const EventBase& e, const MachineBase& m) {
  const IntakeResult intake = RunIntake(e, m);
  // A wrong application matches the last row; its action fails it.
  if (intake.problem) return IntakeVerdict::kReadyForReview;
  return Verdict(intake);
}

void RecordIntake(const EventBase& e, MachineBase& m) {
  const IntakeResult intake = RunIntake(e, m);
  if (intake.problem) {
    Fail(m, *intake.problem);
    return;
  }
  Json& d = m.output->data;
  d["records"] = RecordsOf(e, m);
  Json documents = Json::array();
  for (const std::string& doc : DocumentsOf(e, m)) documents.push_back(doc);
  d["documents"] = std::move(documents);
  for (const char* key : {"applicant_name", "contact"}) {
    if (Given(e.data(), key)) d[key] = e.data()[key];
  }
  d["grounds"] = GroundsOf(e, m);
  if (!Given(d, "applied_on")) d["applied_on"] = Today(m);
  d["intake_on"] = Today(m);
  d["intake"] = ResultsJson(intake);
  d["missing_documents"] = intake.missing;
  // The answer "from when": the day every record refused on time grounds can
  // succeed on them (the latest of their earliest dates).
  std::optional<Date> earliest;
  std::string reason;
  for (const RecordIntakeResult& r : intake.records) {
    if (r.result == "task") continue;
    if (reason.empty()) reason = r.reason;
    if (r.result == "denied" && r.earliest && (!earliest || *earliest < *r.earliest)) earliest = r.earliest;
  }
  d.erase("earliest_application");
  if (earliest) d["earliest_application"] = earliest->ToString();
  const IntakeVerdict verdict = Verdict(intake);
  MarkApplication(m, verdict == IntakeVerdict::kReadyForReview     ? std::string(record::kStatusActive)
                     : verdict == IntakeVerdict::kDocumentsMissing ? std::string(kDocumentsMissing)
                     : verdict == IntakeVerdict::kNotAccepted      ? std::string(kNotAccepted)
                                                                   : std::string(kRejected));
  if (verdict == IntakeVerdict::kDocumentsMissing) {
    m.output->reason = kDocumentsMissing;
    // 一次性告知: everything missing, for every record, in one notice.
    m.output->effects.push_back(engine::Notify(
        "applicant", kDocumentsNotice,
        Json{
            {"application", m.context->current->id}, {"missing_documents", intake.missing}, {"records", d["intake"]}}));
    return;
  }
  m.output->reason = reason;
  d["intake_reason"] = reason;
  if (verdict == IntakeVerdict::kNotAccepted) NotifyResult(m, kNotAccepted);
  if (verdict == IntakeVerdict::kRejected) NotifyResult(m, kRejected);
}

void OpenTasks(const EventBase& e, MachineBase& m) {
  (void)e;
  if (m.output->failure) return;
  Json& d = m.output->data;
  int tasks = 0;
  for (const Json& r : d["intake"]) {
    if (Text(r, "result") != "task") continue;
    const std::string record_id = Text(r, "record");
    const engine::SubjectRecord* subject_record = FindRecord(*m.context->facts, record_id);
    Json task = {{"record", record_id}, {"application", m.context->current->id}, {"grounds", Text(d, "grounds")}};
    if (subject_record != nullptr) {
      for (const char* key : {"platform", "kind", "tier", "penalties", "amount", "sector", "violation", "decided_on",
                              "published_on", "department", "department_name", "decision_number", "regime_title",
                              "simple_procedure", "specific_serious", "restriction_until"}) {
        if (Given(subject_record->data, key)) task[key] = subject_record->data[key];
      }
      // decided_on becomes the department's own decision date once it
      // decides; the record's stays here for the task's page.
      if (Given(subject_record->data, "decided_on")) task["record_decided_on"] = subject_record->data["decided_on"];
    }
    m.output->effects.push_back(engine::OpenChild(kTaskWorkflowName, std::move(task))
                                    .AsTaskOf(Text(r, "department"))
                                    .ThenRaise(TaskAssigned::kName));
    ++tasks;
  }
  d["tasks_opened"] = tasks;
}

void IntakeThenOpenTasks(const EventBase& e, MachineBase& m) {
  RecordIntake(e, m);
  OpenTasks(e, m);
}

// The tasks' outcomes as delivered so far, with the one event `e` brings:
// child id -> {outcome, department, record, reason}. A decision is never
// replaced by a later delivery (an "overdue" delivered late).
Json OutcomesWith(const EventBase& e, const MachineBase& m) {
  Json outcomes = m.output->data.value("task_outcomes", Json::object());
  if (!outcomes.is_object()) outcomes = Json::object();
  const std::string child = Text(e.data(), "child");
  const Json known = outcomes.value(child, Json::object());
  if (Concluded(Text(known, "outcome"))) return outcomes;
  const Json child_data = e.data().value("child_data", Json::object());
  Json one = {{"outcome", Text(e.data(), "outcome")},
              {"department", Text(child_data, "department")},
              {"record", Text(child_data, "record")}};
  if (!Text(e.data(), "reason").empty()) one["reason"] = Text(e.data(), "reason");
  outcomes[child] = std::move(one);
  return outcomes;
}

JoinVerdict ClassifyJoin(const EventBase& e, const MachineBase& m) {
  // Join once every task opened has delivered a decision: the last delivery
  // joins, and none comes after it. Each (task, outcome) is delivered
  // exactly once (engine/effects.h), so the count is exact.
  const Json outcomes = OutcomesWith(e, m);
  const int opened = m.output->data.value("tasks_opened", 0);
  int concluded = 0, approved = 0;
  for (const auto& [child, one] : outcomes.items()) {
    (void)child;
    const std::string outcome = Text(one, "outcome");
    if (Concluded(outcome)) ++concluded;
    if (outcome == kTaskApproved) ++approved;
  }
  if (opened == 0 || concluded < opened) return JoinVerdict::kWaiting;
  bool refused_at_intake = false;
  for (const Json& r : m.output->data.value("intake", Json::array())) {
    refused_at_intake = refused_at_intake || Text(r, "result") != "task";
  }
  if (approved == opened && !refused_at_intake) return JoinVerdict::kApproved;
  return approved > 0 ? JoinVerdict::kPartiallyRepaired : JoinVerdict::kRejected;
}

void NoteTaskOutcome(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  // The reason intake gave stays the case's while the tasks run.
  m.output->reason = Text(d, "intake_reason");
  const std::string child = Text(e.data(), "child");
  const bool was_concluded =
      Concluded(Text(d.value("task_outcomes", Json::object()).value(child, Json::object()), "outcome"));
  d["task_outcomes"] = OutcomesWith(e, m);
  if (was_concluded) return;
  const Json& one = d["task_outcomes"][child];
  if (Text(one, "outcome") == kTaskApproved) {
    Json& approved = d["approved_records"];
    if (!approved.is_array()) approved = Json::array();
    approved.push_back(Text(one, "record"));
  }
  if (Text(one, "outcome") == kTaskOverdue) {
    const Json child_data = e.data().value("child_data", Json::object());
    m.output->effects.push_back(engine::Notify("caseworker", kTaskOverdueNotice,
                                               Json{{"application", m.context->current->id},
                                                    {"task", child},
                                                    {"department", Text(one, "department")},
                                                    {"record", Text(one, "record")},
                                                    {"due_on", Text(child_data, "due_on")}}));
  }
}

void Conclude(const EventBase& e, MachineBase& m) {
  const JoinVerdict verdict = ClassifyJoin(e, m);
  NoteTaskOutcome(e, m);
  Json& d = m.output->data;
  // Each task's decision, with the department's reason for a denial.
  Json decisions = Json::array();
  std::string first_denial;
  for (const auto& [child, one] : d["task_outcomes"].items()) {
    Json decision = one;
    decision["task"] = child;
    if (Text(one, "outcome") == kTaskDenied && first_denial.empty()) {
      first_denial = Text(one, "reason").empty() ? kDeniedByDepartment : Text(one, "reason");
    }
    decisions.push_back(std::move(decision));
  }
  d["decisions"] = std::move(decisions);
  d["concluded_on"] = Today(m);
  // The reason: intake's (records refused there) before the departments'.
  const std::string intake_reason = Text(d, "intake_reason");
  m.output->reason = verdict == JoinVerdict::kApproved ? "" : !intake_reason.empty() ? intake_reason : first_denial;
  const char* outcome = verdict == JoinVerdict::kApproved            ? kApproved
                        : verdict == JoinVerdict::kPartiallyRepaired ? kPartiallyRepaired
                                                                     : kRejected;
  NotifyResult(m, outcome);
  MarkApplication(m, outcome);
}

void RevokeRepair(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  const std::string reason = Text(e.data(), "reason");
  if (reason == "reorganisation_failed" && Text(d, "grounds") != kBankruptcyGrounds) {
    Fail(m, Status::InvalidArgument("invalid_event_data",
                                    "only a temporary repair in bankruptcy reorganisation ends because the "
                                    "reorganisation failed",
                                    {{"reason", "not_a_temporary_repair",
                                      "reason reorganisation_failed needs an application on bankruptcy grounds"}}));
    return;
  }
  d["revoked_on"] = Today(m);
  d["revocation_reason"] = reason;
  const policies::RepairRegimeSection* window =
      record::RegimeOn(*m.context->policies, policies::kPlatformCreditChina, m.context->today);
  // False materials bar a new application where the regime says so; a
  // reorganisation that failed only ends the temporary repair.
  const bool false_materials = reason == kFalseMaterials;
  const bool reapply = !false_materials || (window != nullptr && window->reapply_after_revocation);
  d["may_apply_again"] = reapply;
  // Every record a task repaired is shown again.
  Json restored = Json::array();
  for (const Json& r : d.value("approved_records", Json::array())) {
    if (!r.is_string()) continue;
    m.output->effects.push_back(engine::RaiseOn(r.get<std::string>(), record::RepairRevoked::kName,
                                                Json{{"repair_case", m.context->current->id}, {"reason", reason}}));
    restored.push_back(r);
  }
  d["restored_records"] = restored;
  m.output->reason = false_materials ? kFalseMaterials : reason;
  if (false_materials) {
    // The false materials are a dishonesty record of their own.
    engine::SubjectRecord revoked;
    revoked.id = m.context->current->id + ":" + kRepairRevokedRecord;
    revoked.kind = kRepairRevokedRecord;
    revoked.status = record::kStatusActive;
    revoked.data = {{"reason", reason},
                    {"repair_case", m.context->current->id},
                    {"decided_on", Today(m)},
                    {"may_apply_again", reapply},
                    {"source", window != nullptr ? window->revocation_source : ""}};
    if (Given(e.data(), "note")) revoked.data["note"] = e.data()["note"];
    m.output->effects.push_back(engine::RecordAboutSubject(std::move(revoked)));
  }
  m.output->effects.push_back(engine::Notify("applicant", kRevokedNotice,
                                             Json{{"application", m.context->current->id},
                                                  {"reason", reason},
                                                  {"may_apply_again", reapply},
                                                  {"records", restored}}));
}

// ---- Task ----

void ArmDecisionDeadline(const EventBase& e, MachineBase& m) {
  (void)e;
  const policies::RepairRegimeSection* regime = policies::FindRepairRegime(*m.context->policy);
  const policies::RecordFacts facts = record::RecordFactsOf(m.output->data);
  const policies::DecisionRule* rule = regime != nullptr ? regime->MatchDecision(facts) : nullptr;
  if (rule == nullptr) {
    Fail(m, Status::FailedPrecondition(
                "no_decision_rule", "policy " + m.context->policy->id + " " + m.context->policy->version +
                                        " sets no decision time for a " + facts.kind + " record on " + facts.platform));
    return;
  }
  Json& d = m.output->data;
  d["accepted_on"] = Today(m);
  d["regime"] = regime->regime;
  d["decision_limit"] = Describe(rule->limit.period);
  d["decision_source"] = rule->limit.source;
  d["extendable"] = rule->extension.has_value();
  const std::optional<engine::Deadline> due = LastDayOrFail(m, m.context->today, rule->limit, "the decision time");
  if (!due) return;
  ScheduleDeadline(m, kDecisionTimer, DecisionDeadlinePassed::kName, *due, "/due_on");
  m.output->effects.push_back(engine::Notify("department:" + m.context->current->department, kTaskAssignedNotice,
                                             Json{{"task", m.context->current->id},
                                                  {"record", Text(d, "record")},
                                                  {"due_on", due->last.ToString()},
                                                  {"provisional", due->provisional}}));
}

bool DecisionIs(const EventBase& e, const char* decision) { return Text(e.data(), "decision") == decision; }

void ApproveRecord(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  d["decided_on"] = Today(m);
  d["decision"] = "approve";
  d["decided_by"] = e.input->actor.user;
  d["overdue"] = false;
  if (Given(e.data(), "note")) d["note"] = e.data()["note"];
  m.output->effects.push_back(engine::DisarmTimer(kDecisionTimer));
  Json approved = {{"repair_case", Text(d, "application")}, {"task", m.context->current->id}};
  if (Text(d, "grounds") == kBankruptcyGrounds) approved["temporary"] = true;
  m.output->effects.push_back(engine::RaiseOn(Text(d, "record"), record::RepairApproved::kName, std::move(approved)));
}

void DenyRecord(const EventBase& e, MachineBase& m) {
  const std::string reason = Text(e.data(), "reason");
  if (reason.empty()) {
    Fail(m, Status::InvalidArgument("invalid_event_data", "a denial states its reason code",
                                    {{"reason", "required", "reason is required when the decision is deny"}}));
    return;
  }
  if (!policies::IsReasonCode(reason)) {
    Fail(m, Status::InvalidArgument("invalid_event_data", "a denial's reason is a code, not text",
                                    {{"reason", "invalid_code",
                                      "reason must be a code of 1-64 characters [a-z0-9_] (e.g. "
                                      "obligations_not_performed); say more in note"}}));
    return;
  }
  Json& d = m.output->data;
  d["decided_on"] = Today(m);
  d["decision"] = "deny";
  d["decided_by"] = e.input->actor.user;
  d["overdue"] = false;
  if (Given(e.data(), "note")) d["note"] = e.data()["note"];
  m.output->reason = reason;
  m.output->effects.push_back(engine::DisarmTimer(kDecisionTimer));
}

void ExtendDecision(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  if (d.value("extended", false)) {
    Fail(m, Status::FailedPrecondition("already_extended", "the decision time of task " + m.context->current->id +
                                                               " was extended once already"));
    return;
  }
  const policies::RepairRegimeSection* regime = policies::FindRepairRegime(*m.context->policy);
  const policies::DecisionRule* rule = regime != nullptr ? regime->MatchDecision(record::RecordFactsOf(d)) : nullptr;
  if (rule == nullptr || !rule->extension) {
    Fail(m, Status::FailedPrecondition("extension_not_allowed",
                                       "the " + (regime ? regime->regime : std::string("pinned")) +
                                           " regime allows no extension of the decision time"));
    return;
  }
  const std::optional<Date> due = Date::Parse(Text(d, "due_on"));
  if (!due) {
    Fail(m, Status::Internal("task " + m.context->current->id + " has no due_on to extend"));
    return;
  }
  const std::optional<engine::Deadline> extended =
      LastDayOrFail(m, *due, *rule->extension, "the extended decision time");
  if (!extended) return;
  d["extended"] = true;
  d["extension_reason"] = Text(e.data(), "reason");
  d["due_before_extension"] = due->ToString();
  ScheduleDeadline(m, kDecisionTimer, DecisionDeadlinePassed::kName, *extended, "/due_on");
  m.output->effects.push_back(engine::Notify("caseworker", kTaskExtendedNotice,
                                             Json{{"task", m.context->current->id},
                                                  {"application", Text(d, "application")},
                                                  {"due_on", extended->last.ToString()}}));
}

void FlagOverdue(const EventBase& e, MachineBase& m) {
  Json& d = m.output->data;
  d["overdue"] = true;
  d["overdue_since"] = Today(m);
  Json notice = {{"task", m.context->current->id},
                 {"application", Text(d, "application")},
                 {"record", Text(d, "record")},
                 {"due_on", Text(e.data(), "due_on")}};
  m.output->effects.push_back(
      engine::Notify("department:" + m.context->current->department, kTaskOverdueNotice, notice));
}

}  // namespace credflow::workflows::repair
