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
std::optional<policies::Date> LastDay(MachineBase& m, policies::Date start,
                                      const policies::SourcedPeriod& rule) {
  std::optional<policies::Date> last =
      m.context->calendar->LastDay(start, rule.period, rule.extend_over_rest_days);
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

}  // namespace

bool IsSubjectEligible(const MachineBase& m) {
  return CommitmentRoute(*m.context->policy, *m.context->facts).allowed;
}

bool IsDecidedOnSigning(const MachineBase& m) {
  const policies::CommitmentType* type = TypeOf(m);
  return type == nullptr || type->decision == "on_signing";
}

bool IsResultConforming(const EventBase& e) { return e.data().value("result", "") == "conforming"; }
bool IsResultNonconforming(const EventBase& e) {
  return e.data().value("result", "") == "nonconforming";
}

void NotifyApplicantOf(const EventBase& e, MachineBase& m) {
  const std::string type_id = e.data().value("commitment_type", "");
  const policies::CommitmentType* type = m.context->policy->FindCommitmentType(type_id);
  if (type == nullptr) {
    Fail(m, Status::InvalidArgument("unknown_commitment_type",
                                    "'" + type_id + "' is not on the commitment catalogue " +
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
  m.output->effects.push_back(engine::SendNotice{
      "applicant", "commitment.ordinary_procedure", Json{{"reason", route.reason}, {"source", route.source}}});
}

void DecideOnCommitmentFor(const EventBase& e, MachineBase& m) {
  RecordLetter(e, m);
  const policies::CommitmentType* type = TypeOf(m);
  if (type == nullptr) {
    Fail(m, Status::FailedPrecondition("unknown_commitment_type", "the case names no catalogue item"));
    return;
  }
  const policies::Policy* rules =
      m.context->policies->Select(kVerificationPolicyId, m.context->today);
  const policies::VerificationRule* rule = rules ? rules->FindVerificationRule(type->id) : nullptr;
  if (rule == nullptr) {
    Fail(m, Status::FailedPrecondition(
                "no_verification_rule", "no verification rule for '" + type->id + "' is in force on " +
                                            Today(m)));
    return;
  }
  const std::optional<policies::Date> due = LastDay(m, m.context->today, rule->window);
  if (!due) return;
  Json& data = m.output->data;
  data["decided_on"] = Today(m);
  data["verification"] = Json{{"due_on", due->ToString()},
                              {"method", rule->method},
                              {"window", Describe(rule->window.period)},
                              {"source", rule->window.source},
                              {"policy", {{"id", rules->id}, {"version", rules->version}}}};
  m.output->effects.push_back(engine::CancelTimer{"publication_end"});
  m.output->effects.push_back(engine::SetTimer{"verification_due", VerificationOverdue::kName, *due,
                                               std::nullopt, Json::object()});
  m.output->effects.push_back(engine::SendNotice{
      "applicant", "commitment.decided", Json{{"commitment_type", type->id}, {"decided_on", Today(m)}}});
}

void PublishUndertakingFor(const EventBase& e, MachineBase& m) {
  RecordLetter(e, m);
  const policies::CommitmentType* type = TypeOf(m);
  if (type == nullptr || !type->publication) {
    Fail(m, Status::FailedPrecondition("no_publication_period",
                                       "the catalogue gives this item no publication period"));
    return;
  }
  const std::optional<policies::Date> ends = LastDay(m, m.context->today, *type->publication);
  if (!ends) return;
  m.output->data["publication"] = Json{{"starts_on", Today(m)},
                                       {"ends_on", ends->ToString()},
                                       {"period", Describe(type->publication->period)},
                                       {"source", type->publication->source}};
  m.output->effects.push_back(engine::SetTimer{"publication_end", PublicationEnded::kName, *ends,
                                               std::nullopt, Json::object()});
}

void RecordWithdrawalOf(const EventBase& e, MachineBase& m) {
  m.output->data["withdrawn_on"] = Today(m);
  if (e.data().contains("reason")) m.output->data["withdrawal_reason"] = e.data()["reason"];
  m.output->effects.push_back(engine::CancelTimer{"publication_end"});
  m.output->effects.push_back(engine::SendNotice{"applicant", "commitment.withdrawn",
                                                 Json{{"withdrawn_on", Today(m)}}});
}

void CloseVerificationFor(const EventBase& e, MachineBase& m) {
  Json& v = m.output->data["verification"];
  v["result"] = e.data().value("result", "");
  v["verified_on"] = Today(m);
  if (e.data().contains("findings")) v["findings"] = e.data()["findings"];
  m.output->effects.push_back(engine::CancelTimer{"verification_due"});
}

void MarkVerificationOverdueFor(const EventBase&, MachineBase& m) {
  m.output->data["verification"]["overdue"] = true;
  m.output->effects.push_back(engine::SendNotice{
      "caseworker", "commitment.verification_overdue",
      Json{{"due_on", m.output->data["verification"].value("due_on", "")}}});
}

}  // namespace credflow::workflows::commitment
