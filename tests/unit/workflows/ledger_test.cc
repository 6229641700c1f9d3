// The remediation ledger through the engine: the draw enters exactly the
// subjects a brute-force count of the entry rule finds (on generated data),
// is idempotent for a day, and the exit-rate report matches a hand count of a
// scenario year against the 80% / 100% targets.
#include "workflows/remediation_ledger/ledger_workflow.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "forms/form.h"
#include "tests/support/engine_harness.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/status_matchers.h"
#include "workflows/record/record_workflow.h"
#include "workflows/remediation_ledger/names.h"
#include "workflows/subject/subject_service.h"

namespace credflow::workflows::remediation_ledger {
namespace {

using engine::Json;

std::string Code(int n) {
  char first17[32];
  std::snprintf(first17, sizeof first17, "91441900MA%07d", n);
  return std::string(first17) + *forms::CreditCodeCheckCharacter(first17);
}

class LedgerTest : public ::testing::Test {
 protected:
  LedgerTest() : harness_(&store_) { harness_.SetDate("2026-01-05"); }

  void Register(const std::string& code, const std::string& status = "operating") {
    subject::RegisterSubjectRequest r;
    r.code = code;
    r.name = "东莞市台账测试企业";
    r.status = status;
    r.actor = engine::Actor{"clerk", "caseworker", ""};
    ASSERT_OK(subject::RegisterSubject(harness_.service(), r));
  }
  // A general 信用中国 fine of `code` decided on `decided_on`; its case id.
  std::string Penalty(const std::string& code, const std::string& decided_on, int n) {
    record::RecordDishonestyRequest r;
    r.subject = code;
    r.record = {{"department", "dept" + std::to_string(n)},
                {"platform", "credit_china"},
                {"kind", "penalty"},
                {"tier", "general"},
                {"penalties", {"fine"}},
                {"amount", 10000},
                {"decided_on", decided_on}};
    r.actor = engine::Actor{"clerk", "caseworker", ""};
    auto recorded = record::RecordDishonesty(harness_.service(), r);
    EXPECT_OK(recorded);
    return recorded.ok() ? recorded->case_id : "";
  }
  void Fulfil(const std::string& record_case) { ASSERT_OK(harness_.Fire(record_case, "ObligationsFulfilled")); }
  DrawResult Draw(const std::string& department = "") {
    DrawRequest request;
    request.department = department;
    request.actor = engine::Actor{"clerk", "caseworker", ""};
    auto drawn = DrawLedger(harness_.service(), request);
    EXPECT_OK(drawn);
    EXPECT_OK(harness_.service().FireDueTimers());
    return drawn.ok() ? *drawn : DrawResult{};
  }
  std::string Status(const std::string& code) {
    auto facts = harness_.store().GetSubjectFacts(code);
    EXPECT_OK(facts);
    return facts.ok() ? LedgerStatusOf(*facts) : "?";
  }

  testing::InMemoryCaseStore store_;
  testing::EngineHarness harness_;
};

// Generated subjects with 0-14 penalties spread over four years, some
// performed: the draw enters exactly those a direct count of the rule finds
// (>= 10 decided since 2023-01-05 inclusive, one of them not performed and
// still shown), screens out the deregistered ones, and a second draw the
// same day opens nothing.
TEST_F(LedgerTest, TheDrawMatchesABruteForceCountOfTheEntryRule) {
  std::mt19937 rng(20260105);
  const std::vector<std::string> dates = {"2022-06-01", "2023-01-04", "2023-01-05",
                                          "2024-05-06", "2025-03-03", "2025-11-10"};
  int expect_entered = 0, expect_screened = 0;
  for (int s = 0; s < 40; ++s) {
    const std::string code = Code(s);
    const bool deregistered = s % 9 == 4;
    ASSERT_NO_FATAL_FAILURE(Register(code, deregistered ? "deregistered" : "operating"));
    const int penalties = static_cast<int>(rng() % 15);
    int counted = 0, open = 0;
    for (int i = 0; i < penalties; ++i) {
      const std::string& decided = dates[rng() % dates.size()];
      const std::string id = Penalty(code, decided, i);
      const bool performed = rng() % 3 == 0;
      if (performed) {
        ASSERT_NO_FATAL_FAILURE(Fulfil(id));
      }
      if (decided >= "2023-01-05") {  // the 3-year look-back from 2026-01-05, its first day included
        ++counted;
        if (!performed) ++open;
      }
    }
    if (counted >= 10 && open >= 1) ++(deregistered ? expect_screened : expect_entered);
  }
  ASSERT_GT(expect_entered, 0) << "the generated data must put someone in the ledger";
  const DrawResult first = Draw();
  // Only subjects holding at least 10 penalty records are read at all.
  EXPECT_LT(first.subjects, 40);
  EXPECT_GE(first.subjects, first.met);
  EXPECT_EQ(first.entered, expect_entered);
  EXPECT_EQ(first.screened_out, expect_screened);
  EXPECT_EQ(first.met, expect_entered + expect_screened);
  const DrawResult again = Draw();
  EXPECT_EQ(again.entered, 0);
  EXPECT_EQ(again.screened_out, 0);
  EXPECT_EQ(again.exited, 0);
  EXPECT_EQ(again.already, expect_entered + expect_screened);
}

// A scenario year by hand: five operating subjects enter on 2026-01-05
// (two of them drawn for "market", three for "tax"); three correct by the
// draw of 2026-04-01, a fourth by the draw of 2026-09-01. On 2026-07-01 the
// rate is 3/5 = 60% (June's 80% target missed); on 2026-12-31 it is 4/5 = 80%
// (the year-end 100% target still open that day, missed after it).
TEST_F(LedgerTest, TheExitRateReportMatchesAHandCount) {
  std::vector<std::vector<std::string>> records(5);
  for (int s = 0; s < 5; ++s) {
    ASSERT_NO_FATAL_FAILURE(Register(Code(100 + s)));
    for (int i = 0; i < 10; ++i) records[s].push_back(Penalty(Code(100 + s), "2025-06-02", i));
  }
  // Two entries drawn for market, then three for tax (one draw per group).
  DrawRequest market;
  market.department = "market";
  market.only = {Code(100), Code(101)};
  market.actor = engine::Actor{"clerk", "caseworker", ""};
  ASSERT_OK(DrawLedger(harness_.service(), market));
  EXPECT_EQ(Draw("tax").entered, 3);
  for (int s = 0; s < 5; ++s) EXPECT_EQ(Status(Code(100 + s)), kInLedger) << s;

  auto correct = [&](int s) {
    for (const std::string& r : records[s]) Fulfil(r);
  };
  harness_.SetDate("2026-03-20");
  correct(0);
  correct(2);
  correct(3);
  harness_.SetDate("2026-04-01");
  EXPECT_EQ(Draw().exited, 3);
  EXPECT_EQ(Status(Code(100)), kClosed);
  harness_.SetDate("2026-08-20");
  correct(4);
  harness_.SetDate("2026-09-01");
  EXPECT_EQ(Draw().exited, 1);

  auto report = ReportExitRate(harness_.service(), *policies::Date::Parse("2026-07-01"));
  ASSERT_OK(report);
  EXPECT_EQ(report->total.entered, 5);
  EXPECT_EQ(report->total.exited, 3);
  EXPECT_EQ(report->by_department["market"].entered, 2);
  EXPECT_EQ(report->by_department["market"].exited, 1);
  EXPECT_EQ(report->by_department["tax"].entered, 3);
  EXPECT_EQ(report->by_department["tax"].exited, 2);
  ASSERT_EQ(report->targets.size(), 2u);
  EXPECT_EQ(report->targets[0].by, "2026-06-30");
  EXPECT_EQ(report->targets[0].status, "missed");
  EXPECT_EQ(report->targets[1].status, "open");

  report = ReportExitRate(harness_.service(), *policies::Date::Parse("2026-12-31"));
  ASSERT_OK(report);
  EXPECT_EQ(report->total.exited, 4);
  EXPECT_DOUBLE_EQ(report->total.rate(), 0.8);
  EXPECT_EQ(report->targets[0].status, "missed") << "3 of 5 had exited by 2026-06-30";
  EXPECT_EQ(report->targets[1].status, "open") << "the year's last day is not over";
  // A year with nothing drawn meets no target: there is nothing to measure.
  auto empty_year = ReportExitRate(harness_.service(), *policies::Date::Parse("2025-07-01"));
  ASSERT_OK(empty_year);
  EXPECT_EQ(empty_year->total.entered, 0);
  EXPECT_EQ(empty_year->targets[0].status, "no_entries");
  const Json j = report->ToJson();
  EXPECT_EQ(j["total"].value("entered", 0), 5);
}

}  // namespace
}  // namespace credflow::workflows::remediation_ledger
