#include "adapters/import/office_dates.h"

#include <algorithm>
#include <cstdio>

#include "policies/date.h"

namespace credflow::adapters::importer {

std::optional<std::string> NormalizedOfficeDate(const std::string& text) {
  std::string t = text;
  for (const char* sep : {"年", "月"}) {
    for (size_t at = t.find(sep); at != std::string::npos; at = t.find(sep, at)) t.replace(at, 3, "-");
  }
  if (const size_t at = t.find("日"); at != std::string::npos && at + 3 == t.size()) t.erase(at);
  std::replace(t.begin(), t.end(), '/', '-');
  std::replace(t.begin(), t.end(), '.', '-');
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
  if (!policies::Date::Parse(buffer)) return std::nullopt;
  return std::string(buffer);
}

}  // namespace credflow::adapters::importer
