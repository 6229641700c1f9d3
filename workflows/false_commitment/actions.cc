#include "workflows/false_commitment/actions.h"

#include <limits>
#include <optional>
#include <string>

#include "policies/catalogue.h"
#include "policies/verification_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/false_commitment/false_commitment_workflow.h"

namespace credflow::workflows::false_commitment {
namespace {

using engine::Json;
using engine::Status;

// What the orders and records cite, from the pinned policy; empty when the
// policy has no <false-commitment> (OrderRectification refuses then).
const std::optional<policies::FalseCommitmentRule>& Rule(const MachineBase& m) {
  static const std::optional<policies::FalseCommitmentRule> kNone;
  const policies::VerificationSection* section = m.context->policy->Find<policies::VerificationSection>();
  return section != nullptr ? section->false_commitment : kNone;
}

const policies::FalseCommitmentRule& Citations(const MachineBase& m) {
  static const policies::FalseCommitmentRule kNone;
  return Rule(m) ? *Rule(m) : kNone;
}

// The item on the commitment catalogue in force today.
const policies::CommitmentType* CatalogueItem(const MachineBase& m, const std::string& type_id) {
  const policies::Policy* catalogue = m.context->policies->Select(kCataloguePolicyId, m.context->today);
  return catalogue ? policies::FindCommitmentType(*catalogue, type_id) : nullptr;
}

// The period of the order: the report's rectification_days (calendar days),
// else the item's rectification period in the pinned verification policy.
// Whether the last day moves off a rest day is the item's rule either way.
std::optional<policies::SourcedPeriod> RectificationPeriod(MachineBase& m, const policies::VerificationRule* rule) {
  const Json& data = m.output->data;
  if (Given(data, "rectification_days")) {
    const Json& days = data["rectification_days"];
    if (!days.is_number_integer() || days.get<int64_t>() < 1 || days.get<int64_t>() > std::numeric_limits<int>::max()) {
      Fail(m, Status::InvalidArgument("invalid_event_data",
                                      "rectification_days must be a whole number of days, at least 1"));
      return std::nullopt;
    }
    policies::SourcedPeriod p;
    p.period = policies::Period{static_cast<int>(days.get<int64_t>()), policies::Period::Unit::kCalendarDays};
    p.extend_over_rest_days = rule != nullptr && rule->rectification.extend_over_rest_days;
    p.source = "rectification_days of the verification report";
    return p;
  }
  if (rule == nullptr) {
    Fail(m, Status::FailedPrecondition("no_verification_rule",
                                       "no verification rule for '" + Text(data, "commitment_type") + "' in policy " +
                                           m.context->policy->id + " " + m.context->policy->version +
                                           " gives a rectification period"));
    return std::nullopt;
  }
  return rule->rectification;
}

std::string RecordId(const MachineBase& m) {
  const std::string stored = Text(m.output->data, "false_commitment_record_id");
  return stored.empty() ? FalseCommitmentRecordId(m.context->current->id) : stored;
}

// When the record was first written: as the subject's facts have it, else now.
engine::Timestamp CreatedAt(const MachineBase& m, const std::string& record_id) {
  for (const engine::SubjectRecord& r : m.context->facts->records) {
    if (r.id == record_id) return r.created_at;
  }
  return m.context->now;
}

// The false-commitment record as the commitment route's eligibility check
// reads it (policies/definitions/commitment-catalogue.xml blocks this kind).
engine::SubjectRecord FalseCommitmentRecord(const MachineBase& m, const std::string& status) {
  const Json& data = m.output->data;
  engine::SubjectRecord r;
  r.id = RecordId(m);
  r.subject = m.context->current->subject;
  r.kind = kFalseCommitmentRecord;
  r.status = status;
  r.case_id = m.context->current->id;
  r.data = Json{{"commitment_case", Text(data, "commitment_case")},
                {"commitment_type", Text(data, "commitment_type")},
                {"findings", Text(data, "findings")},
                {"revoked_on", Text(data, "revoked_on")},
                {"source", Citations(m).record_source}};
  if (Given(data, "verification_case")) r.data["verification_case"] = data["verification_case"];
  r.created_at = CreatedAt(m, r.id);
  return r;
}

}  // namespace

void OrderRectificationFor(const EventBase& e, MachineBase& m) {
  Json& data = m.output->data;
  for (const char* key : {"findings", "rectification_days", "applicant_name"}) {
    if (Given(e.data(), key)) data[key] = e.data()[key];
  }
  const std::string type_id = Text(data, "commitment_type");
  const policies::CommitmentType* type = CatalogueItem(m, type_id);
  if (type == nullptr) {
    Fail(m, Status::FailedPrecondition("unknown_commitment_type",
                                       "'" + type_id + "' is not on the commitment catalogue in force on " + Today(m)));
    return;
  }
  const std::string findings = Text(data, "findings");
  if (findings.empty()) {
    Fail(m, Status::InvalidArgument("invalid_event_data",
                                    "a rectification order states what was found: findings is missing"));
    return;
  }
  const std::optional<policies::SourcedPeriod> period =
      RectificationPeriod(m, policies::FindVerificationRule(*m.context->policy, type->id));
  if (!period) return;
  const std::optional<engine::Deadline> deadline =
      LastDayOrFail(m, m.context->today, *period, "the rectification period");
  if (!deadline) return;
  if (!Rule(m)) {
    Fail(m, Status::FailedPrecondition("no_false_commitment_rule",
                                       "the pinned verification policy has no <false-commitment> rule"));
    return;
  }
  const std::string& basis = Citations(m).order_basis;
  const std::string legal_basis = type->legal_basis.empty() ? basis : type->legal_basis + "; " + basis;
  data["ordered_on"] = Today(m);
  data["rectification"] = Json{{"period", Describe(period->period)},
                               {"extend_over_rest_days", period->extend_over_rest_days},
                               {"source", period->source},
                               {"policy", {{"id", m.context->policy->id}, {"version", m.context->policy->version}}}};
  data["legal_basis"] = legal_basis;
  data["suspended"] = true;
  ScheduleDeadline(m, kRectificationTimer, RectificationDeadlinePassed::kName, *deadline, "/deadline");
  m.output->effects.push_back(engine::Notify("applicant", "false_commitment.rectification_order",
                                             Json{{"commitment_case", Text(data, "commitment_case")},
                                                  {"commitment_type", type->id},
                                                  {"name", type->name},
                                                  {"authority", type->authority},
                                                  {"findings", findings},
                                                  {"deadline", deadline->last.ToString()},
                                                  {"deadline_provisional", deadline->provisional},
                                                  {"legal_basis", legal_basis},
                                                  {"suspended", true}}));
}

void RecordRectificationOf(const EventBase& e, MachineBase& m) {
  Json& data = m.output->data;
  data["rectified_on"] = Today(m);
  data["suspended"] = false;
  data["resumed_on"] = Today(m);
  if (Given(e.data(), "note")) data["rectification_note"] = e.data()["note"];
  m.output->effects.push_back(engine::DisarmTimer(kRectificationTimer));
  m.output->effects.push_back(
      engine::Notify("applicant", "false_commitment.rectified",
                     Json{{"commitment_case", Text(data, "commitment_case")}, {"rectified_on", Today(m)}}));
}

void RevokeDecisionFor(const EventBase& e, MachineBase& m) {
  const bool overdue = e.input->name == RectificationDeadlinePassed::kName;
  const std::string reason = overdue ? kRectificationOverdue : kRectificationRefused;
  const std::string& case_id = m.context->current->id;
  Json& data = m.output->data;
  data["revoked_on"] = Today(m);
  data["revocation_reason"] = reason;
  data["suspended"] = false;
  if (!overdue && Given(e.data(), "reason")) data["refusal_reason"] = e.data()["reason"];
  data["false_commitment_record_id"] = FalseCommitmentRecordId(case_id);
  data["penalty_referral_id"] = PenaltyReferralRecordId(case_id);
  m.output->reason = reason;

  engine::SubjectRecord referral;
  referral.id = PenaltyReferralRecordId(case_id);
  referral.subject = m.context->current->subject;
  referral.kind = kPenaltyReferralRecord;
  referral.status = kRecordActive;
  referral.case_id = case_id;
  referral.data = Json{{"commitment_case", Text(data, "commitment_case")},
                       {"commitment_type", Text(data, "commitment_type")},
                       {"findings", Text(data, "findings")},
                       {"legal_basis", Text(data, "legal_basis")},
                       {"revocation_reason", reason},
                       {"referred_on", Today(m)},
                       {"source", Citations(m).referral_source}};
  referral.created_at = CreatedAt(m, referral.id);

  m.output->effects.push_back(engine::DisarmTimer(kRectificationTimer));
  m.output->effects.push_back(engine::RecordAboutSubject(FalseCommitmentRecord(m, kRecordActive)));
  m.output->effects.push_back(engine::RecordAboutSubject(referral));
  m.output->effects.push_back(engine::Notify("applicant", "false_commitment.decision_revoked",
                                             Json{{"commitment_case", Text(data, "commitment_case")},
                                                  {"commitment_type", Text(data, "commitment_type")},
                                                  {"reason", reason},
                                                  {"revoked_on", Today(m)},
                                                  {"legal_basis", Text(data, "legal_basis")}}));
  m.output->effects.push_back(engine::Notify("caseworker", "false_commitment.penalty_referral",
                                             Json{{"record", referral.id}, {"referred_on", Today(m)}}));
}

void MarkRecordRepairedFor(const EventBase& e, MachineBase& m) {
  Json& data = m.output->data;
  data["repaired_on"] = Today(m);
  if (Given(e.data(), "repair_case")) data["repair_case"] = e.data()["repair_case"];
  engine::SubjectRecord record = FalseCommitmentRecord(m, kRecordRepaired);
  record.data["repaired_on"] = Today(m);
  if (Given(data, "repair_case")) record.data["repair_case"] = data["repair_case"];
  m.output->effects.push_back(engine::RecordAboutSubject(record));
  m.output->effects.push_back(engine::Notify("applicant", "false_commitment.record_repaired",
                                             Json{{"record", record.id}, {"repaired_on", Today(m)}}));
}

}  // namespace credflow::workflows::false_commitment
