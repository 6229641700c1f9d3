// The random-inspection lifecycle (双随机、一公开): the visit and its
// department tasks for the registry, what the plan and the machine share
// about a subject's grade and its inspections in a cycle, and the commands
// of the window and the departments. The cycle's plan is in plan.h.
#pragma once

#include <memory>
#include <string>

#include "engine/case_service.h"
#include "engine/workflow.h"
#include "policies/inspection_rules.h"

namespace credflow::workflows::inspection {

std::unique_ptr<engine::WorkflowDefinition> NewInspectionWorkflow();
std::unique_ptr<engine::WorkflowDefinition> NewInspectionTaskWorkflow();

// The seed of cycle `cycle_id`'s plan, "inspection:<cycle>": derived from
// the cycle, so that nobody chooses it and an auditor can recompute the draw.
std::string PlanSeed(const std::string& cycle_id);

// The grade a subject is drawn under: its risk grade, else the policy's
// default grade (a subject never graded).
std::string GradeOf(const policies::InspectionSection& section, const engine::SubjectFacts& facts);
// The subject's inspections that count against cycle `cycle_id` (its
// inspection records of that cycle, open or concluded).
int InspectionsInCycle(const engine::SubjectFacts& facts, const std::string& cycle_id);

struct OpenInspectionRequest {
  std::string subject;
  std::string grounds;  // complaint | lead | referral
  std::string joint;    // a joint inspection of the policy, or "" for the policy's department alone
  std::string note;
  engine::Actor actor;
  std::string idempotency_key;
};

// Opens a visit on a complaint, a lead or a referral (never refused for
// "无事不扰": the limit bounds the random draw only) and gives its tasks to
// the departments. Fails as CaseService::Open, and with
// InvalidArgument("invalid_event_data") for an unknown joint inspection.
engine::Result<engine::CommandResult> OpenInspection(engine::CaseService& service,
                                                     const OpenInspectionRequest& request);

// The task of `department` under visit `visit_id` (the open one first), or
// NotFound("task_not_found").
engine::Result<std::string> FindInspectionTask(engine::CaseService& service, const std::string& visit_id,
                                               const std::string& department);

}  // namespace credflow::workflows::inspection
