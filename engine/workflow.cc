#include "engine/workflow.h"

#include <algorithm>

namespace credflow::engine {

std::vector<std::string> WorkflowDefinition::EventsAcceptedIn(const std::string& state) const {
  std::vector<std::string> events;
  for (const TransitionInfo& t : transitions()) {
    if (t.from == state && std::find(events.begin(), events.end(), t.event) == events.end()) {
      events.push_back(t.event);
    }
  }
  return events;
}

const EventSpec* WorkflowDefinition::FindEvent(const std::string& event) const {
  for (const EventSpec& spec : events()) {
    if (spec.name == event) return &spec;
  }
  return nullptr;
}

void WorkflowRegistry::Add(std::unique_ptr<WorkflowDefinition> definition) {
  const std::string name = definition->name();
  definitions_[name] = std::move(definition);
}

const WorkflowDefinition* WorkflowRegistry::Find(const std::string& name) const {
  auto it = definitions_.find(name);
  return it == definitions_.end() ? nullptr : it->second.get();
}

std::vector<std::string> WorkflowRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, definition] : definitions_) names.push_back(name);
  return names;
}

}  // namespace credflow::engine
