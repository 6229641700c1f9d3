// The credit-repair policy section: first-match record tables, the
// publication window derived from a record's facts, what counts as heavier,
// the section's own checks, and the shipped regimes chosen by date.
#include "policies/repair_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/shipped_rules.h"
#include "workflows/record/record_workflow.h"

namespace credflow::policies {
namespace {

Date RepDay(const char* text) { return Date::Parse(text).value(); }

SourcedPeriod SourcedMonths(int n) { return SourcedPeriod{Period{n, Period::Unit::kMonths}, false, "s"}; }
SourcedPeriod SourcedYears(int n) { return SourcedPeriod{Period{n, Period::Unit::kYears}, false, "s"}; }

RecordFacts Fine(const char* decided_on) {
  RecordFacts r;
  r.platform = kPlatformCreditChina;
  r.kind = kRecordPenalty;
  r.tier = "general";
  r.penalties = {"fine"};
  r.amount = 20000;
  r.decided_on = RepDay(decided_on);
  return r;
}

// A regime with a general window (3 months to 1 year) behind a simple-
// procedure window that is never shown.
RepairRegimeSection Regime(const char* earliest) {
  RepairRegimeSection s;
  s.platform = kPlatformCreditChina;
  s.regime = "test";
  s.period_starts = "decision";
  s.earliest = earliest;
  WindowRule hidden;
  hidden.match.simple_procedure = true;
  hidden.published = false;
  hidden.line = 10;
  WindowRule general;
  general.match.kinds = {kRecordPenalty};
  general.minimum = SourcedMonths(3);
  general.maximum = SourcedYears(1);
  general.restriction_extends = true;
  general.line = 20;
  s.windows = {hidden, general};
  return s;
}

TEST(RecordMatchTest, EveryStatedListMustHold) {
  RecordMatch m;
  EXPECT_TRUE(m.Matches(Fine("2025-01-02"))) << "an empty match takes every record";
  m.kinds = {kRecordSeriousList};
  EXPECT_FALSE(m.Matches(Fine("2025-01-02")));
  m.kinds = {kRecordPenalty};
  m.penalties_only = {"fine", "warning"};
  RecordFacts r = Fine("2025-01-02");
  EXPECT_TRUE(m.Matches(r));
  r.penalties.push_back("confiscation");
  EXPECT_FALSE(m.Matches(r)) << "penalties-only: every penalty is listed";
  m.penalties_only.clear();
  m.penalties_any = {"confiscation", "suspension"};
  EXPECT_TRUE(m.Matches(r));
  m.penalties_any.clear();
  m.amount_below = 100000;
  EXPECT_TRUE(m.Matches(r));
  r.amount = 100000;
  EXPECT_FALSE(m.Matches(r)) << "below is strict";
  r.amount.reset();
  EXPECT_FALSE(m.Matches(r)) << "a record stating no amount is not a low amount";
}

TEST(PublicationWindowTest, FirstMatchingWindowWins) {
  RepairRegimeSection s = Regime("day_after");
  RecordFacts simple = Fine("2025-01-02");
  simple.simple_procedure = true;
  auto w = DerivePublicationWindow(s, simple);
  ASSERT_TRUE(w.has_value());
  EXPECT_FALSE(w->published);
  EXPECT_FALSE(w->repairable);
  EXPECT_EQ(w->line, 10);
  RecordFacts list = Fine("2025-01-02");
  list.kind = kRecordAbnormalList;
  EXPECT_FALSE(DerivePublicationWindow(s, list).has_value()) << "a gap in the table is no window";
}

// Calendar arithmetic from the day it counts from, that day not counted
// (民法典 arts 201-202): 3 months from 2025-01-02 end on 2025-04-02, so an
// application can succeed on 2025-04-03 (day_after) or 2025-04-02 (last_day).
TEST(PublicationWindowTest, PeriodsCountFromTheDecisionOrThePublication) {
  RepairRegimeSection s = Regime("day_after");
  auto w = DerivePublicationWindow(s, Fine("2025-01-02"));
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(w->published);
  EXPECT_TRUE(w->repairable);
  EXPECT_EQ(w->earliest_repair, RepDay("2025-04-03"));
  EXPECT_EQ(w->ends, RepDay("2026-01-02"));
  s.earliest = "last_day";
  EXPECT_EQ(DerivePublicationWindow(s, Fine("2025-01-02"))->earliest_repair, RepDay("2025-04-02"));
  s.period_starts = "publication";
  RecordFacts late = Fine("2025-01-02");
  late.published_on = RepDay("2025-02-10");
  EXPECT_EQ(DerivePublicationWindow(s, late)->ends, RepDay("2026-02-10"));
  // The end of a month that has no such day: the last day of the month.
  EXPECT_EQ(DerivePublicationWindow(s, Fine("2024-11-30"))->earliest_repair, RepDay("2025-02-28"));
}

TEST(PublicationWindowTest, ALongerRestrictionKeepsTheRecordShown) {
  RepairRegimeSection s = Regime("day_after");
  RecordFacts r = Fine("2025-01-02");
  r.restriction_until = RepDay("2027-06-30");
  EXPECT_EQ(DerivePublicationWindow(s, r)->ends, RepDay("2027-06-30"));
  r.restriction_until = RepDay("2025-06-30");  // shorter than the maximum: the maximum
  EXPECT_EQ(DerivePublicationWindow(s, r)->ends, RepDay("2026-01-02"));
  s.windows[1].restriction_extends = false;
  r.restriction_until = RepDay("2027-06-30");
  EXPECT_EQ(DerivePublicationWindow(s, r)->ends, RepDay("2026-01-02"));
}

TEST(PublicationWindowTest, ARepairlessWindowSaysWhy) {
  RepairRegimeSection s = Regime("day_after");
  s.windows[1].repair = "none";
  s.windows[1].refusal = "no_early_stop";
  auto w = DerivePublicationWindow(s, Fine("2025-01-02"));
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(w->published);
  EXPECT_FALSE(w->repairable);
  EXPECT_EQ(w->refusal, "no_early_stop");
  EXPECT_FALSE(w->earliest_repair.has_value());
  EXPECT_EQ(w->ends, RepDay("2026-01-02"));
}

TEST(HeavierPenaltyTest, ThePolicySaysWhatIsHeavier) {
  RepairRegimeSection s;
  s.heavier_penalties = {"suspension", "licence_revocation"};
  s.heavier_tiers = {"serious"};
  RecordFacts r = Fine("2025-01-02");
  EXPECT_FALSE(s.IsHeavier(r));
  r.penalties.push_back("suspension");
  EXPECT_TRUE(s.IsHeavier(r));
  r = Fine("2025-01-02");
  r.tier = "serious";
  EXPECT_TRUE(s.IsHeavier(r));
  s.heavier_tiers.clear();
  EXPECT_FALSE(s.IsHeavier(r));
}

// The shipped regimes, each chosen by the date the rule in force is read on:
// 527号 -> Order 58 (2023-05-01) -> 22号 (2025-06-22) -> Order 36 (2026-04-01)
// on 信用中国; SAMR 2021 -> SAMR 2025 (2025-12-25) on GSXT.
TEST(ShippedRepairRegimesTest, TheRegimeInForceFollowsTheDate) {
  const PolicySet& set = testing::ShippedRules().policies;
  auto regime = [&](const char* platform, const char* date) {
    const RepairRegimeSection* r = workflows::record::RegimeOn(set, platform, RepDay(date));
    return r != nullptr ? r->regime : std::string("none");
  };
  EXPECT_EQ(regime(kPlatformCreditChina, "2023-04-30"), "527");
  EXPECT_EQ(regime(kPlatformCreditChina, "2023-05-01"), "order58");
  EXPECT_EQ(regime(kPlatformCreditChina, "2025-06-21"), "order58");
  EXPECT_NE(regime(kPlatformCreditChina, "2025-06-22"), "order58");
  EXPECT_EQ(regime(kPlatformCreditChina, "2026-04-01"), "order36");
  EXPECT_EQ(regime(kPlatformGsxt, "2025-12-24"), "samr2021");
  EXPECT_EQ(regime(kPlatformGsxt, "2025-12-25"), "samr2025");
}

// Decision limits per regime: SAMR 15 WD before 2025-12-25 and 7 WD from it;
// 信用中国 10 WD.
TEST(ShippedRepairRegimesTest, DecisionLimitsPerRegime) {
  const PolicySet& set = testing::ShippedRules().policies;
  auto limit = [&](const char* platform, const char* date, const RecordFacts& r) {
    const RepairRegimeSection* regime = workflows::record::RegimeOn(set, platform, RepDay(date));
    if (regime == nullptr) return -1;
    const DecisionRule* d = regime->MatchDecision(r);
    if (d == nullptr || d->limit.period.unit != Period::Unit::kWorkingDays) return -1;
    return d->limit.period.count;
  };
  RecordFacts gsxt = Fine("2025-01-02");
  gsxt.platform = kPlatformGsxt;
  gsxt.amount = 200000;
  EXPECT_EQ(limit(kPlatformGsxt, "2025-12-24", gsxt), 15);
  EXPECT_EQ(limit(kPlatformGsxt, "2025-12-25", gsxt), 7);
  EXPECT_EQ(limit(kPlatformCreditChina, "2025-03-03", Fine("2024-06-03")), 10);
}

// The shipped serious-list conditions name the heavier-penalty check, and the
// regime says what is heavier (令44 art 2).
TEST(ShippedRepairRegimesTest, SeriousListRepairLooksForHeavierPenalties) {
  const PolicySet& set = testing::ShippedRules().policies;
  for (const char* date : {"2025-12-24", "2025-12-25"}) {
    const RepairRegimeSection* r = workflows::record::RegimeOn(set, kPlatformGsxt, RepDay(date));
    ASSERT_NE(r, nullptr) << date;
    RecordFacts licence = Fine("2025-01-02");
    licence.platform = kPlatformGsxt;
    licence.penalties = {"licence_revocation"};
    EXPECT_TRUE(r->IsHeavier(licence)) << date;
    EXPECT_FALSE(r->IsHeavier(Fine("2025-01-02"))) << date;
  }
}

}  // namespace
}  // namespace credflow::policies

namespace credflow::policies {
namespace {

// Temporary repair in bankruptcy reorganisation came with 22号 (and SAMR
// 2025 on GSXT): the regimes before it have none; those after name the
// court's ruling among the documents.
TEST(ShippedRepairRegimesTest, BankruptcyRepairFollowsTheRegime) {
  const PolicySet& set = testing::ShippedRules().policies;
  auto bankruptcy = [&](const char* platform, const char* date) {
    const RepairRegimeSection* r = workflows::record::RegimeOn(set, platform, RepDay(date));
    return r != nullptr ? r->bankruptcy : std::nullopt;
  };
  EXPECT_FALSE(bankruptcy(kPlatformCreditChina, "2025-06-21").has_value());
  EXPECT_FALSE(bankruptcy(kPlatformGsxt, "2025-12-24").has_value());
  for (auto [platform, date] :
       {std::pair{kPlatformCreditChina, "2025-06-22"}, std::pair{kPlatformCreditChina, "2026-04-01"},
        std::pair{kPlatformGsxt, "2025-12-25"}}) {
    auto b = bankruptcy(platform, date);
    ASSERT_TRUE(b.has_value()) << platform << " " << date;
    EXPECT_NE(std::find(b->documents.begin(), b->documents.end(), "court_ruling"), b->documents.end());
    EXPECT_FALSE(b->source.empty());
  }
}

}  // namespace
}  // namespace credflow::policies
