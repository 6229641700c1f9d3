#include "workflows/registry.h"

#include "workflows/commitment/commitment_workflow.h"
#include "workflows/enforcement/enforcement_workflow.h"
#include "workflows/false_commitment/false_commitment_workflow.h"
#include "workflows/inspection/inspection_workflow.h"
#include "workflows/record/record_workflow.h"
#include "workflows/remediation_ledger/ledger_workflow.h"
#include "workflows/repair/repair_workflow.h"
#include "workflows/subject/subject_workflow.h"
#include "workflows/verification/verification_workflow.h"

namespace credflow::workflows {

void RegisterAll(engine::WorkflowRegistry& registry) {
  registry.Add(subject::NewSubjectWorkflow());
  registry.Add(commitment::NewCommitmentWorkflow());
  registry.Add(verification::NewVerificationWorkflow());
  registry.Add(false_commitment::NewFalseCommitmentWorkflow());
  registry.Add(record::NewRecordWorkflow());
  registry.Add(repair::NewRepairWorkflow());
  registry.Add(repair::NewRepairTaskWorkflow());
  registry.Add(remediation_ledger::NewLedgerWorkflow());
  registry.Add(enforcement::NewEnforcementWorkflow());
  registry.Add(inspection::NewInspectionWorkflow());
  registry.Add(inspection::NewInspectionTaskWorkflow());
}

}  // namespace credflow::workflows
