// Clock: the only way the engine and the workflows learn what time it is.
// Production wires SystemClock; tests and the scenario runner wire
// ManualClock. Nothing else reads the system time.
//
// Thread safety: both implementations are safe to call from many threads.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "policies/date.h"

namespace credflow::engine {

using Timestamp = std::chrono::system_clock::time_point;

// The office's offset from UTC: Beijing time (Asia/Shanghai). China keeps
// one zone, UTC+8, and has had no daylight saving time since 1991 (the last
// summer time ran 1986-1991), so a fixed +08:00 is exact for every date
// credflow handles (its calendars begin in 2019); no time-zone database is
// needed. This is the only place the offset is written: OfficeDate,
// StartOfDay and FormatOfficeTimestamp all read it.
inline constexpr std::chrono::minutes kOfficeUtcOffset{8 * 60};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  // The office's calendar date at Now().
  policies::Date Today() const;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stands still until told to move.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp{}) : now_(start.time_since_epoch().count()) {}
  Timestamp Now() const override { return Timestamp(Timestamp::duration(now_.load(std::memory_order_acquire))); }
  void Set(Timestamp t) { now_.store(t.time_since_epoch().count(), std::memory_order_release); }
  // Sets the clock to the start (00:00 office time) of `date`.
  void SetDate(policies::Date date);
  void Advance(std::chrono::seconds d) { Set(Now() + d); }

 private:
  std::atomic<Timestamp::duration::rep> now_;
};

// The dates a clock may be set to (--clock-date, a scenario's `on`): a
// Timestamp counts nanoseconds in 64 bits, which ends in April 2262; every
// deadline counted from a clock date stays well inside.
inline constexpr int kFirstClockYear = 1970;
inline constexpr int kLastClockYear = 2199;
bool IsClockDate(policies::Date date);

// 00:00 office time on `date`, as a Timestamp; beyond what a Timestamp holds
// (before 1677, after 2262: a date typed wrong, or far off), its largest or
// smallest value, so a deadline there never fires instead of wrapping.
Timestamp StartOfDay(policies::Date date);
// The office date of `t`.
policies::Date OfficeDate(Timestamp t);
// "2025-03-03T01:02:03Z" (UTC, second precision). Sorts as text. The stored
// form: the store's columns and the history's hashed bytes use it, so it
// never changes.
std::string FormatTimestamp(Timestamp t);
// "2025-03-03T09:02:03+08:00": the same instant in Beijing time, as the CLI
// and the API show it to people.
std::string FormatOfficeTimestamp(Timestamp t);
// Parses "YYYY-MM-DDTHH:MM:SS" followed by "Z" or an offset "+HH:MM" /
// "-HH:MM" (so both FormatTimestamp's and FormatOfficeTimestamp's forms).
// Returns false on anything else.
bool ParseTimestamp(const std::string& text, Timestamp* out);

}  // namespace credflow::engine
