// Credit repair from the command line, as the window and the departments
// use the binary: records added, listed and fulfilled; an application whose
// intake refuses one record (with the date it may be applied for) and sends
// the other to its department; a decision only that department may make;
// the one answer printed as the 修复结果告知书; the inbox; a revocation; and a
// GB 18030 CSV of records imported twice without recording anything twice.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "adapters/import/text_encoding.h"
#include "engine/case_service.h"
#include "tests/support/run_command.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"

namespace credflow::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRepairSubject = "91320500UNC8626R9D";

// The first capture of `pattern` in `text`, or "".
std::string Find(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : "";
}

class CliRepairTest : public ::testing::Test {
 protected:
  // credflow against the scratch store on `date`.
  CommandOutput Run(const std::string& args, const std::string& date = "2025-03-03") {
    return RunCredflow("--database " + ShellQuote(db_.url()) + " --clock-date " + date + " " + args);
  }
  // Adds a record; returns its case id.
  std::string AddRecord(const std::string& options) {
    CommandOutput out =
        Run(std::string("record add ") + kRepairSubject + " --platform credit_china --kind penalty " + options);
    EXPECT_EQ(out.exit_code, 0) << out.output;
    return Find(out.output, "\"id\":\"([^\"]+)\"");
  }

  ScratchSqliteFile db_;
};

TEST_F(CliRepairTest, ARepairRunsFromTheWindowToTheDepartmentAndTheNoticeIsPrinted) {
  const std::string ready = AddRecord("--department tax --department-name " + ShellQuote("国家税务总局苏州市税务局") +
                                      " --tier general --penalty fine --amount 20000 --violation " +
                                      ShellQuote("偷税") + " --decided-on 2024-06-03");
  const std::string early = AddRecord(
      "--department market --tier general --penalty fine --amount 5000 "
      "--decided-on 2025-01-06");  // 3 months not served on 2025-03-03
  ASSERT_FALSE(ready.empty());
  ASSERT_FALSE(early.empty());
  // A record whose data break RecordDecided's schema is refused with the field.
  CommandOutput bad = Run(std::string("record add ") + kRepairSubject + " --platform credit_china --kind penalty");
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("invalid_event_data"), std::string::npos) << bad.output;
  // A decision older than every rule is a date to check, said as such.
  CommandOutput old = Run(std::string("record add ") + kRepairSubject +
                          " --platform credit_china --kind penalty --department tax --tier general --penalty fine"
                          " --amount 5000 --decided-on 1970-01-01");
  EXPECT_EQ(old.exit_code, 1) << old.output;
  EXPECT_NE(old.output.find("no_rule_for_decision_date"), std::string::npos) << old.output;
  EXPECT_NE(old.output.find("2019-01-01"), std::string::npos) << old.output;
  // A restriction cannot end before the decision that imposed it.
  CommandOutput ended = Run(std::string("record add ") + kRepairSubject +
                            " --platform credit_china --kind penalty --department tax --tier general"
                            " --penalty practice_restriction --restriction-until 2020-01-01 --decided-on 2025-01-06");
  EXPECT_EQ(ended.exit_code, 1) << ended.output;
  EXPECT_NE(ended.output.find("restriction_until"), std::string::npos) << ended.output;
  // A grade needs its reason, and an empty one is none.
  EXPECT_EQ(Run(std::string("subject grade ") + kRepairSubject + " --grade C --reason ''").exit_code, 2);
  ASSERT_EQ(Run("record fulfil " + ready).exit_code, 0);

  CommandOutput list = Run(std::string("record list ") + kRepairSubject);
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("行政处罚 penalty"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("国家税务总局苏州市税务局"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("earliest_repair  2025-04-07"), std::string::npos) << list.output;
  CommandOutput json = Run(std::string("record list --json ") + kRepairSubject);
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_EQ(engine::Json::parse(json.output)["records"].size(), 2u) << json.output;

  CommandOutput applied =
      Run(std::string("repair apply ") + kRepairSubject + " --record " + ready + " --record " + early +
          " --document repair_commitment --document proof_of_performance --document business_licence"
          " --document agent_id --applicant " +
          ShellQuote("苏州禾丰餐饮管理有限公司"));
  ASSERT_EQ(applied.exit_code, 0) << applied.output;
  const std::string application = Find(applied.output, "repair +(\\S+)");
  ASSERT_FALSE(application.empty()) << applied.output;
  EXPECT_NE(applied.output.find("denied: minimum_period_not_served  (may be applied for from 2025-04-07)"),
            std::string::npos)
      << applied.output;
  const std::string task = Find(applied.output, "task +(\\S+) +tax");
  ASSERT_FALSE(task.empty()) << applied.output;

  CommandOutput inbox = Run("repair inbox tax");
  ASSERT_EQ(inbox.exit_code, 0) << inbox.output;
  EXPECT_NE(inbox.output.find(task), std::string::npos) << inbox.output;
  EXPECT_NE(inbox.output.find("10 working day(s) left"), std::string::npos) << inbox.output;

  // Only the deciding department decides, and a denial states its reason.
  CommandOutput other = Run("repair decide " + task + " --approve --as-department market");
  EXPECT_EQ(other.exit_code, 1) << other.output;
  EXPECT_NE(other.output.find("other_department"), std::string::npos) << other.output;
  EXPECT_EQ(Run("repair decide " + task + " --deny --as-department tax").exit_code, 2);
  EXPECT_EQ(Run("repair decide " + task + " --approve --deny --as-department tax").exit_code, 2);
  // Named by its application, the department's task is found.
  CommandOutput decided = Run("repair decide " + application + " --approve --as-department tax");
  ASSERT_EQ(decided.exit_code, 0) << decided.output;
  // Not answered yet: no notice to print.
  CommandOutput early_notice = Run("case print " + application + " --document repair_notice");
  EXPECT_EQ(early_notice.exit_code, 1) << early_notice.output;
  EXPECT_NE(early_notice.output.find("document_not_available"), std::string::npos) << early_notice.output;
  ASSERT_EQ(Run("timers run").exit_code, 0);

  CommandOutput shown = Run("repair show " + application);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("(outcome partially_repaired"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find(ready + "  tax  approved"), std::string::npos) << shown.output;

  CommandOutput notice = Run("case print " + application + " --document repair_notice");
  ASSERT_EQ(notice.exit_code, 0) << notice.output;
  EXPECT_NE(notice.output.find("信用修复结果告知书"), std::string::npos) << notice.output;
  EXPECT_NE(notice.output.find("苏州禾丰餐饮管理有限公司（统一社会信用代码：" + std::string(kRepairSubject) + "）"),
            std::string::npos)
      << notice.output;
  EXPECT_NE(notice.output.find("国家税务总局苏州市税务局认定的行政处罚信息（违法类型：偷税；决定日期：2024年6月3日）："
                               "准予修复。"),
            std::string::npos)
      << notice.output;
  EXPECT_NE(notice.output.find("market认定的行政处罚信息（决定日期：2025年1月6日）：不予受理。理由：最短公示期未满。"
                               "你单位可自2025年4月7日起就该信息重新申请信用修复。"),
            std::string::npos)
      << notice.output;
  EXPECT_NE(notice.output.find("办理结果：部分准予修复"), std::string::npos) << notice.output;
  EXPECT_NE(notice.output.find("不得再次申请信用修复"), std::string::npos) << notice.output;
  EXPECT_NE(notice.output.find("〔2025〕"), std::string::npos) << notice.output;

  CommandOutput revoked = Run("repair revoke " + application + " --reason false_materials", "2025-03-20");
  ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
  EXPECT_NE(revoked.output.find("may apply again: no"), std::string::npos) << revoked.output;
  EXPECT_EQ(Run("repair revoke " + application + " --reason lost").exit_code, 2);
}

// Intake reads whether a record is still shown from its dates, not only
// from the timer that ends its publication: with no scheduler running (the
// CLI), a record whose publication ended months ago is not repaired.
TEST_F(CliRepairTest, ARecordWhosePublicationEndedIsNotTakenWithoutItsTimer) {
  // 527号: a general-tier penalty is shown for at most a year.
  CommandOutput added = Run(std::string("record add ") + kRepairSubject +
                                " --platform credit_china --kind penalty --department tax --tier general"
                                " --penalty fine --amount 20000 --decided-on 2023-03-01",
                            "2023-04-03");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  const std::string record = Find(added.output, "\"id\":\"([^\"]+)\"");
  ASSERT_EQ(Run("record fulfil " + record, "2023-04-03").exit_code, 0);
  CommandOutput list = Run(std::string("record list --json ") + kRepairSubject, "2023-04-03");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  const engine::Json listed = engine::Json::parse(list.output)["records"][0];
  ASSERT_EQ(listed.value("publication_ends", ""), "2024-03-01") << list.output;
  CommandOutput applied = Run(std::string("repair apply ") + kRepairSubject + " --record " + record +
                                  " --document repair_commitment --document proof_of_performance"
                                  " --document business_licence --document agent_id",
                              "2024-06-03");
  ASSERT_EQ(applied.exit_code, 0) << applied.output;
  EXPECT_NE(applied.output.find("record_not_shown"), std::string::npos) << applied.output;
  EXPECT_NE(applied.output.find("not_accepted"), std::string::npos) << applied.output;
}

// A GB 18030 file of records with Chinese headers, imported twice: the good
// rows once, the bad row named by its line each time.
TEST_F(CliRepairTest, RecordImportReadsGb18030AndRecordsNothingTwice) {
  const std::string csv =
      "统一社会信用代码,认定单位,认定单位名称,公示平台,类型,失信等级,处罚种类,罚没金额,违法类型,决定日期\r\n" +
      std::string(kRepairSubject) +
      ",tax,国家税务总局苏州市税务局,信用中国,行政处罚,一般,罚款,20000,偷税,2024-06-03\r\n" +
      std::string(kRepairSubject) + ",tax,国家税务总局苏州市税务局,地方网站,行政处罚,一般,罚款,300,偷税,2024-06-03\r\n";
  engine::Result<std::string> bytes = adapters::importer::EncodeFromUtf8(csv, "GB18030");
  ASSERT_OK(bytes);
  const fs::path file = fs::temp_directory_path() / ("credflow-cli-records-" + engine::NewRandomId() + ".csv");
  std::ofstream(file, std::ios::binary) << *bytes;
  CommandOutput first = Run("record import " + ShellQuote(file.string()));
  EXPECT_EQ(first.exit_code, 1) << first.output;  // a row was rejected
  EXPECT_NE(first.output.find(file.string() + ":3: " + kRepairSubject + ": unknown_value"), std::string::npos)
      << first.output;
  EXPECT_NE(first.output.find("read as gb18030: 1 recorded, 0 already recorded, 1 rejected"), std::string::npos)
      << first.output;
  CommandOutput second = Run("record import --batch 1 " + ShellQuote(file.string()));
  EXPECT_NE(second.output.find("0 recorded, 1 already recorded, 1 rejected"), std::string::npos) << second.output;
  CommandOutput listed = Run(std::string("record list --json ") + kRepairSubject);
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_EQ(engine::Json::parse(listed.output)["records"].size(), 1u) << listed.output;
  // Read as UTF-8 it is refused, naming the first line.
  CommandOutput utf8 = Run("record import --encoding utf-8 " + ShellQuote(file.string()));
  EXPECT_EQ(utf8.exit_code, 1) << utf8.output;
  EXPECT_NE(utf8.output.find("invalid_encoding"), std::string::npos) << utf8.output;
  EXPECT_NE(utf8.output.find("line 1:"), std::string::npos) << utf8.output;
  EXPECT_EQ(Run("record import --encoding latin1 " + ShellQuote(file.string())).exit_code, 2);
  std::error_code ec;
  fs::remove(file, ec);
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// `subject regrade`: one subject or all, by the risk-grading table; a grade
// that does not change writes nothing; neither a code nor --all is refused.
TEST_F(CliRepairTest, SubjectsAreRegradedFromTheirRecords) {
  ASSERT_EQ(Run(std::string("subject register ") + kRepairSubject + " --name " + ShellQuote("苏州市评级测试有限公司") +
                " --grade A --reason " + ShellQuote("new"))
                .exit_code,
            0);
  for (const char* dept : {"tax", "market", "transport"}) {
    ASSERT_FALSE(AddRecord(std::string("--department ") + dept +
                           " --tier general --penalty fine --amount 20000 --decided-on 2024-06-03")
                     .empty());
  }
  CommandOutput one = Run(std::string("subject regrade ") + kRepairSubject);
  ASSERT_EQ(one.exit_code, 0) << one.output;
  EXPECT_NE(one.output.find("A -> C"), std::string::npos) << one.output;
  EXPECT_NE(one.output.find("penalties"), std::string::npos) << one.output;
  CommandOutput all = Run("subject regrade --all");
  ASSERT_EQ(all.exit_code, 0) << all.output;
  EXPECT_NE(all.output.find("1 subject(s) regraded, 0 changed"), std::string::npos) << all.output;
  CommandOutput shown = Run(std::string("subject show ") + kRepairSubject);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("graded    C"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("by recompute"), std::string::npos) << shown.output;
  EXPECT_EQ(Run("subject regrade").exit_code, 2);
}

}  // namespace
}  // namespace credflow::testing
