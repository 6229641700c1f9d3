// WorkingCalendar: which days are working days (工作日), and the period
// arithmetic of the Civil Code (民法典 arts 200-203) that deadlines use.
//
// A working day is a Monday-Friday that is not a public holiday, or a
// Saturday/Sunday declared a make-up working day (调休上班). A year the
// calendar has no data for is *unknown*: every query touching it fails rather
// than falling back to weekends only. Knowledge is per calendar year, and a
// year is known when its State Council notice is loaded; a notice may also
// move days of the previous December (the 2019 notice made 2018-12-31 a day
// off), so late-December dates of the last known year can still change when
// the next notice appears.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "policies/date.h"

namespace credflow::policies {

// A length of time as a rule states it.
struct Period {
  enum class Unit { kWorkingDays, kCalendarDays, kMonths, kYears };
  int count = 0;
  Unit unit = Unit::kCalendarDays;

  static std::optional<Unit> ParseUnit(const std::string& text);  // working_days, days, months, years
  static const char* UnitName(Unit unit);
};

class WorkingCalendar {
 public:
  // Declares that the calendar knows `year` (holidays and make-up days).
  void AddKnownYear(int year, std::string source);
  // Days off from `from` to `to` inclusive.
  void AddHoliday(Date from, Date to, std::string name);
  // A weekend day that is worked.
  void AddMakeUpWorkday(Date date, std::string reason);

  bool Knows(Date date) const;
  // nullopt when the date's year is unknown.
  std::optional<bool> IsWorkingDay(Date date) const;
  // The holiday name if `date` is a public holiday day off, else empty.
  std::string HolidayName(Date date) const;

  // The n-th working day after `start` (the start day is not counted).
  // nullopt when a year on the way is unknown. REQUIRES: n >= 0.
  std::optional<Date> AddWorkingDays(Date start, int n) const;

  // Last day of `period` counted from `start` (start day not counted):
  //  - working days: AddWorkingDays;
  //  - days: start + n;
  //  - months/years: the corresponding date of the final month, or that
  //    month's last day when it has no such date (民法典 art 202).
  // If `extend_over_rest_days` and the last day is a rest day (weekend or
  // holiday, not a make-up working day), the period ends on the next working
  // day (民法典 art 203). nullopt when a needed year is unknown.
  std::optional<Date> LastDay(Date start, const Period& period, bool extend_over_rest_days) const;

  // The first and last years the calendar knows (0 when empty).
  int first_year() const;
  int last_year() const;

 private:
  std::map<int, std::string> known_years_;
  std::map<Date, std::string> holidays_;
  std::map<Date, std::string> make_up_workdays_;
};

// Pure month arithmetic: the corresponding date `months` later, clamped to
// the last day of the final month (2023-11-30 + 3 months = 2024-02-29).
Date AddMonthsClamped(Date start, int months);

}  // namespace credflow::policies
