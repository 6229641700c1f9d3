#include "engine/clock.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace credflow::engine {

using std::chrono::duration_cast;
using std::chrono::seconds;

policies::Date OfficeDate(Timestamp t) {
  const auto local = duration_cast<seconds>(t.time_since_epoch()) + kOfficeUtcOffset;
  int64_t secs = local.count();
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  return policies::Date::FromDaysSinceEpoch(days);
}

bool IsClockDate(policies::Date date) { return date.year() >= kFirstClockYear && date.year() <= kLastClockYear; }

Timestamp StartOfDay(policies::Date date) {
  const seconds utc = seconds(date.days_since_epoch() * 86400) - kOfficeUtcOffset;
  constexpr seconds kLatest = duration_cast<seconds>(Timestamp::duration::max());
  constexpr seconds kEarliest = duration_cast<seconds>(Timestamp::duration::min());
  if (utc >= kLatest) return Timestamp::max();
  if (utc <= kEarliest) return Timestamp::min();
  return Timestamp(duration_cast<Timestamp::duration>(utc));
}

policies::Date Clock::Today() const { return OfficeDate(Now()); }

void ManualClock::SetDate(policies::Date date) { Set(StartOfDay(date)); }

namespace {

// "YYYY-MM-DDTHH:MM:SS" of the wall clock `offset` ahead of UTC at `t`.
std::string FormatWallClock(Timestamp t, std::chrono::minutes offset) {
  const int64_t secs = duration_cast<seconds>(t.time_since_epoch() + offset).count();
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  const int64_t rem = secs - days * 86400;
  const policies::Date d = policies::Date::FromDaysSinceEpoch(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", d.ToString().c_str(), static_cast<int>(rem / 3600),
                static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60));
  return buf;
}

}  // namespace

std::string FormatTimestamp(Timestamp t) { return FormatWallClock(t, std::chrono::minutes(0)) + "Z"; }

std::string FormatOfficeTimestamp(Timestamp t) {
  const int64_t minutes = kOfficeUtcOffset.count();
  char offset[8];
  std::snprintf(offset, sizeof offset, "%c%02d:%02d", minutes < 0 ? '-' : '+', static_cast<int>(std::abs(minutes) / 60),
                static_cast<int>(std::abs(minutes) % 60));
  return FormatWallClock(t, kOfficeUtcOffset) + offset;
}

bool ParseTimestamp(const std::string& text, Timestamp* out) {
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return false;
  auto d = policies::Date::Parse(text.substr(0, 10));
  if (!d) return false;
  auto two_digits = [&](size_t at, int* v) {
    if (text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9') return false;
    *v = (text[at] - '0') * 10 + (text[at + 1] - '0');
    return true;
  };
  int h = 0, m = 0, s = 0;
  if (!two_digits(11, &h) || !two_digits(14, &m) || !two_digits(17, &s)) return false;
  if (h > 23 || m > 59 || s > 60) return false;
  int offset_minutes = 0;
  const std::string zone = text.substr(19);
  if (zone != "Z") {
    int oh = 0, om = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || !two_digits(20, &oh) ||
        !two_digits(23, &om) || oh > 23 || om > 59) {
      return false;
    }
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
  }
  const int64_t local = d->days_since_epoch() * 86400 + h * 3600 + m * 60 + s;
  const seconds utc(local - int64_t{offset_minutes} * 60);
  // Beyond what a Timestamp holds (1677-2262) is not a time credflow keeps.
  if (utc >= duration_cast<seconds>(Timestamp::duration::max()) ||
      utc <= duration_cast<seconds>(Timestamp::duration::min())) {
    return false;
  }
  *out = Timestamp(duration_cast<Timestamp::duration>(utc));
  return true;
}

}  // namespace credflow::engine
