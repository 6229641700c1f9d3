// WorkingCalendar and the Civil Code period arithmetic (see calendar.h).
#include "policies/calendar.h"

#include <cassert>
#include <utility>

namespace credflow::policies {
namespace {

struct UnitText {
  Period::Unit unit;
  const char* name;
};

constexpr UnitText kUnitNames[] = {
    {Period::Unit::kWorkingDays, "working_days"},
    {Period::Unit::kCalendarDays, "days"},
    {Period::Unit::kMonths, "months"},
    {Period::Unit::kYears, "years"},
};

// Floor division and modulo, so that negative month offsets work.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<Period::Unit> Period::ParseUnit(const std::string& text) {
  for (const UnitText& u : kUnitNames) {
    if (text == u.name) return u.unit;
  }
  return std::nullopt;
}

const char* Period::UnitName(Unit unit) {
  for (const UnitText& u : kUnitNames) {
    if (u.unit == unit) return u.name;
  }
  return "unknown";
}

void WorkingCalendar::AddKnownYear(int year, std::string source) { known_years_[year] = std::move(source); }

void WorkingCalendar::AddHoliday(Date from, Date to, std::string name) {
  for (Date d = from; d <= to; d = d.AddDays(1)) holidays_[d] = name;
}

void WorkingCalendar::AddMakeUpWorkday(Date date, std::string reason) { make_up_workdays_[date] = std::move(reason); }

bool WorkingCalendar::Knows(Date date) const { return known_years_.count(date.year()) > 0; }

std::optional<bool> WorkingCalendar::IsWorkingDay(Date date) const {
  if (!Knows(date)) return std::nullopt;
  if (make_up_workdays_.count(date) > 0) return true;
  if (holidays_.count(date) > 0) return false;
  return !date.IsWeekend();
}

std::string WorkingCalendar::HolidayName(Date date) const {
  auto it = holidays_.find(date);
  return it == holidays_.end() ? std::string() : it->second;
}

std::optional<Date> WorkingCalendar::AddWorkingDays(Date start, int n) const {
  assert(n >= 0);
  if (n < 0) return std::nullopt;
  Date d = start;
  for (int counted = 0; counted < n;) {
    d = d.AddDays(1);
    const std::optional<bool> working = IsWorkingDay(d);
    if (!working) return std::nullopt;
    if (*working) ++counted;
  }
  return d;
}

std::optional<Date> WorkingCalendar::LastDay(Date start, const Period& period, bool extend_over_rest_days) const {
  std::optional<Date> last;
  switch (period.unit) {
    case Period::Unit::kWorkingDays: last = AddWorkingDays(start, period.count); break;
    case Period::Unit::kCalendarDays: last = start.AddDays(period.count); break;
    case Period::Unit::kMonths: last = AddMonthsClamped(start, period.count); break;
    case Period::Unit::kYears: last = AddMonthsClamped(start, period.count * 12); break;
  }
  if (!last || !extend_over_rest_days) return last;
  // 民法典 art 203: a last day that is a rest day moves to the next working day.
  for (;;) {
    const std::optional<bool> working = IsWorkingDay(*last);
    if (!working) return std::nullopt;
    if (*working) return last;
    last = last->AddDays(1);
  }
}

int WorkingCalendar::first_year() const { return known_years_.empty() ? 0 : known_years_.begin()->first; }

int WorkingCalendar::last_year() const { return known_years_.empty() ? 0 : known_years_.rbegin()->first; }

Date AddMonthsClamped(Date start, int months) {
  const int64_t index = int64_t{start.year()} * 12 + (start.month() - 1) + months;
  const int year = static_cast<int>(FloorDiv(index, 12));
  const int month = static_cast<int>(index - int64_t{year} * 12) + 1;
  const int last = Date::DaysInMonth(year, month);
  return Date::FromYmd(year, month, start.day() <= last ? start.day() : last);
}

}  // namespace credflow::policies
