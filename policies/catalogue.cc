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
    if (t.application_window && t.decision != "after_publication") {
      error("commitment type '" + t.id + "' has an application window but is not decided after_publication");
    } else if (!t.application_window && t.decision == "after_publication") {
      error("commitment type '" + t.id + "' decides after_publication but has no application window");
    }
    for (const ItemExclusion& x : t.exclusions) {
      if (x.record_kind.empty() == x.status.empty()) {
        errors->push_back({p.file, x.line,
                           "an exclusion of commitment type '" + t.id + "' must name a record or a status, not both"});
      }
    }
  }
  const CatalogueSection& catalogue = *p.Find<CatalogueSection>();
  std::set<std::string> refused;
  for (const FilingRefusal& r : catalogue.filing.refusals) {
    if (!refused.insert(r.status).second) {
      errors->push_back({p.file, r.line, "status '" + r.status + "' is refused twice"});
    }
  }
}

const CommitmentType* FindCommitmentType(const Policy& policy, const std::string& id) {
  const CatalogueSection* catalogue = policy.Find<CatalogueSection>();
  return catalogue == nullptr ? nullptr : catalogue->FindType(id);
}

const FilingRefusal* FilingRefusalFor(const CatalogueSection& catalogue, const CommitmentType& type,
                                      const std::string& status) {
  if (status.empty()) return nullptr;
  for (const ItemExclusion& x : type.exclusions) {
    if (x.status == status) return nullptr;
  }
  for (const FilingRefusal& r : catalogue.filing.refusals) {
    if (r.status == status) return &r;
  }
  return nullptr;
}

}  // namespace credflow::policies
