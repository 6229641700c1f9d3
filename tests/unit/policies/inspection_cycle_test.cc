// Inspection cycles (policies/inspection_rules.h): a year or a quarter named
// by a short id, with its first and last day; anything else is refused.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "policies/inspection_rules.h"

namespace credflow::policies {
namespace {

TEST(InspectionCycleTest, AYearRunsFromJanuaryToDecember) {
  const auto c = ParseInspectionCycle("2026");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->unit, "year");
  EXPECT_EQ(c->first.ToString(), "2026-01-01");
  EXPECT_EQ(c->last.ToString(), "2026-12-31");
}

TEST(InspectionCycleTest, AQuarterRunsItsThreeMonths) {
  const std::vector<std::tuple<std::string, std::string, std::string>> quarters = {
      {"2024-Q1", "2024-01-01", "2024-03-31"},
      {"2024-Q2", "2024-04-01", "2024-06-30"},
      {"2024-Q3", "2024-07-01", "2024-09-30"},
      {"2026-Q4", "2026-10-01", "2026-12-31"}};
  for (const auto& [id, first, last] : quarters) {
    const auto c = ParseInspectionCycle(id);
    ASSERT_TRUE(c.has_value()) << id;
    EXPECT_EQ(c->unit, "quarter") << id;
    EXPECT_EQ(c->first.ToString(), first) << id;
    EXPECT_EQ(c->last.ToString(), last) << id;
  }
}

TEST(InspectionCycleTest, AnythingElseIsRefused) {
  for (const std::string& id :
       std::vector<std::string>{"", "26", "20266", "2026-", "2026-Q", "2026-Q0", "2026-Q5", "2026-q4", "2026Q4 ",
                                "2026-H1", "1999", "2100", "abcd", "2026-Q44", "２０２６", std::string(10000, '2')}) {
    EXPECT_FALSE(ParseInspectionCycle(id).has_value()) << id.substr(0, 20);
  }
}

TEST(InspectionCycleTest, TheCycleOfADay) {
  EXPECT_EQ(InspectionCycleOf(kCycleQuarter, Date::FromYmd(2026, 5, 15)).id, "2026-Q2");
  EXPECT_EQ(InspectionCycleOf(kCycleQuarter, Date::FromYmd(2026, 12, 31)).id, "2026-Q4");
  EXPECT_EQ(InspectionCycleOf(kCycleYear, Date::FromYmd(2026, 1, 1)).id, "2026");
}

TEST(InspectionCycleTest, DepartmentIds) {
  EXPECT_TRUE(IsDepartmentId("market-regulation"));
  EXPECT_TRUE(IsDepartmentId("human_resources2"));
  EXPECT_FALSE(IsDepartmentId(""));
  EXPECT_FALSE(IsDepartmentId("Tax"));
  EXPECT_FALSE(IsDepartmentId("tax office"));
  EXPECT_FALSE(IsDepartmentId(std::string(65, 'a')));
}

}  // namespace
}  // namespace credflow::policies
