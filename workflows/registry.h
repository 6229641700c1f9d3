// Every workflow this build knows, by name.
#pragma once

#include "engine/workflow.h"

namespace credflow::workflows {

// Adds every lifecycle's definition to `registry`.
void RegisterAll(engine::WorkflowRegistry& registry);

}  // namespace credflow::workflows
