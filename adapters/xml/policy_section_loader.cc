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

const std::vector<const PolicySectionLoader*>& PolicySectionLoaders() {
  static const std::vector<const PolicySectionLoader*> loaders = {
      &CatalogueSectionLoader(),
      &VerificationSectionLoader(),
      &SubjectVocabularySectionLoader(),
      &CalendarRulesSectionLoader(),
      &DocumentsSectionLoader(),
      &RepairSectionLoader(),
      &GradingSectionLoader(),
      &LedgerSectionLoader(),
  };
  return loaders;
}

}  // namespace credflow::adapters
