// The scenario runner on malformed files: a member or step of the wrong
// JSON type fails that file or step with a message, never with an exception
// out of RunScenarioFile (found by tests/fuzz/scenario_fuzz.cc).
#include "adapters/scenario/scenario_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/case_service.h"
#include "tests/support/shipped_rules.h"

namespace credflow::adapters {
namespace {

class ScenarioRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("credflow-scenario-test-" + engine::NewRandomId());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ScenarioReport Play(const std::string& json) {
    const std::string file = (dir_ / "scenario.json").string();
    std::ofstream(file) << json;
    return RunScenarioFile(file, testing::ShippedRules(), ScenarioOptions{});
  }

  std::filesystem::path dir_;
};

// A "scenario" or "title" that is no string fails the file, naming the key.
TEST_F(ScenarioRunnerTest, NameOrTitleOfAnotherTypeFailsTheFile) {
  for (const char* json : {R"({"scenario": 1, "steps": []})", R"({"title": ["t"], "steps": []})"}) {
    ScenarioReport report = Play(json);
    ASSERT_TRUE(report.failed()) << json;
    ASSERT_EQ(report.steps.size(), 1u);
    EXPECT_NE(report.steps[0].detail.find("must be a string"), std::string::npos) << report.steps[0].detail;
  }
}

// A step that is no object fails as step 1, and the rest are not played.
TEST_F(ScenarioRunnerTest, StepThatIsNoObjectFailsThatStep) {
  ScenarioReport report = Play(R"({"steps": [1, {"on": "2024-01-01", "expect": {}}]})");
  ASSERT_EQ(report.steps.size(), 2u);
  EXPECT_EQ(report.steps[0].result, StepReport::Result::kFailed);
  EXPECT_EQ(report.steps[0].detail, "the step is not a JSON object");
  EXPECT_EQ(report.steps[1].result, StepReport::Result::kUnsupported);
}

// An "on" that is no string is a step without a date.
TEST_F(ScenarioRunnerTest, OnThatIsNoStringFailsThatStep) {
  ScenarioReport report = Play(R"({"steps": [{"on": 20240101, "do": "record_dishonesty"}]})");
  ASSERT_EQ(report.steps.size(), 1u);
  EXPECT_EQ(report.steps[0].result, StepReport::Result::kFailed);
  EXPECT_EQ(report.steps[0].detail, "the step has no 'on' date (a string)");
}

// A "do" that is no string fails the step with the runner's own message.
TEST_F(ScenarioRunnerTest, DoThatIsNoStringFailsThatStep) {
  ScenarioReport report = Play(R"({"steps": [{"on": "2024-01-01", "do": 7}]})");
  ASSERT_EQ(report.steps.size(), 1u);
  EXPECT_EQ(report.steps[0].result, StepReport::Result::kFailed);
  EXPECT_EQ(report.steps[0].detail, "'do' must be a string");
}

}  // namespace
}  // namespace credflow::adapters
