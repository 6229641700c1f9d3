#include "workflows/inspection/inspection_workflow.h"

#include "workflows/common/msm_workflow.h"
#include "workflows/inspection/inspection_machine.h"
#include "workflows/inspection/task_machine.h"

namespace credflow::workflows::inspection {
namespace {

using engine::Json;
using engine::Status;

// Bump when a state is renamed or removed (stored cases name their states).
constexpr int kDefinitionVersion = 1;

// At most this many tasks under one visit (the departments of a joint
// inspection), for finding a department's task.
constexpr int kMaxTasksPerVisit = 64;

// The visit reads the subject's grade (its profile) and its inspection
// records (the cycle's count); nothing else about the subject.
class InspectionWorkflow final : public MsmWorkflow<InspectionMachine> {
 public:
  InspectionWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, policies::kInspectionPolicyId) {}
  std::vector<std::string> FactKinds() const override { return {kInspectionRecord}; }
};

// A task reads nothing about the subject beyond what its visit gave it.
class InspectionTaskWorkflow final : public MsmWorkflow<InspectionTaskMachine> {
 public:
  InspectionTaskWorkflow() : MsmWorkflow(kTaskWorkflowName, kDefinitionVersion, policies::kInspectionPolicyId) {}
  std::vector<std::string> FactKinds() const override { return {kInspectionRecord}; }
};

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewInspectionWorkflow() { return std::make_unique<InspectionWorkflow>(); }
std::unique_ptr<engine::WorkflowDefinition> NewInspectionTaskWorkflow() {
  return std::make_unique<InspectionTaskWorkflow>();
}

engine::Result<engine::CommandResult> OpenInspection(engine::CaseService& service,
                                                     const OpenInspectionRequest& request) {
  Json requested = {{"grounds", request.grounds}};
  if (!request.joint.empty()) requested["joint"] = request.joint;
  if (!request.note.empty()) requested["note"] = request.note;
  engine::OpenCaseRequest open;
  open.workflow = kWorkflowName;
  open.subject = request.subject;
  open.actor = request.actor;
  open.idempotency_key = request.idempotency_key;
  open.events.push_back(engine::EventInput{InspectionRequested::kName, std::move(requested), request.actor});
  return service.Open(open);
}

engine::Result<std::string> FindInspectionTask(engine::CaseService& service, const std::string& visit_id,
                                               const std::string& department) {
  engine::CaseQuery q;
  q.parent_id = visit_id;
  q.workflow = kTaskWorkflowName;
  q.department = department;
  q.limit = kMaxTasksPerVisit;
  engine::Result<std::vector<engine::Case>> tasks = service.store().FindCases(q);
  if (!tasks.ok()) return tasks.status();
  for (const engine::Case& t : *tasks) {
    if (!t.closed) return t.id;
  }
  if (!tasks->empty()) return tasks->front().id;
  return Status::NotFound("task_not_found",
                          "inspection " + visit_id + " has no task for department '" + department + "'");
}

}  // namespace credflow::workflows::inspection
