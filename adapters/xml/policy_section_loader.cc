// The section loaders of this build (see policy_section_loader.h).
#include "adapters/xml/policy_section_loader.h"

namespace credflow::adapters {

// Each defined in adapters/xml/sections/.
const PolicySectionLoader& CatalogueSectionLoader();
const PolicySectionLoader& VerificationSectionLoader();
const PolicySectionLoader& SubjectVocabularySectionLoader();
const PolicySectionLoader& CalendarRulesSectionLoader();
const PolicySectionLoader& DocumentsSectionLoader();
const PolicySectionLoader& RepairSectionLoader();
const PolicySectionLoader& GradingSectionLoader();
const PolicySectionLoader& LedgerSectionLoader();
const PolicySectionLoader& EnforcementSectionLoader();
const PolicySectionLoader& InspectionSectionLoader();

const std::vector<const PolicySectionLoader*>& PolicySectionLoaders() {
  // One a line (clang-format would pack them), so that a new loader is a one-line change.
  // clang-format off
  static const std::vector<const PolicySectionLoader*> loaders = {
      &CatalogueSectionLoader(),
      &VerificationSectionLoader(),
      &SubjectVocabularySectionLoader(),
      &CalendarRulesSectionLoader(),
      &DocumentsSectionLoader(),
      &RepairSectionLoader(),
      &GradingSectionLoader(),
      &LedgerSectionLoader(),
      &EnforcementSectionLoader(),
      &InspectionSectionLoader(),
  };
  // clang-format on
  return loaders;
}

}  // namespace credflow::adapters
