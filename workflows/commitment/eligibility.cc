#include "workflows/commitment/eligibility.h"

#include <algorithm>

#include "workflows/common/action_helpers.h"

namespace credflow::workflows::commitment {
namespace {

bool Blocks(const policies::EligibilityBlock& block, const engine::SubjectFacts& facts) {
  if (block.tier.empty()) return facts.HasActive(block.record_kind);
  return std::any_of(facts.records.begin(), facts.records.end(), [&](const engine::SubjectRecord& r) {
    return r.kind == block.record_kind && r.status == "active" && Text(r.data, "tier") == block.tier;
  });
}

}  // namespace

// The item's own exclusions come first: they name the rule that closes
// this item (a serious-list entry bars simplified deregistration as
// in_serious_list), the catalogue-wide blocks every item.
Route CommitmentRoute(const policies::Policy& policy, const engine::SubjectFacts& facts,
                      const policies::CommitmentType* type) {
  const policies::CatalogueSection* catalogue = policy.Find<policies::CatalogueSection>();
  if (catalogue == nullptr) return Route{};
  if (type != nullptr) {
    const std::string status = facts.profile ? facts.profile->status : std::string();
    for (const policies::ItemExclusion& x : type->exclusions) {
      const bool holds = x.record_kind.empty() ? !status.empty() && status == x.status : facts.HasActive(x.record_kind);
      if (holds) return Route{false, x.reason, x.source};
    }
  }
  for (const policies::EligibilityBlock& block : catalogue->eligibility_blocks) {
    if (Blocks(block, facts)) return Route{false, block.reason, block.source};
  }
  return Route{};
}

}  // namespace credflow::workflows::commitment
