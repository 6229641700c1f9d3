#include "policies/catalogue.h"

#include <set>

#include "policies/policy_checks.h"

namespace credflow::policies {

const CommitmentType* CatalogueSection::FindType(const std::string& id) const {
  for (const CommitmentType& t : types) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

void CatalogueSection::Check(const PolicySet&, const Policy& p, std::vector<PolicyError>* errors) {
  std::set<std::string> seen;
  for (const CommitmentType& t : p.Find<CatalogueSection>()->types) {
    auto error = [&](std::string message) { errors->push_back({p.file, t.line, std::move(message)}); };
    if (!seen.insert(t.id).second) error("duplicate commitment type '" + t.id + "'");
    if (!IsOneOf(t.kind, {"permit", "declaration"})) {
      error("commitment type '" + t.id + "' has kind '" + t.kind + "' (expected permit or declaration)");
    }
    if (!IsOneOf(t.decision, {"on_signing", "after_publication"})) {
      error("commitment type '" + t.id + "' has decision '" + t.decision +
            "' (expected on_signing or after_publication)");
    } else if (t.decision == "after_publication" && !t.publication) {
      error("commitment type '" + t.id + "' decides after_publication but has no publication period");
    } else if (t.decision == "on_signing" && t.publication) {
      error("commitment type '" + t.id + "' decides on_signing but has a publication period");
    }
  }
}

const CommitmentType* FindCommitmentType(const Policy& policy, const std::string& id) {
  const CatalogueSection* catalogue = policy.Find<CatalogueSection>();
  return catalogue == nullptr ? nullptr : catalogue->FindType(id);
}

}  // namespace credflow::policies
