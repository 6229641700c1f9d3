// Two tiny test-only workflows that exercise the engine's parent/child join
// without the repair workflow: a "fanout" parent opens N "task" children;
// each task is decided once; the parent collects ChildReachedOutcome
// deliveries and is "Joined" when every child has answered.
#pragma once

#include <memory>

#include "engine/workflow.h"

namespace credflow::testing {

// fanout: Open --Dispatch{count}--> Waiting (opens `count` tasks)
//         Waiting --ChildReachedOutcome--> Waiting | Joined (when all answered)
std::unique_ptr<engine::WorkflowDefinition> NewFanoutWorkflow();
// task:   Pending --Decide{decision}--> Decided (outcome = decision)
std::unique_ptr<engine::WorkflowDefinition> NewTaskWorkflow();

}  // namespace credflow::testing
