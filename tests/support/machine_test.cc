#include "tests/support/machine_test.h"

#include "tests/support/shipped_rules.h"

namespace credflow::testing {

MachineTest::MachineTest(std::unique_ptr<engine::WorkflowDefinition> workflow, const std::string& policy_id,
                         policies::Date policy_on, std::string case_id, std::string subject)
    : workflow_(std::move(workflow)) {
  policy_ = ShippedRules().policies.Select(policy_id, policy_on);
  c_.id = std::move(case_id);
  c_.workflow = workflow_->name();
  c_.subject = std::move(subject);
  facts_.subject = c_.subject;
}

engine::Status MachineTest::Fire(const std::string& state, const std::string& event, engine::Json data,
                                 policies::Date today) {
  const auto& rules = ShippedRules();
  c_.state = state;
  now_ = engine::StartOfDay(today);
  context_ = engine::TransitionContext{};
  context_.current = &c_;
  context_.policy = policy_;
  context_.policies = &rules.policies;
  context_.calendar = &rules.calendar;
  context_.facts = &facts_;
  const engine::EventSpec* spec = workflow_->FindEvent(event);
  if (spec != nullptr && spec->reads_children) context_.children = &children_;
  context_.channel = channel_;
  context_.today = today;
  context_.now = now_;
  out_ = engine::TransitionOutput{};
  out_.data = c_.data;
  return workflow_->Fire(state, engine::EventInput{event, std::move(data), {"u", "caseworker", ""}}, context_, &out_);
}

void MachineTest::AddRecord(const std::string& kind, const std::string& status, engine::Json data) {
  engine::SubjectRecord r;
  r.id = kind + "-" + std::to_string(facts_.records.size() + 1);
  r.data = std::move(data);
  r.subject = c_.subject;
  r.kind = kind;
  r.status = status;
  facts_.records.push_back(r);
}

}  // namespace credflow::testing
