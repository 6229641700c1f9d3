// The coordinated-repair lifecycle: the application and its department
// tasks for the registry, and the commands the window and the departments
// use.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "engine/workflow.h"

namespace credflow::workflows::repair {

std::unique_ptr<engine::WorkflowDefinition> NewRepairWorkflow();
std::unique_ptr<engine::WorkflowDefinition> NewRepairTaskWorkflow();

// At most this many records in one application (Dongguan's joint inquiry
// names 23 departments; a bound on what one request may fan out to).
inline constexpr int kMaxRecordsPerApplication = 200;

struct RepairApplicationRequest {
  std::string subject;
  std::vector<std::string> records;  // dishonesty-record case ids of the subject
  std::vector<std::string> documents;
  std::string applicant_name;
  // "ordinary" or "bankruptcy_reorganisation"; empty: bankruptcy
  // reorganisation when the documents include the court's ruling.
  std::string grounds;
  engine::Actor actor;
  std::string idempotency_key;
};

// Opens a repair application and runs intake, in one transaction: the answer
// says at once what is refused (with `earliest_application`), what is
// missing, or that the tasks went to the departments.
engine::Result<engine::CommandResult> ApplyForRepair(engine::CaseService& service,
                                                     const RepairApplicationRequest& request);

// The open task of `department` under application `application_id`
// (NotFound("task_not_found") when there is none).
engine::Result<std::string> FindTask(engine::CaseService& service, const std::string& application_id,
                                     const std::string& department);

}  // namespace credflow::workflows::repair
