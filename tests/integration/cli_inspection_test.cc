// `credflow inspection ...` as an operator and a department use it on a
// SQLite file: a cycle id is checked before anything runs, the plan shows
// the draw, --commit opens the visits once, the department's inbox lists its
// task, only that department records on it, and the plan replays.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "tests/support/run_command.h"
#include "tests/support/test_databases.h"

namespace credflow::testing {
namespace {

class CliInspectionTest : public ::testing::Test {
 protected:
  // Runs credflow on the scratch database on `date`.
  CommandOutput On(const std::string& date, const std::string& args) {
    return RunCredflow("--database " + ShellQuote(db_.url()) + " --clock-date " + date + " " + args);
  }

  ScratchSqliteFile db_;
};

TEST_F(CliInspectionTest, PlanCommitInboxRecordReplay) {
  for (const char* register_subject :
       {"subject register 91320500L968FMY61Q --name 苏州禾丰餐饮管理有限公司 --grade D --reason 抽查测试",
        "subject register 91350100M000100Y43 --name 福州闽江演艺有限公司 --grade B --reason 抽查测试"}) {
    CommandOutput out = On("2026-03-02", register_subject);
    ASSERT_EQ(out.exit_code, 0) << out.output;
  }

  // A malformed cycle, and one of another unit than the policy plans by, are usage errors.
  CommandOutput bad = On("2026-03-02", "inspection plan --cycle 2026-Q5");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--cycle must be a year YYYY or a quarter YYYY-Qn"), std::string::npos) << bad.output;
  CommandOutput quarter = On("2026-03-02", "inspection plan --cycle 2026-Q1");
  EXPECT_EQ(quarter.exit_code, 2) << quarter.output;
  EXPECT_NE(quarter.output.find("invalid_cycle"), std::string::npos) << quarter.output;

  CommandOutput preview = On("2026-03-02", "inspection plan --cycle 2026 --json");
  ASSERT_EQ(preview.exit_code, 0) << preview.output;
  const nlohmann::json plan = nlohmann::json::parse(preview.output);
  EXPECT_EQ(plan.value("seed", ""), "inspection:2026");
  EXPECT_FALSE(plan.value("committed", true));
  ASSERT_EQ(plan["entries"].size(), 2u);
  for (const auto& e : plan["entries"]) {
    // D: round(0.8 x 1) = 1 drawn; B: round(0.2 x 1) = 0.
    EXPECT_EQ(e.value("selected", false), e.value("grade", "") == "D") << e.dump();
    EXPECT_EQ(e.value("reason", ""), e.value("grade", "") == "D" ? "sampled" : "not_sampled") << e.dump();
  }

  CommandOutput past = On("2027-01-04", "inspection plan --cycle 2026 --commit");
  EXPECT_EQ(past.exit_code, 1) << past.output;
  EXPECT_NE(past.output.find("cycle_not_current"), std::string::npos) << past.output;

  CommandOutput committed = On("2026-03-02", "inspection plan --cycle 2026 --commit --json");
  ASSERT_EQ(committed.exit_code, 0) << committed.output;
  const nlohmann::json record = nlohmann::json::parse(committed.output);
  ASSERT_EQ(record["visits"].size(), 1u);
  const std::string visit = record["visits"][0].value("case", "");
  CommandOutput again = On("2026-03-09", "inspection plan --cycle 2026 --commit");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("already committed: nothing opened"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find(visit), std::string::npos) << again.output;

  CommandOutput inbox = On("2026-03-09", "inspection inbox --department tax --json");
  ASSERT_EQ(inbox.exit_code, 0) << inbox.output;
  const nlohmann::json items = nlohmann::json::parse(inbox.output)["items"];
  ASSERT_EQ(items.size(), 1u) << inbox.output;
  EXPECT_EQ(items[0].value("visit", ""), visit);
  const std::string task = items[0].value("id", "");

  CommandOutput other = On("2026-03-09", "inspection record " + task + " --result passed --as-department fire");
  EXPECT_EQ(other.exit_code, 1) << other.output;
  EXPECT_NE(other.output.find("other_department"), std::string::npos) << other.output;
  CommandOutput recorded = On(
      "2026-03-09", "inspection record " + visit + " --result problems_found --findings 欠缴税款 --as-department tax");
  EXPECT_EQ(recorded.exit_code, 0) << recorded.output;
  EXPECT_NE(recorded.output.find("TaskProblemsFound"), std::string::npos) << recorded.output;

  CommandOutput replay = On("2026-03-09", "inspection replay --cycle 2026");
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("reproduced from the record and the histories"), std::string::npos) << replay.output;
}

}  // namespace
}  // namespace credflow::testing
