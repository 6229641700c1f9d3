#include "engine/clock.h"

#include <cstdio>
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

Timestamp StartOfDay(policies::Date date) {
  const seconds local(date.days_since_epoch() * 86400);
  return Timestamp(duration_cast<Timestamp::duration>(local - kOfficeUtcOffset));
}

policies::Date Clock::Today() const { return OfficeDate(Now()); }

void ManualClock::SetDate(policies::Date date) { Set(StartOfDay(date)); }

std::string FormatTimestamp(Timestamp t) {
  const int64_t secs = duration_cast<seconds>(t.time_since_epoch()).count();
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  const int64_t rem = secs - days * 86400;
  const policies::Date d = policies::Date::FromDaysSinceEpoch(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", d.ToString().c_str(), static_cast<int>(rem / 3600),
                static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60));
  return buf;
}

bool ParseTimestamp(const std::string& text, Timestamp* out) {
  if (text.size() != 20 || text[10] != 'T' || text[19] != 'Z' || text[13] != ':' || text[16] != ':') {
    return false;
  }
  auto d = policies::Date::Parse(text.substr(0, 10));
  if (!d) return false;
  int h = 0, m = 0, s = 0;
  if (std::sscanf(text.c_str() + 11, "%2d:%2d:%2d", &h, &m, &s) != 3) return false;
  if (h > 23 || m > 59 || s > 60) return false;
  *out = Timestamp(duration_cast<Timestamp::duration>(seconds(d->days_since_epoch() * 86400 + h * 3600 + m * 60 + s)));
  return true;
}

}  // namespace credflow::engine
