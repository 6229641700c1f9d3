// WorkingCalendar: which days are working days (工作日), and the period
// arithmetic of the Civil Code (民法典 arts 200-203) that deadlines use.
//
// A working day is a Monday-Friday that is not a public holiday, or a
// Saturday/Sunday declared a make-up working day (调休上班). Knowledge is per
// calendar year, and a year is one of:
//  - official: its State Council notice is loaded (holidays and make-up days
//    as the notice sets them);
//  - provisional: no notice yet, but the statutory holidays of
//    《全国年节及纪念日放假办法》 and the lunar dates of that year are known
//    (policies/statutory_holidays.h builds it): its holidays are the statutory
//    days, weekends are rest days and there are no make-up days;
//  - unknown: every query touching it fails rather than falling back to
//    weekends only.
// A provisional year is used only when the caller allows it (a horizon:
// "provisional years up to Y"); an answer that used one is marked
// provisional, so that the deadline can be shown as such and recomputed when
// the notice is loaded. A notice may also move days of the previous December
// (the 2019 notice made 2018-12-31 a day off), so late-December dates of the
// last official year can still change when the next notice appears.
//
// The calendar carries an identity (a version naming its last official year
// and the SHA-256 of its files) that is recorded with every deadline computed
// from it, as a policy's version is.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
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

// A day a computation produced, and whether it rests on a provisional year.
struct CalendarDay {
  Date date;
  bool provisional = false;
};

// A block of consecutive days off, as a notice (or the statute) states it.
struct HolidayBlock {
  std::string name;
  Date from;
  Date to;  // inclusive
};

// One year as the calendar knows it (for `credflow calendar show`).
struct CalendarYear {
  enum class Kind { kOfficial, kProvisional };
  int year = 0;
  Kind kind = Kind::kOfficial;
  std::string source;
  std::vector<HolidayBlock> holidays;                      // in date order
  std::vector<std::pair<Date, std::string>> make_up_days;  // (date, reason), in date order
};

class WorkingCalendar {
 public:
  // Declares that the calendar officially knows `year` (its notice is
  // loaded). An official year replaces a provisional one.
  void AddKnownYear(int year, std::string source);
  // Days off from `from` to `to` inclusive, of the notice for `section_year`
  // (0: the year of `from`). A notice's days may lie in the previous year.
  void AddHoliday(Date from, Date to, std::string name, int section_year = 0);
  // A weekend day that is worked.
  void AddMakeUpWorkday(Date date, std::string reason, int section_year = 0);
  // Declares `year` provisional with these statutory days off (no make-up
  // days). Ignored when the year is official.
  void AddProvisionalYear(int year, std::string source, const std::vector<HolidayBlock>& holidays);

  // The calendar's identity, recorded with the deadlines computed from it.
  void SetIdentity(std::string version, std::string content_hash);
  const std::string& version() const { return version_; }
  const std::string& content_hash() const { return content_hash_; }

  // True when `date`'s year is official.
  bool Knows(Date date) const;
  bool IsProvisional(int year) const;
  // nullopt when the date's year is not official.
  std::optional<bool> IsWorkingDay(Date date) const;

  // The holiday name if `date` is a public holiday day off, else empty.
  std::string HolidayName(Date date) const;

  // The n-th working day after `start` (the start day is not counted).
  // nullopt when a year on the way is unknown. REQUIRES: n >= 0.
  std::optional<Date> AddWorkingDays(Date start, int n) const;
  std::optional<CalendarDay> AddWorkingDays(Date start, int n, int provisional_through_year) const;

  // Last day of `period` counted from `start` (start day not counted):
  //  - working days: AddWorkingDays;
  //  - days: start + n;
  //  - months/years: the corresponding date of the final month, or that
  //    month's last day when it has no such date (民法典 art 202).
  // If `extend_over_rest_days` and the last day is a rest day (weekend or
  // holiday, not a make-up working day), the period ends on the next working
  // day (民法典 art 203). nullopt when a needed year is unknown.
  std::optional<Date> LastDay(Date start, const Period& period, bool extend_over_rest_days) const;
  // As above, also using provisional years up to `provisional_through_year`;
  // the answer is provisional when any day it depends on lies in one.
  std::optional<CalendarDay> LastDay(Date start, const Period& period, bool extend_over_rest_days,
                                     int provisional_through_year) const;

  // The first and last years the calendar officially knows (0 when empty).
  int first_year() const;
  int last_year() const;
  // The years it holds provisionally, ascending.
  std::vector<int> provisional_years() const;
  // The year as known (official or provisional), or nullopt when unknown.
  std::optional<CalendarYear> Year(int year) const;

 private:
  struct DayKind {
    bool working = false;
    bool provisional = false;
  };
  // nullopt when the year is unknown, or provisional beyond the horizon.
  std::optional<DayKind> Classify(Date date, int provisional_through_year) const;

  struct YearEntry {
    CalendarYear::Kind kind = CalendarYear::Kind::kOfficial;
    std::string source;
  };

  std::map<int, YearEntry> years_;
  std::map<Date, std::string> holidays_;          // official days off
  std::map<Date, std::string> make_up_workdays_;  // official
  std::map<Date, std::string> provisional_holidays_;
  std::map<int, std::vector<HolidayBlock>> blocks_;                          // by section year
  std::map<int, std::vector<std::pair<Date, std::string>>> make_up_blocks_;  // by section year
  std::string version_;
  std::string content_hash_;
};

// Pure month arithmetic: the corresponding date `months` later, clamped to
// the last day of the final month (2023-11-30 + 3 months = 2024-02-29).
Date AddMonthsClamped(Date start, int months);

}  // namespace credflow::policies
