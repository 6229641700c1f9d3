// MachineTest: the fixture every workflow's machine test shares. It fires
// one event on a workflow definition at a given state, with a hand-made
// context (the shipped rules, the case, the subject's facts, the children),
// and keeps the output for the test to assert on. No store, no engine: the
// machine alone, one row at a time.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/workflow.h"
#include "policies/date.h"

namespace credflow::testing {

class MachineTest : public ::testing::Test {
 protected:
  // The case `case_id` of `workflow` about `subject`, under the version of
  // `policy_id` in force on `policy_on`.
  MachineTest(std::unique_ptr<engine::WorkflowDefinition> workflow, const std::string& policy_id,
              policies::Date policy_on, std::string case_id, std::string subject);

  // Restores the machine at `state` and fires `event` with `data` on
  // `today` (the clock at the start of that day), as a caseworker.
  engine::Status Fire(const std::string& state, const std::string& event, engine::Json data, policies::Date today);

  // The effects of type E the last Fire produced, in order.
  template <class E>
  std::vector<const E*> EffectsOf() const {
    std::vector<const E*> found;
    for (const engine::Effect& e : out_.effects) {
      if (const E* typed = std::get_if<E>(&e)) found.push_back(typed);
    }
    return found;
  }

  // Adds a record of `kind` with `status` (and `data`) to the subject's facts.
  void AddRecord(const std::string& kind, const std::string& status, engine::Json data = engine::Json::object());

  std::unique_ptr<engine::WorkflowDefinition> workflow_;
  const policies::Policy* policy_ = nullptr;
  engine::Case c_;
  engine::SubjectFacts facts_;
  std::vector<engine::ChildCase> children_;             // seen by events that read children
  engine::Channel channel_ = engine::Channel::kPerson;  // how the event comes
  engine::Timestamp now_{};
  engine::TransitionContext context_;
  engine::TransitionOutput out_;
};

}  // namespace credflow::testing
