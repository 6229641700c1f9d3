#include "workflows/commitment/eligibility.h"

namespace credflow::workflows::commitment {

Route CommitmentRoute(const policies::Policy& policy, const engine::SubjectFacts& facts) {
  for (const policies::EligibilityBlock& block : policy.eligibility_blocks) {
    if (facts.HasActive(block.record_kind)) return Route{false, block.reason, block.source};
  }
  return Route{};
}

}  // namespace credflow::workflows::commitment
