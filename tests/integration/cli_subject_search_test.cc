// `credflow subject list --search`: subjects found by code prefix, a part
// of the name, or the pinyin of the name; and the schema migration that
// adds the pinyin key computes it for the subjects already stored.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/run_command.h"
#include "tests/support/test_databases.h"

namespace credflow::testing {
namespace {

class CliSubjectSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(
        Run("subject register 91320500L968FMY61Q --name 苏州禾丰餐饮管理有限公司 --grade C --reason 测试").exit_code,
        0);
    ASSERT_EQ(
        Run("subject register 91350200MA2Y0AB12H --name 厦门鹭江银行股份有限公司 --grade A --reason 测试").exit_code,
        0);
  }
  CommandOutput Run(const std::string& args) {
    return RunCredflow("--database " + ShellQuote(db_.url()) + " --clock-date 2026-12-07 " + args);
  }
  // The codes `subject list --search TEXT` prints.
  std::string Found(const std::string& text) {
    CommandOutput out = Run("subject list --search " + ShellQuote(text));
    EXPECT_EQ(out.exit_code, 0) << out.output;
    std::string codes;
    for (const char* code : {"91320500L968FMY61Q", "91350200MA2Y0AB12H"}) {
      if (out.output.find(code) != std::string::npos) codes += std::string(codes.empty() ? "" : " ") + code;
    }
    return codes;
  }

  ScratchSqliteFile db_;
};

TEST_F(CliSubjectSearchTest, FindsByCodeNameOrPinyin) {
  EXPECT_EQ(Found("禾丰"), "91320500L968FMY61Q");
  EXPECT_EQ(Found("9135"), "91350200MA2Y0AB12H");
  EXPECT_EQ(Found("hefeng"), "91320500L968FMY61Q");
  EXPECT_EQ(Found("SZHF"), "91320500L968FMY61Q");
  // Words read otherwise than their characters alone: 厦门 xia men, 银行 yin hang.
  EXPECT_EQ(Found("xiamen"), "91350200MA2Y0AB12H");
  EXPECT_EQ(Found("yinhang"), "91350200MA2Y0AB12H");
  EXPECT_EQ(Found("xmljyh"), "91350200MA2Y0AB12H");
  EXPECT_EQ(Found("gongsi"), "91320500L968FMY61Q 91350200MA2Y0AB12H");
  EXPECT_EQ(Found("shanghai"), "");
  CommandOutput empty = Run("subject list --search ''");
  EXPECT_EQ(empty.exit_code, 2) << empty.output;
  EXPECT_NE(empty.output.find("--search must be 1-200 bytes"), std::string::npos) << empty.output;
}

// A store made before the pinyin key: the migration that adds it computes
// it from the names already there.
TEST_F(CliSubjectSearchTest, TheMigrationBackfillsTheKeysOfStoredNames) {
  // Back to schema version 8: no search_key column, version 9 not applied.
  CommandOutput undone = RunShell(
      "python3 -c \"import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
      "c.execute('ALTER TABLE subjects DROP COLUMN search_key'); "
      "c.execute('DELETE FROM schema_migrations WHERE version = 9'); c.commit()\" " +
      ShellQuote(db_.path()));
  ASSERT_EQ(undone.exit_code, 0) << undone.output;
  CommandOutput migrated = Run("migrate");
  ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  EXPECT_EQ(Found("hefeng"), "91320500L968FMY61Q");
  EXPECT_EQ(Found("xmljyh"), "91350200MA2Y0AB12H");
}

}  // namespace
}  // namespace credflow::testing
