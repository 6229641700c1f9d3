// The policy model and the cross-file checks of a PolicySet (see policy.h).
#include "policies/policy.h"

#include <algorithm>
#include <map>
#include <utility>

namespace credflow::policies {
namespace {

std::string Where(const std::string& file, int line) { return line > 0 ? file + ":" + std::to_string(line) : file; }

std::string Range(const Policy& p) {
  return p.effective_from.ToString() + ".." + (p.effective_to ? p.effective_to->ToString() : std::string("open"));
}

bool PolicyPeriodsOverlap(const Policy& a, const Policy& b) {
  const bool a_starts_before_b_ends = !b.effective_to || a.effective_from <= *b.effective_to;
  const bool b_starts_before_a_ends = !a.effective_to || b.effective_from <= *a.effective_to;
  return a_starts_before_b_ends && b_starts_before_a_ends;
}

}  // namespace

bool Policy::InForceOn(Date d) const { return effective_from <= d && (!effective_to || d <= *effective_to); }

void Policy::CheckSections(const PolicySet& set, std::vector<PolicyError>* errors) const {
  for (const auto& [type, entry] : sections_) entry.check(set, *this, errors);
}

std::string PolicyError::ToString() const { return Where(file, line) + ": " + message; }

void PolicySet::Add(Policy policy) { policies_.push_back(std::make_unique<Policy>(std::move(policy))); }

const Policy* PolicySet::Select(const std::string& id, Date date) const {
  // With valid data at most one version is in force; should Validate() have
  // found an overlap, the latest effective_from wins (first added on a tie).
  const Policy* best = nullptr;
  for (const auto& p : policies_) {
    if (p->id != id || !p->InForceOn(date)) continue;
    if (best == nullptr || best->effective_from < p->effective_from) best = p.get();
  }
  return best;
}

const Policy* PolicySet::Find(const std::string& id, const std::string& version) const {
  for (const auto& p : policies_) {
    if (p->id == id && p->version == version) return p.get();
  }
  return nullptr;
}

std::vector<const Policy*> PolicySet::All() const {
  std::vector<const Policy*> all;
  all.reserve(policies_.size());
  for (const auto& p : policies_) all.push_back(p.get());
  return all;
}

std::vector<PolicyError> PolicySet::Validate() const {
  std::vector<PolicyError> errors;
  for (size_t i = 0; i < policies_.size(); ++i) {
    const Policy& b = *policies_[i];
    if (b.effective_to && *b.effective_to < b.effective_from) {
      errors.push_back({b.file, b.line,
                        "policy '" + b.id + "' version " + b.version + " ends (" + b.effective_to->ToString() +
                            ") before it starts (" + b.effective_from.ToString() + ")"});
    }
    for (size_t j = 0; j < i; ++j) {
      const Policy& a = *policies_[j];
      if (a.id != b.id) continue;
      if (a.version == b.version) {
        errors.push_back({b.file, b.line,
                          "duplicate version " + b.version + " of policy '" + b.id + "' (also defined at " +
                              Where(a.file, a.line) + ")"});
      } else if (PolicyPeriodsOverlap(a, b)) {
        errors.push_back({b.file, b.line,
                          "policy '" + b.id + "' version " + b.version + " (" + Range(b) + ", " +
                              Where(b.file, b.line) + ") overlaps version " + a.version + " (" + Range(a) + ", " +
                              Where(a.file, a.line) + ")"});
      }
    }
  }
  for (const auto& p : policies_) p->CheckSections(*this, &errors);
  return errors;
}

}  // namespace credflow::policies
