#include "workflows/common/child_outcome.h"

#include "workflows/common/action_helpers.h"

namespace credflow::workflows {

bool IsChildOutcome(const EventBase& e, const char* workflow, const char* outcome) {
  return Text(e.data(), "workflow") == workflow && Text(e.data(), "outcome") == outcome;
}

std::vector<engine::ChildCase> ChildrenOf(const MachineBase& m, const char* workflow) {
  std::vector<engine::ChildCase> out;
  if (m.context->children == nullptr) return out;
  for (const engine::ChildCase& c : *m.context->children) {
    if (c.workflow == workflow) out.push_back(c);
  }
  return out;
}

bool AllChildrenConcluded(const MachineBase& m, const char* workflow) {
  const std::vector<engine::ChildCase> children = ChildrenOf(m, workflow);
  if (children.empty()) return false;
  for (const engine::ChildCase& c : children) {
    if (c.outcome == engine::kOutcomePending) return false;
  }
  return true;
}

}  // namespace credflow::workflows
