// WorkingCalendar and Civil Code period arithmetic, against the shipped
// national calendar (policies/calendars/cn-public-holidays.xml) and small
// calendars built by hand.
#include "policies/calendar.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "adapters/xml/policy_loader.h"
#include "policies/date.h"
#include "tests/support/paths.h"

namespace credflow::policies {
namespace {

Date D(const char* text) {
  const std::optional<Date> d = Date::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Date());
}

Period Days(int n) { return Period{n, Period::Unit::kCalendarDays}; }
Period WorkingDays(int n) { return Period{n, Period::Unit::kWorkingDays}; }
Period Months(int n) { return Period{n, Period::Unit::kMonths}; }
Period Years(int n) { return Period{n, Period::Unit::kYears}; }

class CalendarTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto result = std::make_unique<adapters::CalendarLoadResult>(
        adapters::LoadCalendar((credflow::testing::SourceDir() + "/policies/calendars/cn-public-holidays.xml")));
    for (const PolicyError& e : result->errors) ADD_FAILURE() << e.ToString();
    cn_ = new WorkingCalendar(std::move(result->calendar));
  }
  static void TearDownTestSuite() {
    delete cn_;
    cn_ = nullptr;
  }

  // The n-th working day after `start` as a string ("unknown" for nullopt).
  static std::string AfterWorkingDays(const char* start, int n) {
    const std::optional<Date> d = cn_->AddWorkingDays(D(start), n);
    return d ? d->ToString() : "unknown";
  }
  static std::string Last(const char* start, const Period& period, bool extend) {
    const std::optional<Date> d = cn_->LastDay(D(start), period, extend);
    return d ? d->ToString() : "unknown";
  }

  static const WorkingCalendar* cn_;
};

const WorkingCalendar* CalendarTest::cn_ = nullptr;

// The shipped calendar covers exactly the years with a published notice.
TEST_F(CalendarTest, ShippedCalendarKnowsTheNoticeYears) {
  EXPECT_EQ(cn_->first_year(), 2019);
  EXPECT_EQ(cn_->last_year(), 2026);
  EXPECT_TRUE(cn_->Knows(D("2026-12-31")));
  EXPECT_FALSE(cn_->Knows(D("2027-01-01")));
}

// 调休: the make-up weekend days around National Day 2024 are working days,
// the holiday block is not, and ordinary weekends are not.
TEST_F(CalendarTest, MakeUpWeekendsAreWorkingDays) {
  EXPECT_EQ(D("2024-09-29").iso_weekday(), 7);
  EXPECT_EQ(D("2024-10-12").iso_weekday(), 6);
  EXPECT_EQ(cn_->IsWorkingDay(D("2024-09-29")), std::optional<bool>(true));
  EXPECT_EQ(cn_->IsWorkingDay(D("2024-10-12")), std::optional<bool>(true));
  for (int day = 1; day <= 7; ++day) {
    const Date d = Date::FromYmd(2024, 10, day);
    EXPECT_EQ(cn_->IsWorkingDay(d), std::optional<bool>(false)) << d.ToString();
    EXPECT_EQ(cn_->HolidayName(d), "国庆节") << d.ToString();
  }
  EXPECT_EQ(cn_->IsWorkingDay(D("2024-10-08")), std::optional<bool>(true));
  EXPECT_EQ(cn_->IsWorkingDay(D("2024-10-13")), std::optional<bool>(false));  // plain Sunday
  EXPECT_EQ(cn_->HolidayName(D("2024-10-12")), "");
}

// 2020: the Spring Festival extension removed the 2020-02-01 make-up day.
TEST_F(CalendarTest, AmendedNoticeIsApplied) {
  EXPECT_EQ(cn_->IsWorkingDay(D("2020-01-31")), std::optional<bool>(false));
  EXPECT_EQ(cn_->IsWorkingDay(D("2020-02-01")), std::optional<bool>(false));
  EXPECT_EQ(cn_->IsWorkingDay(D("2020-02-03")), std::optional<bool>(true));
}

// Counting across National Day 2024: the Sunday 09-29 and Saturday 10-12
// make-up days count, 10-01..07 do not.
TEST_F(CalendarTest, AddWorkingDaysAcrossNationalDay2024) {
  EXPECT_EQ(AfterWorkingDays("2024-09-27", 0), "2024-09-27");
  EXPECT_EQ(AfterWorkingDays("2024-09-27", 1), "2024-09-29");
  EXPECT_EQ(AfterWorkingDays("2024-09-27", 2), "2024-09-30");
  EXPECT_EQ(AfterWorkingDays("2024-09-27", 3), "2024-10-08");
  EXPECT_EQ(AfterWorkingDays("2024-09-27", 7), "2024-10-12");
  EXPECT_EQ(AfterWorkingDays("2024-09-27", 8), "2024-10-14");
}

// Spring Festival 2025 (01-28..02-04 off; Sunday 01-26 and Saturday 02-08 worked).
TEST_F(CalendarTest, AddWorkingDaysAcrossSpringFestival2025) {
  EXPECT_EQ(AfterWorkingDays("2025-01-24", 1), "2025-01-26");
  EXPECT_EQ(AfterWorkingDays("2025-01-24", 2), "2025-01-27");
  EXPECT_EQ(AfterWorkingDays("2025-01-24", 3), "2025-02-05");
  EXPECT_EQ(AfterWorkingDays("2025-01-24", 6), "2025-02-08");
  EXPECT_EQ(AfterWorkingDays("2025-01-24", 7), "2025-02-10");
}

// National Day and Mid-Autumn 2025 (10-01..08 off; 09-28 and 10-11 worked).
TEST_F(CalendarTest, AddWorkingDaysAcrossNationalDay2025) {
  EXPECT_EQ(AfterWorkingDays("2025-09-26", 1), "2025-09-28");
  EXPECT_EQ(AfterWorkingDays("2025-09-26", 3), "2025-09-30");
  EXPECT_EQ(AfterWorkingDays("2025-09-26", 4), "2025-10-09");
  EXPECT_EQ(AfterWorkingDays("2025-09-26", 6), "2025-10-11");
  EXPECT_EQ(AfterWorkingDays("2025-09-26", 7), "2025-10-13");
}

// A 30-WD window from 2025-03-03 skips Qingming (Friday 04-04).
TEST_F(CalendarTest, ThirtyWorkingDaysSkipQingming) {
  EXPECT_EQ(Last("2025-03-03", WorkingDays(30), false), "2025-04-15");
  EXPECT_EQ(Last("2025-03-03", WorkingDays(30), true), "2025-04-15");
}

// 民法典 art 202: the corresponding date of the final month, else its last day.
TEST_F(CalendarTest, MonthPeriodsEndOnTheCorrespondingDate) {
  EXPECT_EQ(Last("2024-02-20", Months(3), false), "2024-05-20");
  EXPECT_EQ(Last("2023-11-30", Months(3), false), "2024-02-29");
  EXPECT_EQ(Last("2024-01-31", Months(1), false), "2024-02-29");
  EXPECT_EQ(Last("2023-01-31", Months(1), false), "2023-02-28");
  EXPECT_EQ(Last("2024-08-31", Months(1), false), "2024-09-30");
  EXPECT_EQ(Last("2024-12-15", Months(13), false), "2026-01-15");
}

// 民法典 art 202 for years: a year counted from 02-29 ends on 02-28 when the
// final year has no leap day.
TEST_F(CalendarTest, YearPeriodsEndOnTheCorrespondingDate) {
  EXPECT_EQ(Last("2023-05-15", Years(2), false), "2025-05-15");
  EXPECT_EQ(Last("2024-02-29", Years(1), false), "2025-02-28");
  EXPECT_EQ(Last("2024-02-29", Years(4), false), "2028-02-29");
}

// 民法典 art 201: a period in days is counted from the day after the start.
TEST_F(CalendarTest, DayPeriodsDoNotCountTheStartDay) {
  EXPECT_EQ(Last("2024-02-20", Days(20), false), "2024-03-11");
  EXPECT_EQ(Last("2024-12-31", Days(1), false), "2025-01-01");
}

// 民法典 art 203: a last day on a holiday moves past the holiday block.
TEST_F(CalendarTest, ExtendOverHolidayMovesToNextWorkingDay) {
  EXPECT_EQ(Last("2024-09-20", Days(11), false), "2024-10-01");
  EXPECT_EQ(Last("2024-09-20", Days(11), true), "2024-10-08");
  EXPECT_EQ(Last("2024-09-01", Months(1), true), "2024-10-08");
  // 端午节 2025 starts on a Saturday (05-31..06-02): next working day 06-03.
  EXPECT_EQ(Last("2025-05-01", Days(30), true), "2025-06-03");
}

// A last day on an ordinary weekend moves to Monday.
TEST_F(CalendarTest, ExtendOverWeekendMovesToMonday) {
  EXPECT_EQ(D("2024-03-16").iso_weekday(), 6);
  EXPECT_EQ(Last("2024-03-01", Days(15), false), "2024-03-16");
  EXPECT_EQ(Last("2024-03-01", Days(15), true), "2024-03-18");
}

// A make-up working Saturday or Sunday is not a rest day: no extension.
TEST_F(CalendarTest, ExtendStopsOnMakeUpWorkday) {
  EXPECT_EQ(Last("2024-10-01", Days(11), true), "2024-10-12");
  EXPECT_EQ(Last("2024-09-19", Days(10), true), "2024-09-29");
  EXPECT_EQ(Last("2024-09-20", Days(5), true), "2024-09-25");  // a plain Wednesday
}

// No data for 2027: anything that needs to know a 2027 day fails.
TEST_F(CalendarTest, UnknownYearGivesNoAnswer) {
  EXPECT_EQ(cn_->IsWorkingDay(D("2027-01-04")), std::nullopt);
  EXPECT_EQ(AfterWorkingDays("2026-12-20", 30), "unknown");
  EXPECT_EQ(AfterWorkingDays("2026-12-28", 3), "2026-12-31");  // stays inside 2026
  EXPECT_EQ(AfterWorkingDays("2026-12-28", 4), "unknown");
  EXPECT_EQ(Last("2026-12-01", Months(1), true), "unknown");
  EXPECT_EQ(Last("2026-12-30", Days(2), true), "unknown");
  // Plain calendar arithmetic needs no calendar data.
  EXPECT_EQ(Last("2026-12-30", Days(2), false), "2027-01-01");
  EXPECT_EQ(Last("2026-12-01", Months(1), false), "2027-01-01");
  // 2018 has no notice even though the 2019 notice lists some of its days.
  EXPECT_EQ(cn_->IsWorkingDay(D("2018-12-29")), std::nullopt);
}

// A calendar built by hand: holidays and make-up days as declared, weekends
// otherwise, nothing outside the known year.
TEST(WorkingCalendarTest, HandBuiltCalendar) {
  WorkingCalendar cal;
  EXPECT_EQ(cal.first_year(), 0);
  EXPECT_EQ(cal.IsWorkingDay(D("2030-01-02")), std::nullopt);
  cal.AddKnownYear(2030, "test notice");
  cal.AddHoliday(D("2030-01-01"), D("2030-01-03"), "New Year");
  cal.AddMakeUpWorkday(D("2030-01-05"), "New Year make-up");  // a Saturday
  EXPECT_EQ(D("2030-01-05").iso_weekday(), 6);
  EXPECT_EQ(cal.IsWorkingDay(D("2030-01-02")), std::optional<bool>(false));
  EXPECT_EQ(cal.HolidayName(D("2030-01-02")), "New Year");
  EXPECT_EQ(cal.IsWorkingDay(D("2030-01-04")), std::optional<bool>(true));
  EXPECT_EQ(cal.IsWorkingDay(D("2030-01-05")), std::optional<bool>(true));
  EXPECT_EQ(cal.IsWorkingDay(D("2030-01-06")), std::optional<bool>(false));
  // The start day is not counted, so its (unknown) year does not matter.
  EXPECT_EQ(cal.AddWorkingDays(D("2029-12-31"), 3), std::optional<Date>(D("2030-01-07")));
  EXPECT_EQ(cal.AddWorkingDays(D("2030-01-01"), 3), std::optional<Date>(D("2030-01-07")));
  EXPECT_EQ(cal.LastDay(D("2030-01-01"), Days(1), true), std::optional<Date>(D("2030-01-04")));
  EXPECT_EQ(cal.LastDay(D("2030-12-30"), Days(1), true), std::optional<Date>(D("2030-12-31")));
  EXPECT_EQ(cal.first_year(), 2030);
  EXPECT_EQ(cal.last_year(), 2030);
}

// AddMonthsClamped goes backwards too and clamps to the month's end.
TEST(AddMonthsClampedTest, ForwardAndBackward) {
  EXPECT_EQ(AddMonthsClamped(D("2023-11-30"), 3), D("2024-02-29"));
  EXPECT_EQ(AddMonthsClamped(D("2024-03-31"), -1), D("2024-02-29"));
  EXPECT_EQ(AddMonthsClamped(D("2024-01-15"), -13), D("2022-12-15"));
  EXPECT_EQ(AddMonthsClamped(D("2024-05-20"), 0), D("2024-05-20"));
}

// Unit names in policy files are exact and lower case; anything else (weeks,
// Days) is refused rather than guessed.
TEST(PeriodTest, ParsesTheFourUnits) {
  EXPECT_EQ(Period::ParseUnit("working_days"), Period::Unit::kWorkingDays);
  EXPECT_EQ(Period::ParseUnit("days"), Period::Unit::kCalendarDays);
  EXPECT_EQ(Period::ParseUnit("months"), Period::Unit::kMonths);
  EXPECT_EQ(Period::ParseUnit("years"), Period::Unit::kYears);
  EXPECT_EQ(Period::ParseUnit("weeks"), std::nullopt);
  EXPECT_EQ(Period::ParseUnit("Days"), std::nullopt);
  EXPECT_STREQ(Period::UnitName(Period::Unit::kWorkingDays), "working_days");
  EXPECT_STREQ(Period::UnitName(Period::Unit::kMonths), "months");
}

// Date::Parse accepts real dates only.
TEST(DateTest, ParseRejectsImpossibleDates) {
  EXPECT_EQ(Date::Parse("2023-02-29"), std::nullopt);
  EXPECT_EQ(Date::Parse("2024-02-30"), std::nullopt);
  EXPECT_EQ(Date::Parse("2024-13-01"), std::nullopt);
  EXPECT_EQ(Date::Parse("2024-2-29"), std::nullopt);
  ASSERT_TRUE(Date::Parse("2024-02-29").has_value());
  EXPECT_EQ(Date::Parse("2024-02-29")->ToString(), "2024-02-29");
}

}  // namespace
}  // namespace credflow::policies

namespace credflow::policies {
namespace {

// The shipped calendar folder: 2019-2026 official, 2027-2035 provisional from
// the statute and the lunar table; a provisional year is used only up to the
// horizon the caller gives, and marks what it touched.
TEST(ProvisionalCalendarTest, NextYearIsCountedOnTheStatuteAndMarked) {
  adapters::CalendarLoadResult loaded =
      adapters::LoadCalendar((credflow::testing::SourceDir() + "/policies/calendars"));
  for (const PolicyError& e : loaded.errors) ADD_FAILURE() << e.ToString();
  const WorkingCalendar& cal = loaded.calendar;
  EXPECT_EQ(cal.last_year(), 2026);
  EXPECT_EQ(cal.version(), "cn@2026");
  EXPECT_EQ(cal.content_hash().size(), 64u);
  ASSERT_EQ(cal.provisional_years().size(), 9u);
  EXPECT_EQ(cal.provisional_years().front(), 2027);
  EXPECT_EQ(cal.provisional_years().back(), 2035);
  // Official queries still refuse 2027.
  EXPECT_EQ(cal.IsWorkingDay(Date::FromYmd(2027, 1, 4)), std::nullopt);

  // 2026-12-06 + 30 working days: 19 in December, 2027-01-01 off (元旦).
  const std::optional<CalendarDay> window =
      cal.LastDay(Date::FromYmd(2026, 12, 6), Period{30, Period::Unit::kWorkingDays}, false, 2027);
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->date, Date::FromYmd(2027, 1, 18));
  EXPECT_TRUE(window->provisional);
  // Spring Festival 2027: 除夕 2027-02-05 (Fri) to 初三 02-08 (Mon), weekend between.
  const std::optional<CalendarDay> spring =
      cal.LastDay(Date::FromYmd(2027, 2, 4), Period{1, Period::Unit::kWorkingDays}, false, 2027);
  ASSERT_TRUE(spring.has_value());
  EXPECT_EQ(spring->date, Date::FromYmd(2027, 2, 9));
  EXPECT_EQ(cal.HolidayName(Date::FromYmd(2027, 2, 5)), "春节");
  // National Day: 3 days, October 1-3; no make-up days.
  EXPECT_EQ(cal.LastDay(Date::FromYmd(2027, 9, 30), Period{1, Period::Unit::kWorkingDays}, false, 2027)->date,
            Date::FromYmd(2027, 10, 4));
  // Counted within official years only, an answer is not provisional.
  const std::optional<CalendarDay> official =
      cal.LastDay(Date::FromYmd(2026, 3, 2), Period{10, Period::Unit::kWorkingDays}, false, 2027);
  ASSERT_TRUE(official.has_value());
  EXPECT_FALSE(official->provisional);
  // Beyond the horizon: unknown, as before.
  EXPECT_EQ(cal.LastDay(Date::FromYmd(2026, 12, 6), Period{30, Period::Unit::kWorkingDays}, false, 2026), std::nullopt);
  const std::optional<CalendarYear> y = cal.Year(2027);
  ASSERT_TRUE(y.has_value());
  EXPECT_EQ(y->kind, CalendarYear::Kind::kProvisional);
  EXPECT_EQ(y->holidays.size(), 7u);
  EXPECT_TRUE(y->make_up_days.empty());
}

}  // namespace
}  // namespace credflow::policies
