#include "workflows/registry.h"

#include "workflows/commitment/commitment_workflow.h"

namespace credflow::workflows {

void RegisterAll(engine::WorkflowRegistry& registry) {
  registry.Add(commitment::NewCommitmentWorkflow());
}

}  // namespace credflow::workflows
