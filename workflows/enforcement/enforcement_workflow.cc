#include "workflows/enforcement/enforcement_workflow.h"

#include "engine/form_data.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/enforcement/enforcement_machine.h"

namespace credflow::workflows::enforcement {
namespace {

using engine::Status;

// Bump when a state is renamed or removed (stored cases name their states).
constexpr int kDefinitionVersion = 1;

class EnforcementWorkflow final : public MsmWorkflow<EnforcementMachine> {
 public:
  EnforcementWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, kPolicyId) {}
};

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewEnforcementWorkflow() { return std::make_unique<EnforcementWorkflow>(); }

std::string FindingRecordId(const std::string& case_id) { return case_id + ":" + kViolationFindingRecord; }

std::string CommitmentBreachRecordId(const std::string& case_id) { return case_id + ":" + kCommitmentBreachRecord; }

engine::Result<engine::CommandResult> ReportViolation(engine::CaseService& service,
                                                      const ReportViolationRequest& request) {
  // Checked before the command runs: a bad request touches no store.
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.subject, "subject"));
  const engine::WorkflowDefinition* def = service.workflows().Find(kWorkflowName);
  if (def == nullptr) return Status::Internal("the registry has no " + std::string(kWorkflowName) + " workflow");
  CREDFLOW_RETURN_IF_ERROR(engine::ValidateEventData(*def->FindEvent(ViolationReported::kName), request.report));
  // The deciding department is the officer's own: an officer of a
  // department reports only for it (a penalty becomes its record).
  engine::Json report = request.report;
  const std::string& own = request.actor.department;
  if (!own.empty()) {
    const std::string named = report.value("department", "");
    if (!named.empty() && named != own) {
      return Status::PermissionDenied("wrong_department", "an officer of " + own + " cannot report for " + named);
    }
    report["department"] = own;
  }
  engine::OpenCaseRequest open;
  open.workflow = kWorkflowName;
  open.subject = request.subject;
  open.actor = request.actor;
  open.idempotency_key = request.idempotency_key;
  open.events.push_back(engine::EventInput{ViolationReported::kName, std::move(report), request.actor});
  return service.Open(open);
}

}  // namespace credflow::workflows::enforcement
