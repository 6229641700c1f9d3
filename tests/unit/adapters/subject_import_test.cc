// CSV import of subjects against the in-memory store: good rows are
// registered with their grades and history events, bad rows are reported with
// their exact line numbers and reasons without stopping the import, quoted
// Chinese names with commas survive, a re-import changes nothing, and a batch
// that fails in the store is retried row by row.
#include "adapters/import/subject_import.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/forwarding_store.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/registry.h"
#include "workflows/subject/subject_service.h"

namespace credflow::adapters::importer {
namespace {

using engine::Json;
using policies::Date;

// A valid unified social credit code (GB 32100-2015) numbered n.
std::string SubjectCode(int n) {
  static const std::string kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char body[32];
  std::snprintf(body, sizeof body, "91320500%09d", n);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(body[i])) * kWeights[i];
  return std::string(body) + kAlphabet[static_cast<size_t>((31 - sum % 31) % 31)];
}

std::string CsvLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// Forwards to an InMemoryCaseStore, but refuses to store the profile of the
// codes in `refuse`, as a store might refuse one bad row.
class RefusingStore final : public testing::ForwardingCaseStore {
 public:
  explicit RefusingStore(std::set<std::string> refuse) : ForwardingCaseStore(&memory_), refuse_(std::move(refuse)) {}

  engine::Status RunInTransaction(const std::function<engine::Status(engine::StoreTransaction&)>& fn) override {
    ++transactions_;
    return memory_.RunInTransaction([&](engine::StoreTransaction& tx) {
      Tx wrapped(&tx, refuse_);
      return fn(wrapped);
    });
  }

  int transactions() const { return transactions_; }

 private:
  class Tx final : public testing::ForwardingTransaction {
   public:
    Tx(engine::StoreTransaction* inner, const std::set<std::string>& refuse)
        : ForwardingTransaction(inner), refuse_(refuse) {}
    engine::Status PutSubjectProfile(const engine::SubjectProfile& p) override {
      if (refuse_.count(p.code) > 0) {
        return engine::Status::InvalidArgument("profile_refused", "the store refused the profile of " + p.code);
      }
      return inner_->PutSubjectProfile(p);
    }

   private:
    const std::set<std::string>& refuse_;
  };

  testing::InMemoryCaseStore memory_;
  std::set<std::string> refuse_;
  int transactions_ = 0;
};

class SubjectImportTest : public ::testing::Test {
 protected:
  explicit SubjectImportTest(std::set<std::string> refuse = {})
      : store_(std::move(refuse)), service_(&store_, &registry_, testing::ShippedRules().book(), &clock_) {
    workflows::RegisterAll(registry_);
    registry_.Add(workflows::subject::NewSubjectWorkflow());
    clock_.SetDate(Date::FromYmd(2025, 3, 3));
  }

  engine::Result<SubjectImportReport> Import(const std::string& csv, int batch = 500,
                                             std::ostream* progress = nullptr) {
    std::istringstream in(csv);
    SubjectImportOptions options;
    options.batch_size = batch;
    options.progress = progress;
    return ImportSubjects(service_, in, options);
  }

  engine::SubjectProfile Profile(const std::string& code) {
    auto p = store_.GetSubjectProfile(code);
    EXPECT_TRUE(p.ok() && p->has_value()) << code << " has no profile";
    return p.ok() && p->has_value() ? **p : engine::SubjectProfile{};
  }

  std::vector<engine::HistoryEvent> History(const std::string& code) {
    auto h = store_.GetHistory(Profile(code).case_id);
    EXPECT_TRUE(h.ok());
    return h.ok() ? *h : std::vector<engine::HistoryEvent>{};
  }

  size_t HistoryEventsOfAllCases() {
    size_t total = 0;
    const auto ids = store_.ListCaseIds();
    EXPECT_TRUE(ids.ok());
    for (const std::string& id : *ids) total += store_.GetHistory(id)->size();
    return total;
  }

  static std::vector<std::pair<int, std::string>> LinesAndReasons(const SubjectImportReport& r) {
    std::vector<std::pair<int, std::string>> out;
    for (const RejectedRow& row : r.rejected) out.emplace_back(row.line, row.reason);
    return out;
  }

  RefusingStore store_;
  engine::WorkflowRegistry registry_;
  engine::ManualClock clock_;
  engine::CaseService service_;
};

// Five good rows among ten bad ones; line 11 is blank, lines 13-14 hold
// one row with a line break in its quoted name, line 18 opens a quote that
// never closes.
std::string MixedFile() {
  return CsvLines({
      "code,name,status,grade,grade_reason,grade_set_on",                                        // 1
      SubjectCode(1) + ",苏州禾丰餐饮管理有限公司,operating,A,年度分类,2025-01-02",              // 2
      SubjectCode(2) + ",\"苏州市姑苏区恒越贸易, 有限公司\",not_operating,B,\"原因, 含逗号\",",  // 3
      "91320500L968FMY61X,坏代码公司,operating,A,r,",                                            // 4
      SubjectCode(1) + ",重复公司,operating,A,r,",                                               // 5
      SubjectCode(3) + ",,operating,A,r,",                                                       // 6
      SubjectCode(4) + ",某公司,closed,A,r,",                                                    // 7
      SubjectCode(5) + ",某公司,operating,E,r,",                                                 // 8
      SubjectCode(6) + ",某公司,operating,B,r,2025-02-30",                                       // 9
      SubjectCode(7) + ",某公司,operating,B,r,2030-01-01",                                       // 10
      "",                                                                                        // 11
      SubjectCode(8) + ",无等级公司,operating,,,",                                               // 12
      SubjectCode(9) + ",\"多行",                                                                // 13
      "名称公司\",operating,C,r,",                                                               // 14
      SubjectCode(10) + ",某公司,operating,C",                                                   // 15
      SubjectCode(11) + ",默认状态公司,,D,r,2025-03-03",                                         // 16
      SubjectCode(12) + ",反斜杠\\公司,operating,A,r,",                                          // 17
      SubjectCode(13) + ",\"未闭合,operating,A,r,",                                              // 18
  });
}

// Line numbers are the file's own (a quoted line break counts), so each
// rejected row can be found; the good rows still go in, in one transaction.
TEST_F(SubjectImportTest, GoodRowsAreImportedAndBadRowsReportedWithLineAndReason) {
  auto report = Import(MixedFile());
  ASSERT_OK(report);
  EXPECT_EQ(report->rows, 15);
  EXPECT_EQ(report->imported, 5);
  EXPECT_EQ(report->updated, 0);
  EXPECT_EQ(report->unchanged, 0);
  EXPECT_EQ(LinesAndReasons(*report), (std::vector<std::pair<int, std::string>>{
                                          {4, "invalid_credit_code"},
                                          {5, "duplicate_code"},
                                          {6, "missing_name"},
                                          {7, "unknown_subject_status"},
                                          {8, "unknown_risk_grade"},
                                          {9, "invalid_date"},
                                          {10, "invalid_date"},
                                          {15, "wrong_column_count"},
                                          {17, "malformed_row"},
                                          {18, "malformed_row"},
                                      }));
  EXPECT_EQ(report->rejected[1].code, SubjectCode(1));
  EXPECT_NE(report->rejected[1].message.find("line 2"), std::string::npos) << report->rejected[1].message;
  EXPECT_EQ(report->rejected[0].code, "91320500L968FMY61X");
  EXPECT_EQ(report->transactions, 1);
}

// A sheet as an office exports it: Chinese headers, statuses and grades by
// their Chinese names (as `subject show` prints them), dates as Excel
// writes them; a row of a code whose earlier row was rejected is not
// blamed on that line.
TEST_F(SubjectImportTest, ChineseHeadersNamesAndExcelDatesAreRead) {
  auto report = Import(CsvLines({
      "统一社会信用代码,企业名称,经营状态,风险等级,分级理由,定级日期",                         // 1
      SubjectCode(21) + ",苏州狮山食品贸易有限公司,正常经营,信用风险高,抽查不合格,2025/1/6",   // 2
      SubjectCode(22) + ",苏州横塘餐饮有限公司,可联系但已不再经营,B类,年度分类,2025年2月3日",  // 3
      SubjectCode(23) + ",苏州通安五金有限公司,正常经营,A,年度分类,2025/2/30",                 // 4
      SubjectCode(23) + ",苏州通安五金有限公司,正常经营,A,年度分类,2025.2.28",                 // 5
  }));
  ASSERT_OK(report);
  EXPECT_EQ(report->imported, 3);
  EXPECT_EQ(LinesAndReasons(*report), (std::vector<std::pair<int, std::string>>{{4, "invalid_date"}}));
  EXPECT_NE(report->rejected[0].message.find("2026年3月1日"), std::string::npos) << report->rejected[0].message;
  EXPECT_EQ(Profile(SubjectCode(21)).status, "operating");
  EXPECT_EQ(Profile(SubjectCode(21)).grade, "D");
  EXPECT_EQ(Profile(SubjectCode(21)).grade_set_on, Date::FromYmd(2025, 1, 6));
  EXPECT_EQ(Profile(SubjectCode(22)).status, "not_operating");
  EXPECT_EQ(Profile(SubjectCode(22)).grade, "B");
  EXPECT_EQ(Profile(SubjectCode(22)).grade_set_on, Date::FromYmd(2025, 2, 3));
  EXPECT_EQ(Profile(SubjectCode(23)).grade_set_on, Date::FromYmd(2025, 2, 28));
}

// A good row becomes a subject case registered by the importer (grade source
// "import"); empty grade and status cells mean ungraded and operating.
TEST_F(SubjectImportTest, GradesAndHistoryEventsAreWritten) {
  ASSERT_TRUE(Import(MixedFile()).ok());
  const engine::SubjectProfile first = Profile(SubjectCode(1));
  EXPECT_EQ(first.name, "苏州禾丰餐饮管理有限公司");
  EXPECT_EQ(first.status, "operating");
  EXPECT_EQ(first.grade, "A");
  EXPECT_EQ(first.grade_set_on, Date::FromYmd(2025, 1, 2));
  EXPECT_EQ(first.grade_reason, "年度分类");
  EXPECT_EQ(first.grade_source, "import");
  const auto history = History(SubjectCode(1));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].event, "CaseOpened");
  EXPECT_EQ(history[1].event, "SubjectRegistered");
  EXPECT_EQ(history[1].actor.user, "import");
  EXPECT_EQ(history[1].payload["data"]["grade_source"], "import");

  EXPECT_EQ(Profile(SubjectCode(8)).grade, "") << "an empty grade leaves a new subject ungraded";
  EXPECT_EQ(Profile(SubjectCode(11)).status, "operating") << "an empty status registers an operating subject";
  EXPECT_EQ(Profile(SubjectCode(11)).grade_set_on, Date::FromYmd(2025, 3, 3));
  EXPECT_EQ(Profile(SubjectCode(9)).name, "多行\n名称公司");
  for (int rejected : {3, 4, 5, 6, 7, 10, 12, 13}) {
    EXPECT_FALSE(store_.GetSubjectProfile(SubjectCode(rejected))->has_value()) << rejected;
  }
}

TEST_F(SubjectImportTest, QuotedChineseNamesWithCommasSurvive) {
  ASSERT_TRUE(Import(MixedFile()).ok());
  const engine::SubjectProfile p = Profile(SubjectCode(2));
  EXPECT_EQ(p.name, "苏州市姑苏区恒越贸易, 有限公司");
  EXPECT_EQ(p.status, "not_operating");
  EXPECT_EQ(p.grade, "B");
  EXPECT_EQ(p.grade_reason, "原因, 含逗号");
}

// Importing is idempotent, also in small batches and on a later day: the same
// file again adds no case and no history event, so it is safe to run again.
TEST_F(SubjectImportTest, ReimportingTheSameFileChangesNothing) {
  ASSERT_TRUE(Import(MixedFile(), 2).ok());
  const size_t events = HistoryEventsOfAllCases();
  const size_t cases = store_.ListCaseIds()->size();
  clock_.SetDate(Date::FromYmd(2025, 4, 1));  // a later day: rows without a grade date still match
  auto again = Import(MixedFile(), 2);
  ASSERT_OK(again);
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 5);
  EXPECT_EQ(again->rejected.size(), 10u);
  EXPECT_EQ(HistoryEventsOfAllCases(), events) << "no new history events";
  EXPECT_EQ(store_.ListCaseIds()->size(), cases) << "no new cases";
}

// A change is a GradeSet or StatusChanged on the subject case, so the history
// has it; columns come in any order; an empty grade keeps the old one.
TEST_F(SubjectImportTest, ChangedRowsFireTheirEvents) {
  ASSERT_TRUE(Import(MixedFile()).ok());
  clock_.SetDate(Date::FromYmd(2025, 4, 1));
  auto report = Import(CsvLines({
      "grade,code,name,status,grade_reason",  // any column order; no grade_set_on column
      "C," + SubjectCode(1) + ",苏州禾丰餐饮管理有限公司,operating,两年内三次行政处罚",
      "," + SubjectCode(2) + ",\"苏州市姑苏区恒越贸易, 有限公司\",bankrupt,",
      "A," + SubjectCode(20) + ",新公司,operating,新登记",
  }));
  ASSERT_OK(report);
  EXPECT_TRUE(report->rejected.empty());
  EXPECT_EQ(report->imported, 1);
  EXPECT_EQ(report->updated, 2);
  const auto history = History(SubjectCode(1));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[2].event, "GradeSet");
  EXPECT_EQ(history[2].payload["data"]["source"], "import");
  EXPECT_EQ(Profile(SubjectCode(1)).grade, "C");
  EXPECT_EQ(Profile(SubjectCode(1)).grade_set_on, Date::FromYmd(2025, 4, 1));
  EXPECT_EQ(History(SubjectCode(2)).back().event, "StatusChanged");
  EXPECT_EQ(Profile(SubjectCode(2)).status, "bankrupt");
  EXPECT_EQ(Profile(SubjectCode(2)).grade, "B") << "an empty grade keeps the recorded one";
}

// A missing, unknown or repeated column, or no header at all, refuses the
// whole file before any row is written.
TEST_F(SubjectImportTest, BadHeadersFailTheWholeImport) {
  for (const std::string& header :
       {std::string("code,name,status,grade"), std::string("code,name,status,grade,grade_reason,note"),
        std::string("code,name,status,grade,grade_reason,code"), std::string("")}) {
    SCOPED_TRACE(header);
    auto report = Import(header.empty() ? "" : CsvLines({header, SubjectCode(1) + ",某公司,operating,A,r"}));
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().reason(), "invalid_header");
  }
  EXPECT_TRUE(store_.ListCaseIds()->empty());
}

// Spreadsheet exports often start with a UTF-8 byte order mark and end lines
// with CRLF; neither may leak into the first column's name or the last value.
TEST_F(SubjectImportTest, ByteOrderMarkAndCrlfAreAccepted) {
  auto report = Import(
      "\xEF\xBB\xBF"
      "code,name,status,grade,grade_reason\r\n" +
      SubjectCode(1) + ",某公司,operating,A,r\r\n");
  ASSERT_OK(report);
  EXPECT_EQ(report->imported, 1);
  EXPECT_EQ(Profile(SubjectCode(1)).grade_reason, "r");
}

TEST_F(SubjectImportTest, ProgressBarIsRedrawnInPlace) {
  std::vector<std::string> rows = {"code,name,status,grade,grade_reason"};
  for (int i = 1; i <= 40; ++i) rows.push_back(SubjectCode(i) + ",公司" + std::to_string(i) + ",operating,B,r");
  std::ostringstream progress;
  auto report = Import(CsvLines(rows), 10, &progress);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->imported, 40);
  EXPECT_EQ(report->transactions, 4);
  const std::string bar = progress.str();
  EXPECT_EQ(bar.front(), '\r');
  EXPECT_NE(bar.find("40/40"), std::string::npos) << bar;
  EXPECT_NE(bar.find("100.0%"), std::string::npos) << bar;
  EXPECT_NE(bar.find("rows/s"), std::string::npos) << bar;
  EXPECT_EQ(bar.back(), '\n');
}

class RefusingSubjectImportTest : public SubjectImportTest {
 protected:
  RefusingSubjectImportTest() : SubjectImportTest({SubjectCode(3)}) {}
};

// A row the store refuses fails its batch; the batch is retried row by row,
// so only that row is rejected.
TEST_F(RefusingSubjectImportTest, ARowTheStoreRefusesIsIsolated) {
  std::vector<std::string> rows = {"code,name,status,grade,grade_reason"};
  for (int i = 1; i <= 5; ++i) rows.push_back(SubjectCode(i) + ",公司" + std::to_string(i) + ",operating,B,r");
  auto report = Import(CsvLines(rows), 5);
  ASSERT_OK(report);
  EXPECT_EQ(report->imported, 4);
  EXPECT_EQ(LinesAndReasons(*report), (std::vector<std::pair<int, std::string>>{{4, "profile_refused"}}));
  EXPECT_FALSE(store_.GetSubjectProfile(SubjectCode(3))->has_value());
  engine::CaseQuery query;
  query.workflow = "subject";
  query.subject = SubjectCode(3);
  query.limit = 10;
  EXPECT_TRUE(store_.FindCases(query)->empty()) << "the refused row left no case behind";
  EXPECT_EQ(Profile(SubjectCode(4)).grade, "B");
}

}  // namespace
}  // namespace credflow::adapters::importer
