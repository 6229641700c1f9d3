#include "workflows/false_commitment/false_commitment_workflow.h"

#include <map>
#include <optional>
#include <vector>

#include "forms/form.h"
#include "policies/catalogue.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/false_commitment/false_commitment_machine.h"

namespace credflow::workflows::false_commitment {
namespace {

using engine::Json;
using engine::Status;

// Bump when a state is renamed or removed (stored cases name their states).
constexpr int kDefinitionVersion = 1;

class FalseCommitmentWorkflow final : public MsmWorkflow<FalseCommitmentMachine> {
 public:
  FalseCommitmentWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, kPolicyId) {}
};

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewFalseCommitmentWorkflow() {
  return std::make_unique<FalseCommitmentWorkflow>();
}

std::string FalseCommitmentRecordId(const std::string& case_id) { return case_id + ":" + kFalseCommitmentRecord; }

std::string PenaltyReferralRecordId(const std::string& case_id) { return case_id + ":" + kPenaltyReferralRecord; }

engine::Result<std::string> RenderRectificationOrder(const engine::Case& c, const engine::RuleBook& rules) {
  if (c.workflow != kWorkflowName) {
    return Status::NotFound(
        "not_a_false_commitment_case",
        "case " + c.id + " is a " + c.workflow + " case; a rectification order belongs to a false_commitment case");
  }
  const std::string ordered_on = Text(c.data, "ordered_on");
  const std::optional<policies::Date> ordered = policies::Date::Parse(ordered_on);
  if (c.state == Opened::kName || !ordered || Text(c.data, "deadline").empty()) {
    return Status::FailedPrecondition("no_rectification_order",
                                      "case " + c.id + " has not ordered rectification (state " + c.state + ")");
  }
  const forms::FormDefinition* form = rules.forms ? rules.forms->Find(kRectificationOrderForm) : nullptr;
  if (form == nullptr) {
    return Status::FailedPrecondition("form_not_loaded",
                                      std::string("the rule book has no form ") + kRectificationOrderForm);
  }
  const std::string type_id = Text(c.data, "commitment_type");
  const policies::Policy* catalogue = rules.policies ? rules.policies->Select(kCataloguePolicyId, *ordered) : nullptr;
  const policies::CommitmentType* type = catalogue ? policies::FindCommitmentType(*catalogue, type_id) : nullptr;
  if (type == nullptr) {
    return Status::FailedPrecondition("unknown_commitment_type",
                                      "'" + type_id + "' is not on the commitment catalogue in force on " + ordered_on);
  }
  const std::string applicant = Text(c.data, "applicant_name");
  const forms::FormData fields = {{"applicant_name", applicant.empty() ? c.subject : applicant},
                                  {"findings", Text(c.data, "findings")},
                                  {"deadline", Text(c.data, "deadline")},
                                  {"legal_basis", Text(c.data, "legal_basis")}};
  const std::vector<forms::FieldError> errors = forms::Validate(*form, fields);
  if (!errors.empty()) {
    std::string which;
    for (const forms::FieldError& e : errors) which += (which.empty() ? "" : ", ") + e.field + " (" + e.code + ")";
    return Status::FailedPrecondition("incomplete_rectification_order",
                                      "case " + c.id + " cannot fill the rectification order: " + which);
  }
  const std::map<std::string, std::string> extra = {{"subject", c.subject},
                                                    {"commitment_type_name", type->name},
                                                    {"authority", type->authority},
                                                    {"date", ordered_on},
                                                    {"case_id", c.id}};
  return forms::RenderLetter(*form, fields, extra);
}

}  // namespace credflow::workflows::false_commitment
