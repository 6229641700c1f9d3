#include "policies/calendar_rules.h"

namespace credflow::policies {

inline constexpr int kMaxProvisionalYearsAhead = 10;

void CalendarRulesSection::Check(const PolicySet&, const Policy& policy, std::vector<PolicyError>* errors) {
  const CalendarRulesSection* s = policy.Find<CalendarRulesSection>();
  if (s == nullptr) return;
  if (s->provisional_years_ahead < 0 || s->provisional_years_ahead > kMaxProvisionalYearsAhead) {
    errors->push_back({policy.file, s->line,
                       "years-ahead is " + std::to_string(s->provisional_years_ahead) + " (expected 0 to " +
                           std::to_string(kMaxProvisionalYearsAhead) + ")"});
  }
}

int ProvisionalThroughYear(const PolicySet& policies, Date today) {
  const Policy* p = policies.Select(kWorkingCalendarPolicyId, today);
  const CalendarRulesSection* s = p == nullptr ? nullptr : p->Find<CalendarRulesSection>();
  if (s == nullptr || s->provisional_years_ahead == 0) return 0;
  return today.year() + s->provisional_years_ahead;
}

}  // namespace credflow::policies
