#include "workflows/commitment/eligibility.h"
#include "policies/catalogue.h"

namespace credflow::workflows::commitment {

Route CommitmentRoute(const policies::Policy& policy, const engine::SubjectFacts& facts) {
  const policies::CatalogueSection* catalogue = policy.Find<policies::CatalogueSection>();
  if (catalogue == nullptr) return Route{};
  for (const policies::EligibilityBlock& block : catalogue->eligibility_blocks) {
    if (facts.HasActive(block.record_kind)) return Route{false, block.reason, block.source};
  }
  return Route{};
}

}  // namespace credflow::workflows::commitment
