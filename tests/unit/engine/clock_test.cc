#include <gtest/gtest.h>

#include "engine/clock.h"

namespace credflow::engine {
namespace {

// The office day turns at 16:00 UTC (midnight in China), so "today" and every
// deadline follow the local date.
TEST(ClockTest, OfficeDateIsUtcPlusEight) {
  Timestamp t;
  ASSERT_TRUE(ParseTimestamp("2025-03-02T16:00:00Z", &t));
  EXPECT_EQ(OfficeDate(t).ToString(), "2025-03-03");
  ASSERT_TRUE(ParseTimestamp("2025-03-02T15:59:59Z", &t));
  EXPECT_EQ(OfficeDate(t).ToString(), "2025-03-02");
}

TEST(ClockTest, ManualClockSetsStartOfOfficeDay) {
  ManualClock clock;
  clock.SetDate(policies::Date::FromYmd(2025, 4, 28));
  EXPECT_EQ(FormatTimestamp(clock.Now()), "2025-04-27T16:00:00Z");
  EXPECT_EQ(clock.Today().ToString(), "2025-04-28");
  clock.Advance(std::chrono::hours(24));
  EXPECT_EQ(clock.Today().ToString(), "2025-04-29");
}

// A date beyond what a 64-bit nanosecond Timestamp holds (after April 2262,
// before 1677) saturates instead of overflowing (the scenario fuzzer found
// 'on: 9687-05-06' wrapping round); clock dates are 1970-2199.
TEST(ClockTest, StartOfDaySaturatesBeyondTheTimestampsRange) {
  EXPECT_EQ(StartOfDay(policies::Date::FromYmd(9687, 5, 6)), Timestamp::max());
  EXPECT_EQ(StartOfDay(policies::Date::FromYmd(2262, 4, 13)), Timestamp::max());
  EXPECT_EQ(StartOfDay(policies::Date::FromYmd(1, 1, 1)), Timestamp::min());
  EXPECT_EQ(FormatTimestamp(StartOfDay(policies::Date::FromYmd(2199, 12, 31))), "2199-12-30T16:00:00Z");
  EXPECT_LT(StartOfDay(policies::Date::FromYmd(2262, 4, 12)), Timestamp::max());
  EXPECT_TRUE(IsClockDate(policies::Date::FromYmd(1970, 1, 1)));
  EXPECT_TRUE(IsClockDate(policies::Date::FromYmd(2199, 12, 31)));
  EXPECT_FALSE(IsClockDate(policies::Date::FromYmd(2200, 1, 1)));
  EXPECT_FALSE(IsClockDate(policies::Date::FromYmd(1969, 12, 31)));
  Timestamp t;
  EXPECT_FALSE(ParseTimestamp("9687-05-06T00:00:00Z", &t));
  EXPECT_FALSE(ParseTimestamp("1000-01-01T00:00:00Z", &t));
  EXPECT_TRUE(ParseTimestamp("2262-04-10T00:00:00Z", &t));
}

// Timestamps are exactly YYYY-MM-DDTHH:MM:SSZ: a leap day round-trips, while
// an impossible date, a missing T or Z, or hour 24 is refused.
TEST(ClockTest, TimestampsRoundTripAndRejectGarbage) {
  Timestamp t;
  ASSERT_TRUE(ParseTimestamp("2024-02-29T23:59:59Z", &t));
  EXPECT_EQ(FormatTimestamp(t), "2024-02-29T23:59:59Z");
  EXPECT_FALSE(ParseTimestamp("2023-02-29T00:00:00Z", &t));
  EXPECT_FALSE(ParseTimestamp("2024-02-29 00:00:00", &t));
  EXPECT_FALSE(ParseTimestamp("2024-02-29T24:00:00Z", &t));
}

// People see Beijing time: the same instant with +08:00, across the office
// day's turn and a year's end; the stored (hashed) form stays UTC with Z.
TEST(ClockTest, OfficeTimestampsAreBeijingTime) {
  Timestamp t;
  ASSERT_TRUE(ParseTimestamp("2026-12-06T06:03:00Z", &t));
  EXPECT_EQ(FormatOfficeTimestamp(t), "2026-12-06T14:03:00+08:00");
  EXPECT_EQ(FormatTimestamp(t), "2026-12-06T06:03:00Z");
  ASSERT_TRUE(ParseTimestamp("2026-12-31T16:00:00Z", &t));
  EXPECT_EQ(FormatOfficeTimestamp(t), "2027-01-01T00:00:00+08:00");
  EXPECT_EQ(OfficeDate(t).ToString(), "2027-01-01");
}

// Inputs take Z or an offset, +08:00 above all, and mean the same instant.
TEST(ClockTest, ParsesZAndOffsets) {
  Timestamp utc, beijing, west;
  ASSERT_TRUE(ParseTimestamp("2026-12-06T06:03:00Z", &utc));
  ASSERT_TRUE(ParseTimestamp("2026-12-06T14:03:00+08:00", &beijing));
  ASSERT_TRUE(ParseTimestamp("2026-12-06T01:03:00-05:00", &west));
  EXPECT_EQ(utc, beijing);
  EXPECT_EQ(utc, west);
  Timestamp t;
  EXPECT_FALSE(ParseTimestamp("2026-12-06T14:03:00+0800", &t));
  EXPECT_FALSE(ParseTimestamp("2026-12-06T14:03:00+08", &t));
  EXPECT_FALSE(ParseTimestamp("2026-12-06T14:03:00+24:00", &t));
  EXPECT_FALSE(ParseTimestamp("2026-12-06T14:03:00", &t));
  EXPECT_FALSE(ParseTimestamp("2026-12-06T14:3:00Z", &t));
}

}  // namespace
}  // namespace credflow::engine
