// The enforcement workflow (行政处罚裁量) as the engine sees it, and the
// command that reports a violation (the case opens with ViolationReported).
#pragma once

#include <memory>
#include <string>

#include "engine/case_service.h"
#include "engine/workflow.h"
#include "workflows/enforcement/names.h"

namespace credflow::workflows::enforcement {

std::unique_ptr<engine::WorkflowDefinition> NewEnforcementWorkflow();

// The ids of the records a case writes, derived from the case id so that a
// later transition (or a replay) addresses the same record.
std::string FindingRecordId(const std::string& case_id);
std::string CommitmentBreachRecordId(const std::string& case_id);

struct ReportViolationRequest {
  std::string subject;
  // ViolationReported's data: violation, harm, fault, harm_reduced,
  // rectification_commitment, rectification_days, procedure, department
  // (the deciding department: the officer's own when the officer has one,
  // else the policy's <penalty-record department>), findings.
  engine::Json report = engine::Json::object();
  engine::Actor actor;
  std::string idempotency_key;
};

// Opens an enforcement case pinned to the discretion policy in force today
// and triages the report. InvalidArgument("invalid_credit_code"),
// ("invalid_event_data") with one error per field; NotFound
// ("no_policy_in_force"); FailedPrecondition("unknown_violation") for a code
// no catalogue in force lists, ("calendar_unknown_year") when the deadline
// cannot be counted; PermissionDenied("wrong_department") when an officer
// names a department not their own.
engine::Result<engine::CommandResult> ReportViolation(engine::CaseService& service,
                                                      const ReportViolationRequest& request);

}  // namespace credflow::workflows::enforcement
