#include "tests/support/join_workflows.h"

#include "workflows/common/child_outcome.h"

namespace credflow::testing {
namespace {

using engine::Json;
using engine::Status;

// A hand-written definition (no MSM): the engine must not care.
class TableWorkflow : public engine::WorkflowDefinition {
 public:
  TableWorkflow(std::string name, std::string initial, std::vector<engine::TransitionInfo> rows,
                std::vector<engine::EventSpec> events)
      : name_(std::move(name)), initial_(std::move(initial)), rows_(std::move(rows)), events_(std::move(events)) {}
  const std::string& name() const override { return name_; }
  int version() const override { return 1; }
  const std::string& policy_id() const override { return policy_; }
  std::string initial_state() const override { return initial_; }
  std::vector<std::string> states() const override {
    std::vector<std::string> s{initial_};
    for (const auto& r : rows_) s.push_back(r.to);
    return s;
  }
  std::vector<engine::TransitionInfo> transitions() const override { return rows_; }
  const std::vector<engine::EventSpec>& events() const override { return events_; }

 protected:
  Status Refuse(const std::string& state, const std::string& event) const {
    return Status::FailedPrecondition("event_not_allowed", state + " does not accept " + event);
  }

 private:
  std::string name_;
  std::string initial_;
  std::string policy_ = "commitment";
  std::vector<engine::TransitionInfo> rows_;
  std::vector<engine::EventSpec> events_;
};

// The fanout joins by reading its children's own rows (context.children),
// never by counting deliveries: the delivery that finds every child decided
// joins, whichever it is; later deliveries are recorded in the joined state.
class FanoutWorkflow final : public TableWorkflow {
 public:
  FanoutWorkflow()
      : TableWorkflow("fanout", "Open",
                      {{"Open", "Dispatch", "Waiting", "OpenTasks", "none"},
                       {"Waiting", "ChildReachedOutcome", "Waiting", "RecordAnswer", "ChildrenOutstanding"},
                       {"Waiting", "ChildReachedOutcome", "Joined", "RecordAnswer", "AllChildrenDecided"},
                       {"Joined", "ChildReachedOutcome", "Joined", "RecordAnswer", "none"}},
                      {engine::Declare::Person({"caseworker", "admin"})
                           .Required("count", forms::FieldType::kInteger)
                           .Range(0, 50)
                           .Named("Dispatch"),
                       workflows::ChildReachedOutcome::Spec()}) {}
  std::string OutcomeOf(const std::string& state) const override { return state == "Joined" ? "joined" : "pending"; }
  bool IsFinal(const std::string& state) const override { return state == "Joined"; }
  Status Fire(const std::string& state, const engine::EventInput& event, const engine::TransitionContext& context,
              engine::TransitionOutput* out) const override {
    if (state == "Open" && event.name == "Dispatch") {
      const int count = event.data.value("count", 0);
      for (int i = 0; i < count; ++i) out->effects.push_back(engine::OpenChild("task", Json{{"index", i}}));
      out->to_state = "Waiting";
      return Status::Ok();
    }
    if ((state == "Waiting" || state == "Joined") && event.name == engine::kChildReachedOutcomeEvent) {
      out->data["answers"][event.data.value("child", "")] = event.data.value("outcome", "");
      bool all_decided = context.children != nullptr && !context.children->empty();
      if (context.children != nullptr) {
        for (const engine::ChildCase& child : *context.children) {
          if (child.outcome == engine::kOutcomePending) all_decided = false;
        }
      }
      out->to_state = state == "Joined" || all_decided ? "Joined" : "Waiting";
      return Status::Ok();
    }
    return Refuse(state, event.name);
  }
};

class TaskWorkflow final : public TableWorkflow {
 public:
  TaskWorkflow()
      : TableWorkflow("task", "Pending", {{"Pending", "Decide", "Decided", "RecordDecision", "none"}},
                      {engine::Declare::Person({"caseworker", "department", "admin"})
                           .Optional("decision", forms::FieldType::kString)
                           .Named("Decide")}) {}
  std::string OutcomeOf(const std::string& state) const override { return state == "Decided" ? "decided" : "pending"; }
  bool IsFinal(const std::string& state) const override { return state == "Decided"; }
  Status Fire(const std::string& state, const engine::EventInput& event, const engine::TransitionContext&,
              engine::TransitionOutput* out) const override {
    if (state == "Pending" && event.name == "Decide") {
      out->data["decision"] = event.data.value("decision", "");
      out->to_state = "Decided";
      return Status::Ok();
    }
    return Refuse(state, event.name);
  }
};

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewFanoutWorkflow() { return std::make_unique<FanoutWorkflow>(); }
std::unique_ptr<engine::WorkflowDefinition> NewTaskWorkflow() { return std::make_unique<TaskWorkflow>(); }

}  // namespace credflow::testing
