// The web console names every state and event in Chinese from one table
// (adapters/console/src/labels.js). A workflow that gains a state or an
// event without a name there would show its code to the people at the
// window: these tests read the table and hold it against the registry.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "engine/deadlines.h"
#include "engine/effects.h"
#include "engine/workflow.h"
#include "tests/support/paths.h"
#include "workflows/registry.h"

namespace credflow {
namespace {

// The keys of `export const <table> = { ... };` in labels.js.
std::set<std::string> TableKeys(const std::string& table) {
  std::ifstream in(testing::SourceDir() + "/adapters/console/src/labels.js");
  std::stringstream text;
  text << in.rdbuf();
  const std::string js = text.str();
  const size_t start = js.find("export const " + table + " = {");
  if (start == std::string::npos) return {};
  const std::string body = js.substr(start, js.find("\n};", start) - start);
  const std::regex entry(R"(\n\s+'?([A-Za-z_-]+)'?: ')");
  std::set<std::string> keys;
  for (std::sregex_iterator it(body.begin(), body.end(), entry), end; it != end; ++it) keys.insert((*it)[1]);
  return keys;
}

class ConsoleLabelsTest : public ::testing::Test {
 protected:
  void SetUp() override { workflows::RegisterAll(registry_); }
  engine::WorkflowRegistry registry_;
};

TEST_F(ConsoleLabelsTest, EveryWorkflowHasAChineseName) {
  const std::set<std::string> names = TableKeys("workflowNames");
  ASSERT_FALSE(names.empty()) << "no workflowNames table in labels.js";
  for (const std::string& workflow : registry_.Names()) EXPECT_EQ(names.count(workflow), 1u) << workflow;
}

TEST_F(ConsoleLabelsTest, EveryStateOfEveryWorkflowHasAChineseName) {
  const std::set<std::string> names = TableKeys("stateNames");
  ASSERT_FALSE(names.empty()) << "no stateNames table in labels.js";
  for (const std::string& workflow : registry_.Names()) {
    for (const std::string& state : registry_.Find(workflow)->states()) {
      EXPECT_EQ(names.count(state), 1u) << workflow << " state " << state;
    }
  }
}

TEST_F(ConsoleLabelsTest, EveryEventOfEveryWorkflowHasAChineseName) {
  const std::set<std::string> names = TableKeys("eventNames");
  ASSERT_FALSE(names.empty()) << "no eventNames table in labels.js";
  for (const std::string& workflow : registry_.Names()) {
    for (const engine::EventSpec& event : registry_.Find(workflow)->events()) {
      EXPECT_EQ(names.count(event.name), 1u) << workflow << " event " << event.name;
    }
  }
  // The engine's own events, in every history.
  for (const char* event : {"CaseOpened", engine::kDeadlineRecomputedEvent, engine::kChildReachedOutcomeEvent}) {
    EXPECT_EQ(names.count(event), 1u) << "engine event " << event;
  }
}

}  // namespace
}  // namespace credflow
