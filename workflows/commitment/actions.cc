#include "workflows/commitment/actions.h"

#include "workflows/commitment/commitment_workflow.h"
#include "workflows/commitment/eligibility.h"
#include "workflows/commitment/guards.h"

namespace credflow::workflows::commitment {
namespace {

using engine::Json;
using engine::Status;

const policies::CommitmentType* TypeOf(const MachineBase& m) {
  const Json& data = m.output->data;
  if (!data.contains("commitment_type")) return nullptr;
  return m.context->policy->FindCommitmentType(data["commitment_type"].get<std::string>());
}

void Fail(MachineBase& m, Status status) {
  if (!m.output->failure) m.output->failure = std::move(status);
}

std::string Today(const MachineBase& m) { return m.context->today.ToString(); }

// Computes the last day of `rule` from `start`, or records a failure.
std::optional<policies::Date> LastDay(MachineBase& m, policies::Date start, const policies::SourcedPeriod& rule) {
  std::optional<policies::Date> last = m.context->calendar->LastDay(start, rule.period, rule.extend_over_rest_days);
  if (!last) {
    Fail(m, Status::FailedPrecondition(
                "calendar_unknown_year",
                "the working-day calendar has no data for the period starting " + start.ToString()));
  }
  return last;
}

std::string Describe(const policies::Period& p) {
  return std::to_string(p.count) + " " + policies::Period::UnitName(p.unit);
}

// Keeps the signed letter on the case.
void RecordLetter(const EventBase& e, MachineBase& m) {
  if (!e.data().contains("form")) return;
  const Json& form = e.data()["form"];
  m.output->data["letter"] = form;
  m.output->data["signed_on"] = form.value("signed_on", Today(m));
}

// Keeps what a child concluded on the case, for the caseworker.
void RecordChildFindings(const EventBase& e, MachineBase& m) {
  const std::string workflow = e.data().value("workflow", "");
  if (workflow.empty()) return;
  Json summary = {{"case", e.data().value("child", "")}, {"outcome", e.data().value("outcome", "")}};
  const Json child = e.data().value("child_data", Json::object());
  for (const char* key : {"findings", "verified_on", "due_on", "deadline", "rectified_on", "revoked_on"}) {
    if (child.contains(key)) summary[key] = child[key];
  }
  m.output->data[workflow] = std::move(summary);
}

}  // namespace

bool IsSubjectEligible(const MachineBase& m) { return CommitmentRoute(*m.context->policy, *m.context->facts).allowed; }

bool IsDecidedOnSigning(const MachineBase& m) {
  const policies::CommitmentType* type = TypeOf(m);
  return type == nullptr || type->decision == "on_signing";
}

bool IsChildOutcome(const EventBase& e, const char* workflow, const char* outcome) {
  return e.data().value("workflow", "") == workflow && e.data().value("outcome", "") == outcome;
}

void NotifyApplicantOf(const EventBase& e, MachineBase& m) {
  const std::string type_id = e.data().value("commitment_type", "");
  const policies::CommitmentType* type = m.context->policy->FindCommitmentType(type_id);
  if (type == nullptr) {
    Fail(m, Status::InvalidArgument("unknown_commitment_type", "'" + type_id + "' is not on the commitment catalogue " +
                                                                   m.context->policy->version));
    return;
  }
  Json& data = m.output->data;
  data["commitment_type"] = type->id;
  data["commitment_kind"] = type->kind;
  data["notified_on"] = Today(m);
  m.output->effects.push_back(engine::SendNotice{
      "applicant", "commitment.written_notice",
      Json{{"commitment_type", type->id},
           {"name", type->name},
           {"authority", type->authority},
           {"legal_basis", type->legal_basis},
           {"liability", "a false commitment is recorded in the credit record and the decision may be revoked"},
           {"source", type->source}}});
}

void RecordOrdinaryProcedureFor(const EventBase& e, MachineBase& m) {
  const Route route = CommitmentRoute(*m.context->policy, *m.context->facts);
  m.output->data["commitment_type"] = e.data().value("commitment_type", "");
  m.output->data["ordinary_procedure"] = Json{{"reason", route.reason}, {"source", route.source}};
  m.output->reason = route.reason;
  m.output->effects.push_back(engine::SendNotice{"applicant", "commitment.ordinary_procedure",
                                                 Json{{"reason", route.reason}, {"source", route.source}}});
}

void DecideOnCommitmentFor(const EventBase& e, MachineBase& m) {
  RecordLetter(e, m);
  const policies::CommitmentType* type = TypeOf(m);
  if (type == nullptr) {
    Fail(m, Status::FailedPrecondition("unknown_commitment_type", "the case names no catalogue item"));
    return;
  }
  m.output->data["decided_on"] = Today(m);
  m.output->effects.push_back(engine::CancelTimer{"publication_end"});
  m.output->effects.push_back(engine::OpenChildCase{
      "verification", "",
      Json{{"commitment_case", m.context->current->id}, {"commitment_type", type->id}, {"decided_on", Today(m)}},
      "VerificationOpened", Json::object(), ""});
  m.output->effects.push_back(engine::SendNotice{"applicant", "commitment.decided",
                                                 Json{{"commitment_type", type->id}, {"decided_on", Today(m)}}});
}

void PublishUndertakingFor(const EventBase& e, MachineBase& m) {
  RecordLetter(e, m);
  const policies::CommitmentType* type = TypeOf(m);
  if (type == nullptr || !type->publication) {
    Fail(m, Status::FailedPrecondition("no_publication_period", "the catalogue gives this item no publication period"));
    return;
  }
  const std::optional<policies::Date> ends = LastDay(m, m.context->today, *type->publication);
  if (!ends) return;
  m.output->data["publication"] = Json{{"starts_on", Today(m)},
                                       {"ends_on", ends->ToString()},
                                       {"period", Describe(type->publication->period)},
                                       {"source", type->publication->source}};
  m.output->effects.push_back(
      engine::SetTimer{"publication_end", PublicationEnded::kName, *ends, std::nullopt, Json::object()});
}

void RecordWithdrawalOf(const EventBase& e, MachineBase& m) {
  m.output->data["withdrawn_on"] = Today(m);
  if (e.data().contains("reason")) m.output->data["withdrawal_reason"] = e.data()["reason"];
  m.output->effects.push_back(engine::CancelTimer{"publication_end"});
  m.output->effects.push_back(
      engine::SendNotice{"applicant", "commitment.withdrawn", Json{{"withdrawn_on", Today(m)}}});
}

void CloseAsFulfilledFor(const EventBase& e, MachineBase& m) {
  m.output->data["fulfilled_on"] = Today(m);
  m.output->data["concluded_by"] = e.data().value("workflow", "");
  RecordChildFindings(e, m);
}

void CloseAsExemptedFor(const EventBase& e, MachineBase& m) {
  m.output->data["exempted_on"] = Today(m);
  m.output->reason = e.data().value("reason", "");
  RecordChildFindings(e, m);
}

void OrderRectificationFor(const EventBase& e, MachineBase& m) {
  RecordChildFindings(e, m);
  const Json child = e.data().value("child_data", Json::object());
  Json data = {{"commitment_case", m.context->current->id},
               {"commitment_type", m.output->data.value("commitment_type", "")},
               {"verification_case", e.data().value("child", "")},
               {"applicant_name", m.output->data.value("applicant_name", "")},
               {"findings", child.value("findings", "")}};
  if (child.contains("rectification_days")) data["rectification_days"] = child["rectification_days"];
  m.output->effects.push_back(
      engine::OpenChildCase{"false_commitment", "", std::move(data), "NonconformityFound", Json::object(), ""});
}

void RecordRevocationFor(const EventBase& e, MachineBase& m) {
  m.output->data["revoked_on"] = Today(m);
  m.output->reason = "not_rectified";
  RecordChildFindings(e, m);
}

}  // namespace credflow::workflows::commitment
