// CSV import of dishonesty records against the in-memory store: a GB 18030
// file with Chinese headers and values (as Excel in China saves it) records
// each good row with the right fields; bad rows are reported with their line
// and reason; importing the file again records nothing twice; a file that
// is neither UTF-8 nor GB 18030 is refused naming the line. The file's bytes
// are made with iconv(3) (EncodeFromUtf8).
#include "adapters/import/record_import.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/case_service.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/record/record_workflow.h"
#include "workflows/registry.h"

namespace credflow::adapters::importer {
namespace {

using engine::Json;
using policies::Date;
namespace fs = std::filesystem;

// A valid unified social credit code (GB 32100-2015) numbered n.
std::string Code(int n) {
  static const std::string kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char body[32];
  std::snprintf(body, sizeof body, "91320500%09d", n);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(body[i])) * kWeights[i];
  return std::string(body) + kAlphabet[static_cast<size_t>((31 - sum % 31) % 31)];
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\r\n";  // as Excel writes them
  return out;
}

// Two good rows (lines 2 and 3) among five bad ones.
std::string ChineseFile() {
  return Lines({
      "统一社会信用代码,认定单位,认定单位名称,公示平台,类型,失信等级,处罚种类,罚没金额,违法类型,决定日期,简易程序",
      Code(1) + ",tax,国家税务总局苏州市税务局,信用中国,行政处罚,一般,罚款,\"20,000\",偷税,2024/6/3,否",  // 2
      Code(2) + ",market,苏州市市场监督管理局,credit_china,penalty,general,警告、罚款,5000,虚假宣传,2024年6月3日,否",
      Code(3) + ",tax,国家税务总局苏州市税务局,信用中国,行政处罚,特别严重,罚款,100,偷税,2024-06-03,否",  // 4
      Code(1) + ",tax,国家税务总局苏州市税务局,信用中国,行政处罚,一般,罚款,20000,偷税,2024-06-03,否",    // 5
      "91320500L968FMY61X,tax,某局,信用中国,行政处罚,一般,罚款,1,偷税,2024-06-03,否",                    // 6
      Code(4) + ",tax,某局,信用中国,行政处罚,一般,罚款,1,偷税,2030-01-01,否",                            // 7
      Code(5) + ",tax,某局,信用中国,行政处罚,一般,罚款,1,偷税",                                          // 8
  });
}

class RecordImportTest : public ::testing::Test {
 protected:
  RecordImportTest()
      : service_(&store_, &registry_, testing::ShippedRules().book(), &clock_),
        file_(fs::temp_directory_path() / ("credflow-records-" + engine::NewRandomId() + ".csv")) {
    workflows::RegisterAll(registry_);
    clock_.SetDate(Date::FromYmd(2025, 3, 3));
  }
  ~RecordImportTest() override {
    std::error_code ec;
    fs::remove(file_, ec);
  }

  void WriteFile(const std::string& bytes) { std::ofstream(file_, std::ios::binary) << bytes; }

  std::string Gb18030(const std::string& utf8) {
    engine::Result<std::string> bytes = EncodeFromUtf8(utf8, "GB18030");
    EXPECT_OK(bytes);
    return bytes.ok() ? *bytes : std::string();
  }

  engine::Result<RecordImportReport> Import(TextEncoding encoding = TextEncoding::kAuto, int batch = 200) {
    RecordImportOptions options;
    options.encoding = encoding;
    options.batch_size = batch;
    return ImportRecordsFile(service_, file_.string(), options);
  }

  std::vector<engine::Case> RecordsOf(const std::string& code) {
    engine::CaseQuery q;
    q.workflow = "dishonesty_record";
    q.subject = code;
    auto cases = store_.FindCases(q);
    EXPECT_OK(cases);
    return cases.ok() ? *cases : std::vector<engine::Case>{};
  }

  static std::vector<std::pair<int, std::string>> LinesAndReasons(const RecordImportReport& r) {
    std::vector<std::pair<int, std::string>> out;
    for (const RejectedRow& row : r.rejected) out.emplace_back(row.line, row.reason);
    return out;
  }

  testing::InMemoryCaseStore store_;
  engine::WorkflowRegistry registry_;
  engine::ManualClock clock_;
  engine::CaseService service_;
  fs::path file_;
};

// A row the import retries alone (its batch failed on another row) goes in
// under its content key as its idempotency key: recorded, then replayed;
// the same record under any other key is record_exists.
TEST_F(RecordImportTest, ARowRetriedAloneUnderItsContentKeyIsRecordedOnce) {
  workflows::record::RecordDishonestyRequest request;
  request.subject = Code(9);
  request.record = {{"department", "tax"},       {"platform", "credit_china"}, {"kind", "penalty"},
                    {"tier", "general"},         {"penalties", {"fine"}},      {"amount", 20000},
                    {"decided_on", "2024-06-03"}};
  request.actor = engine::Actor{"import", "caseworker", ""};
  request.idempotency_key = RecordRowKey(request.subject, request.record);
  engine::Result<engine::CommandResult> first = workflows::record::RecordDishonesty(service_, request);
  ASSERT_OK(first);
  EXPECT_FALSE(first->replayed);
  engine::Result<engine::CommandResult> again = workflows::record::RecordDishonesty(service_, request);
  ASSERT_OK(again);
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->case_id, first->case_id);
  request.idempotency_key = "another-key";
  EXPECT_EQ(workflows::record::RecordDishonesty(service_, request).status().reason(), "record_exists");
  EXPECT_EQ(RecordsOf(Code(9)).size(), 1u);
}

// The GB 18030 file is found out, its Chinese headers and values read into
// RecordDecided's codes, and each bad row reported by line and reason.
TEST_F(RecordImportTest, AGb18030FileWithChineseHeadersIsRecordedWithItsFields) {
  WriteFile(Gb18030(ChineseFile()));
  engine::Result<RecordImportReport> report = Import();
  ASSERT_OK(report);
  EXPECT_EQ(report->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(report->rows, 7);
  EXPECT_EQ(report->recorded, 2);
  EXPECT_EQ(report->already_recorded, 0);
  const std::vector<std::pair<int, std::string>> expected = {{4, "unknown_value"},
                                                             {5, "duplicate_row"},
                                                             {6, "invalid_credit_code"},
                                                             {7, "date_in_future"},
                                                             {8, "wrong_column_count"}};
  EXPECT_EQ(LinesAndReasons(*report), expected);

  const std::vector<engine::Case> first = RecordsOf(Code(1));
  ASSERT_EQ(first.size(), 1u);
  const Json& d = first[0].data;
  EXPECT_EQ(d.value("department", ""), "tax");
  EXPECT_EQ(d.value("department_name", ""), "国家税务总局苏州市税务局");
  EXPECT_EQ(d.value("platform", ""), "credit_china");
  EXPECT_EQ(d.value("kind", ""), "penalty");
  EXPECT_EQ(d.value("tier", ""), "general");
  EXPECT_EQ(d.value("violation", ""), "偷税");
  EXPECT_EQ(d.value("decided_on", ""), "2024-06-03");
  EXPECT_EQ(d.value("penalties", Json()), Json({"fine"}));
  EXPECT_EQ(d.value("amount", 0.0), 20000.0);
  EXPECT_EQ(d.value("simple_procedure", true), false);
  EXPECT_EQ(first[0].outcome, "published");

  const std::vector<engine::Case> second = RecordsOf(Code(2));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].data.value("penalties", Json()), Json({"warning", "fine"}));
  EXPECT_EQ(second[0].data.value("department_name", ""), "苏州市市场监督管理局");
}

// Importing the same file again records nothing twice, in one batch or in
// batches of one.
TEST_F(RecordImportTest, ImportingTheSameFileAgainRecordsNothingTwice) {
  WriteFile(Gb18030(ChineseFile()));
  ASSERT_OK(Import());
  const size_t cases = store_.ListCaseIds()->size();
  engine::Result<RecordImportReport> again = Import(TextEncoding::kGb18030, 1);
  ASSERT_OK(again);
  EXPECT_EQ(again->recorded, 0);
  EXPECT_EQ(again->already_recorded, 2);
  EXPECT_EQ(again->rejected.size(), 5u);
  EXPECT_EQ(store_.ListCaseIds()->size(), cases);
  EXPECT_EQ(RecordsOf(Code(1)).size(), 1u);
  EXPECT_EQ(RecordsOf(Code(2)).size(), 1u);
  // The same rows as UTF-8 (with a byte order mark) are the same records.
  WriteFile("\xEF\xBB\xBF" + ChineseFile());
  engine::Result<RecordImportReport> utf8 = Import();
  ASSERT_OK(utf8);
  EXPECT_EQ(utf8->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(utf8->already_recorded, 2);
  EXPECT_EQ(store_.ListCaseIds()->size(), cases);
}

// A byte neither encoding allows stops the import before anything is
// written, naming the line.
TEST_F(RecordImportTest, AnInvalidByteIsRefusedNamingTheLine) {
  std::string bytes = Gb18030(ChineseFile());
  const size_t line3 = bytes.find('\n', bytes.find('\n') + 1) + 1;
  bytes.insert(line3 + 5, "\x81\x20");
  WriteFile(bytes);
  engine::Result<RecordImportReport> report = Import();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().reason(), "invalid_encoding");
  EXPECT_NE(report.status().message().find("line 3:"), std::string::npos) << report.status().ToString();
  EXPECT_TRUE(store_.ListCaseIds()->empty());
}

// English headers and codes read the same; an unknown column is refused as
// a whole.
TEST_F(RecordImportTest, EnglishHeadersAndAnUnknownColumn) {
  std::istringstream good("code,department,platform,kind,tier,penalties,decided_on\n" + Code(9) +
                          ",tax,credit_china,penalty,general,fine,2024-06-03\n");
  engine::Result<RecordImportReport> report = ImportRecords(service_, good, RecordImportOptions{});
  ASSERT_OK(report);
  EXPECT_EQ(report->recorded, 1);
  std::istringstream bad("code,department,platform,kind,decided_on,colour\n");
  engine::Result<RecordImportReport> refused = ImportRecords(service_, bad, RecordImportOptions{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "invalid_header");
  EXPECT_NE(refused.status().message().find("colour"), std::string::npos);
}

}  // namespace
}  // namespace credflow::adapters::importer
