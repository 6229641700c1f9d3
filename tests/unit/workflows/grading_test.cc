// Risk grades from records: the inputs a subject's records give on a day
// (the look-back boundary on both sides), the first-match table, and the
// shipped table's rows.
#include "workflows/subject/grading.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/shipped_rules.h"

namespace credflow::workflows::subject {
namespace {

using engine::Json;
using policies::Date;
using policies::GradingInputs;
using policies::GradingRule;
using policies::GradingSection;

Date D(const char* text) { return Date::Parse(text).value(); }

engine::SubjectRecord Penalty(const std::string& id, const char* decided_on, const std::string& status = "active",
                              bool fulfilled = false, const char* tier = "general") {
  engine::SubjectRecord r;
  r.id = id;
  r.kind = "penalty";
  r.status = status;
  r.data = {{"decided_on", decided_on}, {"obligations_fulfilled", fulfilled}, {"tier", tier}};
  return r;
}

engine::SubjectRecord Of(const std::string& kind, const std::string& status = "active") {
  engine::SubjectRecord r;
  r.id = kind;
  r.kind = kind;
  r.status = status;
  return r;
}

GradingSection Section(int years) {
  GradingSection s;
  s.lookback_years = years;
  return s;
}

// The look-back is `years` back from today, that day included: a penalty
// decided on 2023-05-11 counts on 2026-05-11, one decided on 2023-05-10 does
// not.
TEST(GradingInputsTest, TheLookBackIncludesItsFirstDayAndNotTheDayBefore) {
  engine::SubjectFacts facts;
  facts.records = {Penalty("in", "2023-05-11"), Penalty("out", "2023-05-10")};
  GradingInputs in = GradingInputsOf(facts, Section(3), D("2026-05-11"));
  EXPECT_EQ(in.Count("penalties"), 1);
  EXPECT_EQ(in.Count("uncorrected_penalties"), 1);
  in = GradingInputsOf(facts, Section(3), D("2026-05-12"));
  EXPECT_EQ(in.Count("penalties"), 0);
  in = GradingInputsOf(facts, Section(3), D("2026-05-10"));
  EXPECT_EQ(in.Count("penalties"), 2);
}

// A penalty counts whether or not it is still shown (the conduct happened);
// a repaired one does not. Lists and other records count while in force.
TEST(GradingInputsTest, RepairedRecordsNoLongerCount) {
  engine::SubjectFacts facts;
  facts.profile = engine::SubjectProfile{};
  facts.profile->grade = "C";
  facts.records = {Penalty("a", "2026-01-05", "active", true),
                   Penalty("b", "2026-01-05", "not_published"),  // a simple-procedure fine is a penalty
                   Penalty("c", "2026-01-05", "repaired"),
                   Penalty("d", "2026-01-05", "expired", true),
                   Penalty("e", "2025-01-05", "active", false, "serious"),
                   Of("abnormal_list"),
                   Of("serious_list", "repaired"),
                   Of("false_commitment"),
                   Of("repair_revoked")};
  const GradingInputs in = GradingInputsOf(facts, Section(3), D("2026-05-11"));
  EXPECT_EQ(in.current_grade, "C");
  EXPECT_EQ(in.Count("penalties"), 4);              // a, b, d, e
  EXPECT_EQ(in.Count("uncorrected_penalties"), 2);  // b, e
  EXPECT_EQ(in.Count("serious_penalties"), 1);
  EXPECT_EQ(in.Count("abnormal_list"), 1);
  EXPECT_EQ(in.Count("serious_list"), 0);
  EXPECT_EQ(in.Count("false_commitments"), 1);
  EXPECT_EQ(in.Count("repair_revoked"), 1);
  EXPECT_EQ(in.Count("repaired"), 1);        // c (the serious-list entry has no decision date)
  EXPECT_EQ(in.Count("active_records"), 5);  // a, e, abnormal list, false commitment, repair revoked
}

TEST(GradingTableTest, FirstMatchWithBoundsAndTheCurrentGrade) {
  GradingSection s;
  GradingRule d{"D", {{"penalties", 10, std::nullopt}, {"uncorrected_penalties", 1, std::nullopt}}, {}, "s", 1};
  GradingRule b{"B", {{"active_records", std::nullopt, 0}}, {"C", "D"}, "s", 2};
  GradingRule keep{"keep", {}, {}, "s", 3};
  s.rules = {d, b, keep};
  GradingInputs in;
  in.counts = {{"penalties", 10}, {"uncorrected_penalties", 1}, {"active_records", 10}};
  EXPECT_EQ(s.Match(in)->line, 1);
  in.counts["uncorrected_penalties"] = 0;  // all corrected: not D
  EXPECT_EQ(s.Match(in)->line, 3);
  in.counts = {};
  in.current_grade = "D";
  EXPECT_EQ(s.Match(in)->line, 2);
  in.current_grade = "A";
  EXPECT_EQ(s.Match(in)->line, 3) << "the recovery row is for C and D only";
  s.rules = {d};
  EXPECT_EQ(s.Match(in), nullptr);
}

// The shipped table, row by row (policies/definitions/risk-grading.xml).
TEST(ShippedGradingTest, EachRowDecidesItsCase) {
  const policies::Policy* p = testing::ShippedRules().policies.Select("risk-grading", D("2026-05-11"));
  ASSERT_NE(p, nullptr);
  const GradingSection* s = p->Find<GradingSection>();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->lookback_years, 3);
  auto grade = [&](std::map<std::string, int> counts, const std::string& current = "A") {
    GradingInputs in;
    in.counts = std::move(counts);
    in.current_grade = current;
    const GradingRule* r = s->Match(in);
    if (r == nullptr) return std::string("none");
    return r->grade == "keep" ? "keep:" + current : r->grade;
  };
  EXPECT_EQ(grade({{"serious_list", 1}}), "D");
  EXPECT_EQ(grade({{"penalties", 10}, {"uncorrected_penalties", 1}}), "D");
  EXPECT_EQ(grade({{"penalties", 10}, {"uncorrected_penalties", 0}}), "C") << "all corrected: 3+ penalties";
  EXPECT_EQ(grade({{"penalties", 9}, {"uncorrected_penalties", 9}}), "C");
  EXPECT_EQ(grade({{"repair_revoked", 1}}), "D");
  EXPECT_EQ(grade({{"serious_penalties", 2}}), "D");
  EXPECT_EQ(grade({{"serious_penalties", 1}}), "C");
  EXPECT_EQ(grade({{"abnormal_list", 1}}), "C");
  EXPECT_EQ(grade({{"false_commitments", 1}}), "C");
  EXPECT_EQ(grade({{"penalties", 3}}), "C");
  EXPECT_EQ(grade({{"penalties", 2}}), "B");
  EXPECT_EQ(grade({{"penalties", 1}}), "B");
  EXPECT_EQ(grade({}, "D"), "B") << "nothing left in force: D returns to B";
  EXPECT_EQ(grade({}, "C"), "B");
  EXPECT_EQ(grade({}, "A"), "keep:A");
  EXPECT_EQ(grade({{"active_records", 1}}, "D"), "keep:D") << "something still in force that no row grades";
}

}  // namespace
}  // namespace credflow::workflows::subject
