// The calendar loader: the input is one calendar file (State Council notices
// or the statutory-holiday rules with their lunar table), loaded as
// `credflow` loads policies/calendars. Property: it never crashes and never
// throws; a calendar that loads without errors answers working-day questions
// about its own years without crashing.
#include <string>

#include "adapters/xml/policy_loader.h"
#include "policies/date.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credflow::fuzz;
  const std::string file = WriteScratchFile("calendar.xml", AsText(data, size));
  const credflow::adapters::CalendarLoadResult result = credflow::adapters::LoadCalendar(file);
  for (const auto& e : result.errors) {
    CREDFLOW_FUZZ_CHECK(!e.message.empty(), "an error without a message");
  }
  if (result.errors.empty()) {
    // Across a year end and around the October holidays, in known years or not.
    for (const char* day : {"2024-12-20", "2025-09-25", "2026-02-10"}) {
      const credflow::policies::Date start = *credflow::policies::Date::Parse(day);
      (void)result.calendar.IsWorkingDay(start);
      (void)result.calendar.HolidayName(start);
      (void)result.calendar.AddWorkingDays(start, 15);
    }
  }
  return 0;
}
