#include "workflows/commitment/commitment_workflow.h"

#include "engine/form_data.h"
#include "policies/catalogue.h"
#include "workflows/commitment/commitment_machine.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/msm_workflow.h"

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

engine::Result<engine::CommandResult> FileCommitment(engine::CaseService& service,
                                                     const FileCommitmentRequest& request) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.subject));
  const engine::RuleBook& rules = service.rules();
  const policies::Date today = service.clock().Today();
  const policies::Policy* catalogue = rules.policies->Select(kPolicyId, today);
  if (catalogue == nullptr) {
    return engine::Status::NotFound("no_policy_in_force", "no commitment catalogue is in force on " + today.ToString());
  }
  const policies::CommitmentType* type = policies::FindCommitmentType(*catalogue, request.commitment_type);
  if (type == nullptr) {
    return engine::Status::InvalidArgument(
        "unknown_commitment_type",
        "'" + request.commitment_type + "' is not on the commitment catalogue " + catalogue->version,
        {{"type", "unknown_commitment_type", "type must be an item of the catalogue"}});
  }
  // A letter cannot be signed after the day it is filed.
  if (const auto signed_on = request.form.find("signed_on");
      signed_on != request.form.end() && signed_on->is_string()) {
    const std::optional<policies::Date> date = policies::Date::Parse(signed_on->get<std::string>());
    if (date && today < *date) {
      return engine::Status::InvalidArgument(
          "invalid_form", "the letter is dated " + date->ToString() + ", after today (" + today.ToString() + ")",
          {{"signed_on", "date_in_future", "signed_on must not be after the day of filing"}});
    }
  }
  engine::OpenCaseRequest open;
  open.workflow = kWorkflowName;
  open.subject = request.subject;
  open.data = engine::Json{{"applicant_name", Text(request.form, "applicant_name")}};
  if (!request.subject_name.empty()) open.data["subject_name"] = request.subject_name;
  open.relevant_date = today;
  open.actor = request.actor;
  open.idempotency_key = request.idempotency_key;
  open.events.push_back(
      engine::EventInput{CommitmentFiled::kName, engine::Json{{"commitment_type", type->id}}, request.actor});
  // The executor checks the letter against the item's form before the
  // machine sees it; a bad letter fails the whole transaction, so it leaves
  // no case behind.
  open.events.push_back(engine::EventInput{LetterSigned::kName, engine::Json{{"form", request.form}}, request.actor});
  return service.Open(open);
}

}  // namespace credflow::workflows::commitment
