#include "workflows/commitment/eligibility.h"

namespace credflow::workflows::commitment {

Route CommitmentRoute(const policies::Policy& policy, const engine::SubjectFacts& facts,
                      const policies::CommitmentType* type) {
  const policies::CatalogueSection* catalogue = policy.Find<policies::CatalogueSection>();
  if (catalogue == nullptr) return Route{};
  for (const policies::EligibilityBlock& block : catalogue->eligibility_blocks) {
    if (facts.HasActive(block.record_kind)) return Route{false, block.reason, block.source};
  }
  if (type == nullptr) return Route{};
  const std::string status = facts.profile ? facts.profile->status : std::string();
  for (const policies::ItemExclusion& x : type->exclusions) {
    const bool holds = x.record_kind.empty() ? !status.empty() && status == x.status : facts.HasActive(x.record_kind);
    if (holds) return Route{false, x.reason, x.source};
  }
  return Route{};
}

}  // namespace credflow::workflows::commitment
