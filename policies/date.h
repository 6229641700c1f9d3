// A civil date (proleptic Gregorian), the unit of every deadline and period in
// credflow. Immutable value; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace credflow::policies {

class Date {
 public:
  // 1970-01-01.
  constexpr Date() = default;

  // REQUIRES: a real date (month 1-12, day within the month).
  static Date FromYmd(int year, int month, int day);
  // Parses "YYYY-MM-DD". Returns nullopt for anything else, including
  // impossible dates such as 2023-02-29.
  static std::optional<Date> Parse(std::string_view text);
  static constexpr Date FromDaysSinceEpoch(int64_t days) { return Date(days); }

  int year() const;
  int month() const;
  int day() const;
  // 1 = Monday ... 7 = Sunday (ISO 8601).
  int iso_weekday() const;
  bool IsWeekend() const { return iso_weekday() >= 6; }
  int64_t days_since_epoch() const { return days_; }

  Date AddDays(int64_t n) const { return Date(days_ + n); }
  // "YYYY-MM-DD".
  std::string ToString() const;

  static int DaysInMonth(int year, int month);

  friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend constexpr bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
  friend constexpr bool operator<(Date a, Date b) { return a.days_ < b.days_; }
  friend constexpr bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
  friend constexpr bool operator>(Date a, Date b) { return a.days_ > b.days_; }
  friend constexpr bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }

 private:
  constexpr explicit Date(int64_t days) : days_(days) {}
  int64_t days_ = 0;
};

}  // namespace credflow::policies
