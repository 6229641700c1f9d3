#include "workflows/commitment/commitment_workflow.h"

#include "engine/form_data.h"
#include "policies/catalogue.h"
#include "workflows/commitment/commitment_machine.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/subject/subject_service.h"

namespace credflow::workflows::commitment {
namespace {

// Bump when a state is renamed or removed (stored cases name their states).
// v2: verification and false-commitment handling moved to child cases
// (state Nonconforming removed).
constexpr int kDefinitionVersion = 2;

class CommitmentWorkflow final : public MsmWorkflow<CommitmentMachine> {
 public:
  CommitmentWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, kPolicyId) {}

  // The signed letter must satisfy the commitment type's form.
  std::optional<std::string> FormFor(const std::string& event,
                                     const engine::TransitionContext& context) const override {
    if (event != LetterSigned::kName) return std::nullopt;
    const policies::CommitmentType* type =
        policies::FindCommitmentType(*context.policy, Text(context.current->data, "commitment_type"));
    if (type == nullptr) return std::nullopt;
    return type->form_id;
  }
};

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewCommitmentWorkflow() { return std::make_unique<CommitmentWorkflow>(); }

namespace {

using engine::Json;
using engine::Status;

// A name as the comparison sees it: surrounding spaces (ASCII and the
// ideographic space) dropped, full-width brackets as half-width ones.
std::string NameKey(std::string name) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t pos = name.find(from); pos != std::string::npos; pos = name.find(from, pos + to.size())) {
      name.replace(pos, from.size(), to);
    }
  };
  replace_all("\xEF\xBC\x88", "(");  // （
  replace_all("\xEF\xBC\x89", ")");  // ）
  replace_all("\xE3\x80\x80", " ");  // ideographic space
  const size_t first = name.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return name.substr(first, name.find_last_not_of(" \t\r\n") - first + 1);
}

// The letter's date against the filing day: never after it, and no earlier
// than the policy's number of days before it.
Status CheckLetterDate(const policies::FilingRules& rules, const Json& form, policies::Date today) {
  const auto signed_on = form.find("signed_on");
  if (signed_on == form.end() || !signed_on->is_string()) return Status::Ok();  // the form check reports it
  const std::optional<policies::Date> date = policies::Date::Parse(signed_on->get<std::string>());
  if (!date) return Status::Ok();
  if (today < *date) {
    return Status::InvalidArgument(
        "invalid_form", "the letter is dated " + date->ToString() + ", after today (" + today.ToString() + ")",
        {{"signed_on", "date_in_future", "signed_on must not be after the day of filing"}});
  }
  if (rules.letter_max_days_before && date->AddDays(*rules.letter_max_days_before) < today) {
    const std::string days = std::to_string(*rules.letter_max_days_before);
    return Status::InvalidArgument(
        "letter_too_old",
        "the letter is dated " + date->ToString() + ", more than " + days + " days before the filing on " +
            today.ToString() + " (" + rules.letter_date_source + ")",
        {{"signed_on", "letter_too_old", "signed_on must be within " + days + " days before the day of filing"}});
  }
  return Status::Ok();
}

// Who may file, read inside the filing's transaction: the subject's status
// (a deregistered, revoked or bankrupt entity is refused, unless the item
// itself takes it to ordinary procedure) and the letter's applicant, which
// must be the registered name. A subject the office does not know yet is
// registered by the filing, under the name the applicant gave (the
// request's subject name, else the letter's applicant).
Status CheckApplicantAndRegister(engine::CaseService& service, engine::StoreTransaction& tx,
                                 const policies::CatalogueSection& catalogue, const policies::CommitmentType& type,
                                 const FileCommitmentRequest& request) {
  engine::Result<engine::SubjectFacts> facts = tx.LoadSubjectFacts(request.subject);
  if (!facts.ok()) return facts.status();
  const std::string applicant = Text(request.form, "applicant_name");
  if (const std::optional<engine::SubjectProfile>& profile = facts->profile) {
    if (const policies::FilingRefusal* refusal = policies::FilingRefusalFor(catalogue, type, profile->status)) {
      return Status::FailedPrecondition(refusal->reason, "subject " + request.subject + " is " + profile->status +
                                                             " and may not file a commitment (" + refusal->source +
                                                             ")");
    }
    if (!applicant.empty() && NameKey(applicant) != NameKey(profile->name)) {
      return Status::InvalidArgument(
          "applicant_name_mismatch",
          "the letter's applicant '" + applicant + "' is not the registered name '" + profile->name + "' of subject " +
              request.subject,
          {{"applicant_name", "applicant_name_mismatch", "applicant_name must be the subject's registered name"}});
    }
    return Status::Ok();
  }
  const std::string name = request.subject_name.empty() ? applicant : request.subject_name;
  if (!applicant.empty() && NameKey(applicant) != NameKey(name)) {
    return Status::InvalidArgument(
        "applicant_name_mismatch",
        "the letter's applicant '" + applicant + "' is not the subject's name '" + name + "'",
        {{"applicant_name", "applicant_name_mismatch", "applicant_name must be the subject's name"}});
  }
  if (NameKey(name).empty()) return Status::Ok();  // the letter's form check reports the missing name
  subject::RegisterSubjectRequest registration;
  registration.code = request.subject;
  registration.name = name;
  registration.actor = request.actor;
  subject::SubjectAnswer answer;
  return subject::RegisterSubjectInTransaction(service, tx, registration, &answer);
}

}  // namespace

engine::Result<engine::CommandResult> FileCommitment(engine::CaseService& service,
                                                     const FileCommitmentRequest& request) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.subject));
  const engine::RuleBook& rules = service.rules();
  const policies::Date today = service.clock().Today();
  const policies::Policy* catalogue = rules.policies->Select(kPolicyId, today);
  if (catalogue == nullptr) {
    return engine::Status::NotFound("no_policy_in_force", "no commitment catalogue is in force on " + today.ToString());
  }
  const policies::CatalogueSection* section = catalogue->Find<policies::CatalogueSection>();
  const policies::CommitmentType* type = section == nullptr ? nullptr : section->FindType(request.commitment_type);
  if (type == nullptr) {
    return engine::Status::InvalidArgument(
        "unknown_commitment_type",
        "'" + request.commitment_type + "' is not on the commitment catalogue " + catalogue->version,
        {{"type", "unknown_commitment_type", "type must be an item of the catalogue"}});
  }
  CREDFLOW_RETURN_IF_ERROR(CheckLetterDate(section->filing, request.form, today));
  engine::OpenCaseRequest open;
  open.workflow = kWorkflowName;
  open.subject = request.subject;
  open.data = engine::Json{{"applicant_name", Text(request.form, "applicant_name")}};
  if (!request.subject_name.empty()) open.data["subject_name"] = request.subject_name;
  open.relevant_date = today;
  open.actor = request.actor;
  open.events.push_back(
      engine::EventInput{CommitmentFiled::kName, engine::Json{{"commitment_type", type->id}}, request.actor});
  // The executor checks the letter against the item's form before the
  // machine sees it; a bad letter fails the whole transaction, so it leaves
  // no case behind (and registers no subject).
  open.events.push_back(engine::EventInput{LetterSigned::kName, engine::Json{{"form", request.form}}, request.actor});

  engine::CommandOptions options;
  options.idempotency_key = request.idempotency_key;
  options.describe = Json{{"op", "file_commitment"},
                          {"subject", request.subject},
                          {"subject_name", request.subject_name},
                          {"type", request.commitment_type},
                          {"form", request.form}};
  // Two filings registering the same new subject race for its case; the
  // loser runs again and finds the subject registered.
  options.retry_lost_races = true;
  engine::CommandResult result;
  engine::Result<engine::CommandAnswer> answer = service.RunCommand(options, [&](engine::UnitOfWork& tx, Json* body) {
    result = engine::CommandResult{};
    CREDFLOW_RETURN_IF_ERROR(CheckApplicantAndRegister(service, tx, *section, *type, request));
    CREDFLOW_RETURN_IF_ERROR(service.OpenInTransaction(tx, open, engine::Channel::kPerson, &result));
    for (auto& [id, workflow] : tx.InsertedCases()) {
      if (id != result.case_id) result.opened.emplace_back(id, workflow);
    }
    *body = result.ToJson();
    return Status::Ok();
  });
  if (!answer.ok()) return answer.status();
  if (!answer->replayed) return result;
  engine::CommandResult replayed = engine::CommandResult::FromJson(answer->body);
  replayed.replayed = true;
  return replayed;
}

}  // namespace credflow::workflows::commitment
