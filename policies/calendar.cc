// WorkingCalendar and the Civil Code period arithmetic (see calendar.h).
#include "policies/calendar.h"

#include <algorithm>
#include <cassert>
#include <iterator>
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

void WorkingCalendar::AddKnownYear(int year, std::string source) {
  YearEntry& entry = years_[year];
  if (entry.kind == CalendarYear::Kind::kProvisional) {
    // The notice replaces the statute's days.
    for (auto it = provisional_holidays_.begin(); it != provisional_holidays_.end();) {
      it = it->first.year() == year ? provisional_holidays_.erase(it) : std::next(it);
    }
    blocks_.erase(year);
  }
  entry = YearEntry{CalendarYear::Kind::kOfficial, std::move(source)};
}

void WorkingCalendar::AddHoliday(Date from, Date to, std::string name, int section_year) {
  for (Date d = from; d <= to; d = d.AddDays(1)) holidays_[d] = name;
  blocks_[section_year != 0 ? section_year : from.year()].push_back(HolidayBlock{std::move(name), from, to});
}

void WorkingCalendar::AddMakeUpWorkday(Date date, std::string reason, int section_year) {
  make_up_workdays_[date] = reason;
  make_up_blocks_[section_year != 0 ? section_year : date.year()].emplace_back(date, std::move(reason));
}

void WorkingCalendar::AddProvisionalYear(int year, std::string source, const std::vector<HolidayBlock>& holidays) {
  if (auto it = years_.find(year); it != years_.end() && it->second.kind == CalendarYear::Kind::kOfficial) return;
  years_[year] = YearEntry{CalendarYear::Kind::kProvisional, std::move(source)};
  blocks_[year] = holidays;
  for (const HolidayBlock& b : holidays) {
    for (Date d = b.from; d <= b.to; d = d.AddDays(1)) provisional_holidays_[d] = b.name;
  }
}

void WorkingCalendar::SetIdentity(std::string version, std::string content_hash) {
  version_ = std::move(version);
  content_hash_ = std::move(content_hash);
}

bool WorkingCalendar::Knows(Date date) const {
  auto it = years_.find(date.year());
  return it != years_.end() && it->second.kind == CalendarYear::Kind::kOfficial;
}

bool WorkingCalendar::IsProvisional(int year) const {
  auto it = years_.find(year);
  return it != years_.end() && it->second.kind == CalendarYear::Kind::kProvisional;
}

std::optional<bool> WorkingCalendar::IsWorkingDay(Date date) const {
  const std::optional<DayKind> kind = Classify(date, 0);
  if (!kind) return std::nullopt;
  return kind->working;
}

std::optional<WorkingCalendar::DayKind> WorkingCalendar::Classify(Date date, int provisional_through_year) const {
  auto year = years_.find(date.year());
  if (year == years_.end()) return std::nullopt;
  if (year->second.kind == CalendarYear::Kind::kOfficial) {
    return DayKind{make_up_workdays_.count(date) > 0 || (holidays_.count(date) == 0 && !date.IsWeekend()), false};
  }
  if (date.year() > provisional_through_year) return std::nullopt;
  return DayKind{provisional_holidays_.count(date) == 0 && !date.IsWeekend(), true};
}

std::string WorkingCalendar::HolidayName(Date date) const {
  auto it = holidays_.find(date);
  if (it != holidays_.end()) return it->second;
  if (!IsProvisional(date.year())) return std::string();
  it = provisional_holidays_.find(date);
  return it == provisional_holidays_.end() ? std::string() : it->second;
}

std::optional<Date> WorkingCalendar::AddWorkingDays(Date start, int n) const {
  const std::optional<CalendarDay> day = AddWorkingDays(start, n, 0);
  if (!day) return std::nullopt;
  return day->date;
}

std::optional<CalendarDay> WorkingCalendar::AddWorkingDays(Date start, int n, int provisional_through_year) const {
  assert(n >= 0);
  if (n < 0) return std::nullopt;
  CalendarDay result{start, false};
  for (int counted = 0; counted < n;) {
    result.date = result.date.AddDays(1);
    const std::optional<DayKind> kind = Classify(result.date, provisional_through_year);
    if (!kind) return std::nullopt;
    result.provisional = result.provisional || kind->provisional;
    if (kind->working) ++counted;
  }
  return result;
}

std::optional<Date> WorkingCalendar::LastDay(Date start, const Period& period, bool extend_over_rest_days) const {
  const std::optional<CalendarDay> day = LastDay(start, period, extend_over_rest_days, 0);
  if (!day) return std::nullopt;
  return day->date;
}

std::optional<CalendarDay> WorkingCalendar::LastDay(Date start, const Period& period, bool extend_over_rest_days,
                                                    int provisional_through_year) const {
  std::optional<CalendarDay> last;
  switch (period.unit) {
    case Period::Unit::kWorkingDays: last = AddWorkingDays(start, period.count, provisional_through_year); break;
    case Period::Unit::kCalendarDays: last = CalendarDay{start.AddDays(period.count)}; break;
    case Period::Unit::kMonths: last = CalendarDay{AddMonthsClamped(start, period.count)}; break;
    case Period::Unit::kYears: last = CalendarDay{AddMonthsClamped(start, period.count * 12)}; break;
  }
  if (!last || !extend_over_rest_days) return last;
  // 民法典 art 203: a last day that is a rest day moves to the next working day.
  for (;;) {
    const std::optional<DayKind> kind = Classify(last->date, provisional_through_year);
    if (!kind) return std::nullopt;
    last->provisional = last->provisional || kind->provisional;
    if (kind->working) return last;
    last->date = last->date.AddDays(1);
  }
}

int WorkingCalendar::first_year() const {
  for (const auto& [year, entry] : years_) {
    if (entry.kind == CalendarYear::Kind::kOfficial) return year;
  }
  return 0;
}

int WorkingCalendar::last_year() const {
  for (auto it = years_.rbegin(); it != years_.rend(); ++it) {
    if (it->second.kind == CalendarYear::Kind::kOfficial) return it->first;
  }
  return 0;
}

std::vector<int> WorkingCalendar::provisional_years() const {
  std::vector<int> out;
  for (const auto& [year, entry] : years_) {
    if (entry.kind == CalendarYear::Kind::kProvisional) out.push_back(year);
  }
  return out;
}

std::optional<CalendarYear> WorkingCalendar::Year(int year) const {
  auto it = years_.find(year);
  if (it == years_.end()) return std::nullopt;
  CalendarYear out;
  out.year = year;
  out.kind = it->second.kind;
  out.source = it->second.source;
  if (auto b = blocks_.find(year); b != blocks_.end()) out.holidays = b->second;
  std::sort(out.holidays.begin(), out.holidays.end(),
            [](const HolidayBlock& a, const HolidayBlock& b) { return a.from < b.from; });
  if (out.kind == CalendarYear::Kind::kOfficial) {
    if (auto m = make_up_blocks_.find(year); m != make_up_blocks_.end()) out.make_up_days = m->second;
    std::sort(out.make_up_days.begin(), out.make_up_days.end());
  }
  return out;
}

Date AddMonthsClamped(Date start, int months) {
  const int64_t index = int64_t{start.year()} * 12 + (start.month() - 1) + months;
  const int year = static_cast<int>(FloorDiv(index, 12));
  const int month = static_cast<int>(index - int64_t{year} * 12) + 1;
  const int last = Date::DaysInMonth(year, month);
  return Date::FromYmd(year, month, start.day() <= last ? start.day() : last);
}

}  // namespace credflow::policies
