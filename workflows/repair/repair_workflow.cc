#include "workflows/repair/repair_workflow.h"

#include "engine/form_data.h"
#include "policies/repair_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/repair/repair_machine.h"
#include "workflows/repair/task_machine.h"

namespace credflow::workflows::repair {
namespace {

using engine::Json;
using engine::Status;

// Bump when a state is renamed or removed (stored cases name their states).
constexpr int kDefinitionVersion = 1;

// The application pins the unified window's rules (信用中国, Order 36 art 5);
// each record's procedure comes from its own track on the application date.
const std::string kApplicationPolicy = policies::kCreditChinaRepairPolicyId;

class RepairWorkflow final : public MsmWorkflow<RepairMachine> {
 public:
  RepairWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, kApplicationPolicy) {}
};

// A task pins its record's track in force on the day it is accepted, which
// sets its decision time (SAMR: 15 WD, 7 WD from 2025-12-25).
class RepairTaskWorkflow final : public MsmWorkflow<TaskMachine> {
 public:
  RepairTaskWorkflow() : MsmWorkflow(kTaskWorkflowName, kDefinitionVersion, kApplicationPolicy) {}

  std::string PolicyIdFor(const Json& opening_data) const override {
    const char* id = policies::RepairPolicyIdFor(Text(opening_data, "platform"));
    return id != nullptr ? id : kApplicationPolicy;
  }
};

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewRepairWorkflow() { return std::make_unique<RepairWorkflow>(); }
std::unique_ptr<engine::WorkflowDefinition> NewRepairTaskWorkflow() { return std::make_unique<RepairTaskWorkflow>(); }

engine::Result<engine::CommandResult> ApplyForRepair(engine::CaseService& service,
                                                     const RepairApplicationRequest& request) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.subject, "subject"));
  if (request.records.empty() || static_cast<int>(request.records.size()) > kMaxRecordsPerApplication) {
    return Status::InvalidArgument(
        "invalid_event_data", "an application names 1 to " + std::to_string(kMaxRecordsPerApplication) + " records",
        {{"records", "invalid_count",
          "records must name 1 to " + std::to_string(kMaxRecordsPerApplication) + " dishonesty records"}});
  }
  Json applied = {{"records", request.records}, {"documents", request.documents}};
  if (!request.applicant_name.empty()) applied["applicant_name"] = request.applicant_name;
  if (!request.grounds.empty()) applied["grounds"] = request.grounds;
  engine::OpenCaseRequest open;
  open.workflow = kWorkflowName;
  open.subject = request.subject;
  open.actor = request.actor;
  open.events.push_back(engine::EventInput{RepairApplied::kName, applied, request.actor});

  engine::CommandOptions options;
  options.idempotency_key = request.idempotency_key;
  options.describe = Json{{"op", "apply_for_repair"}, {"subject", request.subject}, {"application", applied}};
  engine::CommandResult result;
  engine::Result<engine::CommandAnswer> answer = service.RunCommand(options, [&](engine::UnitOfWork& tx, Json* body) {
    result = engine::CommandResult{};
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

engine::Result<std::string> FindTask(engine::CaseService& service, const std::string& application_id,
                                     const std::string& department) {
  engine::CaseQuery q;
  q.parent_id = application_id;
  q.workflow = kTaskWorkflowName;
  q.department = department;
  q.limit = kMaxRecordsPerApplication;
  engine::Result<std::vector<engine::Case>> tasks = service.store().FindCases(q);
  if (!tasks.ok()) return tasks.status();
  const engine::Case* found = nullptr;
  for (const engine::Case& t : *tasks) {
    if (!t.closed && found == nullptr) found = &t;
  }
  if (found == nullptr && !tasks->empty()) found = &tasks->front();
  if (found == nullptr) {
    return Status::NotFound("task_not_found",
                            "application " + application_id + " has no task for department '" + department + "'");
  }
  return found->id;
}

}  // namespace credflow::workflows::repair
