#include "workflows/commitment/actions.h"

#include "policies/catalogue.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/commitment/eligibility.h"
#include "workflows/commitment/guards.h"
#include "workflows/common/action_helpers.h"
#include "workflows/false_commitment/events.h"
#include "workflows/verification/events.h"

namespace credflow::workflows::commitment {
namespace {

using engine::Json;
using engine::Status;

const policies::CommitmentType* TypeOf(const MachineBase& m) {
  const std::string type = Text(m.output->data, "commitment_type");
  return type.empty() ? nullptr : policies::FindCommitmentType(*m.context->policy, type);
}

// Keeps the signed letter on the case.
void RecordLetter(const EventBase& e, MachineBase& m) {
  if (!Given(e.data(), "form")) return;
  const Json& form = e.data()["form"];
  m.output->data["letter"] = form;
  const std::string signed_on = Text(form, "signed_on");
  m.output->data["signed_on"] = signed_on.empty() ? Today(m) : signed_on;
}

// Keeps what a child concluded on the case, for the caseworker.
void RecordChildFindings(const EventBase& e, MachineBase& m) {
  const std::string workflow = Text(e.data(), "workflow");
  if (workflow.empty()) return;
  Json summary = {{"case", Text(e.data(), "child")}, {"outcome", Text(e.data(), "outcome")}};
  const Json child = Given(e.data(), "child_data") ? e.data()["child_data"] : Json::object();
  for (const char* key : {"findings", "verified_on", "due_on", "deadline", "rectified_on", "revoked_on"}) {
    if (child.contains(key)) summary[key] = child[key];
  }
  m.output->data[workflow] = std::move(summary);
}

// The item the event asks for (CommitmentFiled), else the case's.
const policies::CommitmentType* RequestedType(const EventBase& e, const MachineBase& m) {
  const std::string type = Text(e.data(), "commitment_type");
  return type.empty() ? TypeOf(m) : policies::FindCommitmentType(*m.context->policy, type);
}

// When the window's deadline is stored on the case (data.application_window.ends_on).
std::optional<policies::Date> ApplicationWindowEnds(const MachineBase& m) {
  if (!Given(m.output->data, "application_window")) return std::nullopt;
  return policies::Date::Parse(Text(m.output->data["application_window"], "ends_on"));
}

}  // namespace

bool IsSubjectEligible(const EventBase& e, const MachineBase& m) {
  return CommitmentRoute(*m.context->policy, *m.context->facts, RequestedType(e, m)).allowed;
}

bool IsDecidedOnSigning(const MachineBase& m) {
  const policies::CommitmentType* type = TypeOf(m);
  return type == nullptr || type->decision == "on_signing";
}

void NotifyApplicantOf(const EventBase& e, MachineBase& m) {
  const std::string type_id = Text(e.data(), "commitment_type");
  const policies::CommitmentType* type = policies::FindCommitmentType(*m.context->policy, type_id);
  if (type == nullptr) {
    Fail(m, Status::InvalidArgument("unknown_commitment_type", "'" + type_id + "' is not on the commitment catalogue " +
                                                                   m.context->policy->version));
    return;
  }
  Json& data = m.output->data;
  data["commitment_type"] = type->id;
  data["commitment_kind"] = type->kind;
  data["notified_on"] = Today(m);
  m.output->effects.push_back(engine::Notify(
      "applicant", "commitment.written_notice",
      Json{{"commitment_type", type->id},
           {"name", type->name},
           {"authority", type->authority},
           {"legal_basis", type->legal_basis},
           {"liability", "a false commitment is recorded in the credit record and the decision may be revoked"},
           {"source", type->source}}));
}

void RecordOrdinaryProcedureFor(const EventBase& e, MachineBase& m) {
  const Route route = CommitmentRoute(*m.context->policy, *m.context->facts, RequestedType(e, m));
  m.output->data["commitment_type"] = Text(e.data(), "commitment_type");
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
  const bool after_window = Given(m.output->data, "application_window");
  if (after_window) {
    // The window's timer may not have fired yet on the day after its last
    // day; the application is late all the same, and the timer records the
    // lapse.
    const std::optional<policies::Date> ends = ApplicationWindowEnds(m);
    if (ends && *ends < m.context->today) {
      Fail(m, Status::FailedPrecondition(kApplicationWindowPassed,
                                         "the window to file the application ended on " + ends->ToString()));
      return;
    }
    m.output->data["application_window"]["filed_on"] = Today(m);
  }
  m.output->data["decided_on"] = Today(m);
  m.output->effects.push_back(engine::DisarmTimer(after_window ? kApplicationTimer : kPublicationTimer));
  m.output->effects.push_back(
      engine::OpenChild(
          verification::kWorkflowName,
          Json{{"commitment_case", m.context->current->id}, {"commitment_type", type->id}, {"decided_on", Today(m)}})
          .ThenRaise(verification::VerificationOpened::kName));
  m.output->effects.push_back(
      engine::Notify("applicant", "commitment.decided", Json{{"commitment_type", type->id}, {"decided_on", Today(m)}}));
}

void PublishUndertakingFor(const EventBase& e, MachineBase& m) {
  RecordLetter(e, m);
  const policies::CommitmentType* type = TypeOf(m);
  if (type == nullptr || !type->publication) {
    Fail(m, Status::FailedPrecondition("no_publication_period", "the catalogue gives this item no publication period"));
    return;
  }
  const std::optional<engine::Deadline> ends =
      LastDayOrFail(m, m.context->today, *type->publication, "the publication period");
  if (!ends) return;
  m.output->data["publication"] = Json{
      {"starts_on", Today(m)}, {"period", Describe(type->publication->period)}, {"source", type->publication->source}};
  ScheduleDeadline(m, kPublicationTimer, PublicationEnded::kName, *ends, "/publication/ends_on");
}

void RecordWithdrawalOf(const EventBase& e, MachineBase& m) {
  m.output->data["withdrawn_on"] = Today(m);
  if (Given(e.data(), "reason")) m.output->data["withdrawal_reason"] = e.data()["reason"];
  m.output->effects.push_back(
      engine::DisarmTimer(Given(m.output->data, "application_window") ? kApplicationTimer : kPublicationTimer));
  m.output->effects.push_back(engine::Notify("applicant", "commitment.withdrawn", Json{{"withdrawn_on", Today(m)}}));
}

void CloseAsFulfilledFor(const EventBase& e, MachineBase& m) {
  m.output->data["fulfilled_on"] = Today(m);
  m.output->data["concluded_by"] = Text(e.data(), "workflow");
  RecordChildFindings(e, m);
}

void CloseAsExemptedFor(const EventBase& e, MachineBase& m) {
  m.output->data["exempted_on"] = Today(m);
  m.output->reason = Text(e.data(), "reason");
  RecordChildFindings(e, m);
}

void OrderRectificationFor(const EventBase& e, MachineBase& m) {
  RecordChildFindings(e, m);
  const Json child = Given(e.data(), "child_data") ? e.data()["child_data"] : Json::object();
  Json data = {{"commitment_case", m.context->current->id},
               {"commitment_type", Text(m.output->data, "commitment_type")},
               {"verification_case", Text(e.data(), "child")},
               {"applicant_name", Text(m.output->data, "applicant_name")},
               {"findings", Text(child, "findings")}};
  if (Given(child, "rectification_days")) data["rectification_days"] = child["rectification_days"];
  m.output->effects.push_back(engine::OpenChild(false_commitment::kWorkflowName, std::move(data))
                                  .ThenRaise(false_commitment::NonconformityFound::kName));
}

void RecordRevocationFor(const EventBase& e, MachineBase& m) {
  m.output->data["revoked_on"] = Today(m);
  m.output->reason = kNotRectified;
  RecordChildFindings(e, m);
}

void RecordObjectionFor(const EventBase& e, MachineBase& m) {
  const std::optional<policies::Date> ends = Given(m.output->data, "publication")
                                                 ? policies::Date::Parse(Text(m.output->data["publication"], "ends_on"))
                                                 : std::nullopt;
  // The publication's timer may not have fired yet on the day after its
  // last day; an objection then comes too late all the same.
  if (ends && *ends < m.context->today) {
    Fail(m, Status::FailedPrecondition(kPublicationOver, "the publication period ended on " + ends->ToString() +
                                                             "; objections are taken during it"));
    return;
  }
  const policies::CommitmentType* type = TypeOf(m);
  const std::string source = type == nullptr                  ? std::string()
                             : type->objection_source.empty() ? type->source
                                                              : type->objection_source;
  Json objection = {{"by", Text(e.data(), "by")}, {"raised_on", Today(m)}};
  if (Given(e.data(), "grounds")) objection["grounds"] = e.data()["grounds"];
  m.output->data["objection"] = objection;
  m.output->data["ordinary_procedure"] = Json{{"reason", kObjectionRaised}, {"source", source}};
  m.output->reason = kObjectionRaised;
  m.output->effects.push_back(engine::DisarmTimer(kPublicationTimer));
  m.output->effects.push_back(
      engine::Notify("applicant", "commitment.objection_raised",
                     Json{{"objection", std::move(objection)}, {"reason", kObjectionRaised}, {"source", source}}));
}

void OpenApplicationWindowFor(const EventBase& e, MachineBase& m) {
  const policies::CommitmentType* type = TypeOf(m);
  if (type == nullptr || !type->application_window) {
    Fail(m, Status::FailedPrecondition("no_application_window", "the catalogue gives this item no application window"));
    return;
  }
  // Counted from the publication's last day (the day its timer guarded),
  // whichever day the timer fired on.
  std::optional<policies::Date> start = policies::Date::Parse(Text(e.data(), "due_on"));
  if (!start && Given(m.output->data, "publication")) {
    start = policies::Date::Parse(Text(m.output->data["publication"], "ends_on"));
  }
  if (!start) start = m.context->today;
  const auto ends = LastDayOrFail(m, *start, *type->application_window, "the window to file the application");
  if (!ends) return;
  m.output->data["application_window"] = Json{{"starts_after", start->ToString()},
                                              {"period", Describe(type->application_window->period)},
                                              {"source", type->application_window->source}};
  ScheduleDeadline(m, kApplicationTimer, ApplicationWindowExpired::kName, *ends, "/application_window/ends_on");
  m.output->effects.push_back(engine::Notify(
      "applicant", "commitment.application_window",
      Json{{"commitment_type", type->id}, {"ends_on", ends->last.ToString()}, {"provisional", ends->provisional}}));
}

void RecordLapseFor(const EventBase&, MachineBase& m) {
  m.output->data["lapsed_on"] = Today(m);
  m.output->reason = kApplicationWindowPassed;
  m.output->effects.push_back(engine::Notify("applicant", "commitment.lapsed",
                                             Json{{"lapsed_on", Today(m)}, {"reason", kApplicationWindowPassed}}));
}

}  // namespace credflow::workflows::commitment
