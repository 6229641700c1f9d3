// The delivery of a child's outcome to its parent, shared by every parent
// workflow. The engine raises it (one delivery per child and outcome, see
// engine/effects.h); the parent's guards read the delivered outcome from the
// event and every child's current outcome from TransitionContext::children.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "workflows/common/machine_base.h"

namespace credflow::workflows {

// data: {"child", "workflow", "outcome", "reason", "child_data"}.
CREDFLOW_EVENT(ChildReachedOutcome, Declare::System()
                                        .Required("child", forms::FieldType::kString)
                                        .Required("workflow", forms::FieldType::kString)
                                        .Required("outcome", forms::FieldType::kString)
                                        .Optional("reason", forms::FieldType::kString)
                                        .Object("child_data", false)
                                        .ReadsChildren()
                                        .Describe("a child case reached an outcome (delivered by the engine)"));
static_assert(std::string_view(ChildReachedOutcome::kName) == engine::kChildReachedOutcomeEvent);

// Whether a ChildReachedOutcome event reports `outcome` from a child of `workflow`.
bool IsChildOutcome(const EventBase& e, const char* workflow, const char* outcome);

// The children of `workflow` as the parent's context has them (empty for an
// event that does not read children).
std::vector<engine::ChildCase> ChildrenOf(const MachineBase& m, const char* workflow);

// True when the case has at least one child of `workflow` and every one has
// left `kOutcomePending` (a join over children that finish in any order).
bool AllChildrenConcluded(const MachineBase& m, const char* workflow);

}  // namespace credflow::workflows
