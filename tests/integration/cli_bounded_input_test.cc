// Hostile and foreign input to the credflow binary (issue 12, "bounded
// parsing"): GBK bytes in an argument are a usage error naming the argument
// (never an abort, exit 134), a GBK CSV is read as GB 18030 (detected, or
// named with --encoding) into UTF-8 names, and JSON arguments and scenario
// files nested 100,000 deep are refused as too_deep.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/import/text_encoding.h"
#include "engine/case_service.h"
#include "tests/support/run_command.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"

namespace credflow::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSubject = "91320500L968FMY61Q";
constexpr const char* kName = "苏州禾丰餐饮管理有限公司";

std::string Gbk(const std::string& utf8) {
  engine::Result<std::string> bytes = adapters::importer::EncodeFromUtf8(utf8, "GBK");
  EXPECT_OK(bytes);
  return bytes.ok() ? *bytes : std::string();
}

// `levels` objects nested in one another, as JSON text.
std::string Nested(size_t levels) {
  std::string text;
  for (size_t i = 0; i < levels; ++i) text += "{\"a\":";
  text += "1";
  text.append(levels, '}');
  return text;
}

class CliBoundedInputTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  CommandOutput Run(const std::string& args) {
    return RunCredflow("--database " + ShellQuote(db_.url()) + " --clock-date 2025-03-03 " + args);
  }
  // Writes `bytes` to a file in the test's folder; returns its path.
  std::string Write(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  ScratchSqliteFile db_;
  fs::path dir_ = fs::temp_directory_path() / ("credflow-bounded-" + engine::NewRandomId());
};

// A subject name in GBK bytes on `subject register` is a usage error (exit 2)
// naming --name, in both spellings of the option, and nothing is registered.
TEST_F(CliBoundedInputTest, AGbkNameOnSubjectRegisterIsAUsageErrorNamingTheArgument) {
  for (const std::string& name : {"--name " + ShellQuote(Gbk(kName)), "--name=" + ShellQuote(Gbk(kName))}) {
    CommandOutput out =
        Run(std::string("subject register ") + kSubject + " " + name + " --grade D --reason " + ShellQuote("测试"));
    EXPECT_EQ(out.exit_code, 2) << out.output;
    EXPECT_NE(out.output.find("invalid_utf8"), std::string::npos) << out.output;
    EXPECT_NE(out.output.find("the value of --name is not valid UTF-8"), std::string::npos) << out.output;
  }
  CommandOutput shown = Run(std::string("subject show ") + kSubject);
  EXPECT_EQ(shown.output.find(kName), std::string::npos) << shown.output;
}

// A CSV saved by Excel in GBK is detected and read as GB 18030 without
// --encoding, and read the same with --encoding gb18030: the names are
// stored as UTF-8 Chinese. Declared UTF-8, it is refused naming the line.
TEST_F(CliBoundedInputTest, AGbkCsvIsDetectedOrNamedAndItsNamesAreStoredAsUtf8) {
  const std::string csv = Write("subjects.csv", Gbk(std::string("code,name,status,grade,grade_reason\n") + kSubject +
                                                    "," + kName + ",operating,A,导入\n"));
  CommandOutput wrong = Run("subject import --encoding utf-8 " + ShellQuote(csv));
  EXPECT_EQ(wrong.exit_code, 1) << wrong.output;
  EXPECT_NE(wrong.output.find("line 2: the bytes are not valid UTF-8"), std::string::npos) << wrong.output;

  CommandOutput detected = Run("subject import " + ShellQuote(csv));
  ASSERT_EQ(detected.exit_code, 0) << detected.output;
  EXPECT_NE(detected.output.find("1 row(s) read as gb18030: 1 imported"), std::string::npos) << detected.output;
  CommandOutput shown = Run(std::string("subject show ") + kSubject);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find(kName), std::string::npos) << shown.output;

  ScratchSqliteFile other;
  CommandOutput named = RunCredflow("--database " + ShellQuote(other.url()) +
                                    " --clock-date 2025-03-03 subject import --encoding gb18030 " + ShellQuote(csv));
  ASSERT_EQ(named.exit_code, 0) << named.output;
  EXPECT_NE(named.output.find("read as gb18030: 1 imported"), std::string::npos) << named.output;
  CommandOutput shown_other =
      RunCredflow("--database " + ShellQuote(other.url()) + " --clock-date 2025-03-03 subject show " + kSubject);
  EXPECT_NE(shown_other.output.find(kName), std::string::npos) << shown_other.output;
}

// --data and --form (inline or @file) nested 100,000 deep are refused as
// too_deep before anything runs; GBK bytes in a --data file are invalid_utf8
// naming the file.
TEST_F(CliBoundedInputTest, JsonArgumentsNestedTooDeepOrNotUtf8AreRefused) {
  const std::string deep = Write("deep.json", Nested(100000));
  CommandOutput fired = Run("case fire some-case CommitmentWithdrawn --data @" + deep);
  EXPECT_EQ(fired.exit_code, 2) << fired.output.substr(0, 400);
  EXPECT_NE(fired.output.find("too_deep"), std::string::npos) << fired.output.substr(0, 400);
  CommandOutput filed = Run(std::string("commitment file --subject ") + kSubject +
                            " --type food_business_permit --form " + ShellQuote(Nested(2000)));
  EXPECT_EQ(filed.exit_code, 2) << filed.output.substr(0, 400);
  EXPECT_NE(filed.output.find("too_deep"), std::string::npos) << filed.output.substr(0, 400);

  const std::string gbk = Write("gbk.json", "{\"name\":\"" + Gbk(kName) + "\"}");
  CommandOutput bytes = Run("case fire some-case CommitmentWithdrawn --data @" + gbk);
  EXPECT_EQ(bytes.exit_code, 2) << bytes.output;
  EXPECT_NE(bytes.output.find("invalid_utf8: --data file " + gbk + " is not valid UTF-8"), std::string::npos)
      << bytes.output;
}

// A scenario file nested 100,000 deep fails as a file (too_deep), without a
// crash.
TEST_F(CliBoundedInputTest, AScenarioFileNestedTooDeepFailsWithoutACrash) {
  const std::string deep = Write("deep-scenario.json", "{\"scenario\":\"deep\",\"steps\":[" + Nested(100000) + "]}");
  CommandOutput out = Run("scenario run " + ShellQuote(deep));
  EXPECT_EQ(out.exit_code, 1) << out.output.substr(0, 400);
  EXPECT_NE(out.output.find("too_deep"), std::string::npos) << out.output.substr(0, 400);
}

}  // namespace
}  // namespace credflow::testing
