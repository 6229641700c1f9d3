// The working-calendar section: how far ahead credflow may count deadlines
// on a provisional calendar year (see policies/calendar.h). Policy id
// "working-calendar".
#pragma once

#include <string>
#include <vector>

#include "policies/calendar.h"
#include "policies/date.h"
#include "policies/policy.h"

namespace credflow::policies {

inline constexpr const char* kWorkingCalendarPolicyId = "working-calendar";

struct CalendarRulesSection {
  // Provisional years may be used up to (today's year + years_ahead); 0
  // allows none, so that a deadline reaching an unpublished year is refused.
  int provisional_years_ahead = 0;
  std::string source;
  int line = 0;

  // At most one <provisional-calendar> per policy; years-ahead from 0 to 10.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// The last year a computation on `today` may take provisionally under the
// working-calendar policy in force then; 0 (none) when no such policy is.
int ProvisionalThroughYear(const PolicySet& policies, Date today);

}  // namespace credflow::policies
