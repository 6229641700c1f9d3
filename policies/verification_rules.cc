#include "policies/verification_rules.h"

#include <cmath>
#include <set>

#include "policies/catalogue.h"
#include "policies/policy_checks.h"

namespace credflow::policies {
namespace {

// The catalogue whose items verification rules name.
constexpr char kCatalogueId[] = "commitment";

// Every grade A-D exactly once, ratios within [0, 1] in whole millionths (a
// quota is computed from them exactly), a known draw and cycle.
void CheckSampling(const Policy& p, const SamplingRule& s, std::vector<PolicyError>* errors) {
  if (!IsOneOf(s.cycle, {"year", "month"})) {
    errors->push_back({p.file, s.line, "sampling cycle '" + s.cycle + "' (expected year or month)"});
  }
  CheckGradeRatios(p, s.grades, s.default_grade, s.line, errors);
}

}  // namespace

void CheckGradeRatios(const Policy& p, const std::vector<GradeSampling>& table, const std::string& default_grade,
                      int line, std::vector<PolicyError>* errors) {
  std::set<std::string> grades;
  for (const GradeSampling& g : table) {
    if (!IsOneOf(g.grade, {"A", "B", "C", "D"})) {
      errors->push_back({p.file, g.line, "unknown risk grade '" + g.grade + "' (expected A, B, C or D)"});
    } else if (!grades.insert(g.grade).second) {
      errors->push_back({p.file, g.line, "grade " + g.grade + " is given twice"});
    }
    if (!(g.ratio >= 0.0 && g.ratio <= 1.0)) {
      errors->push_back({p.file, g.line, "sampling ratio of grade " + g.grade + " must lie in [0, 1]"});
    } else if (std::abs(g.ratio * 1e6 - std::round(g.ratio * 1e6)) > 1e-6) {
      errors->push_back({p.file, g.line, "sampling ratio of grade " + g.grade + " has more than six decimals"});
    }
    if (!IsOneOf(g.draw, {kDrawIndependent, kDrawQuota})) {
      errors->push_back(
          {p.file, g.line, "draw '" + g.draw + "' of grade " + g.grade + " (expected independent or quota)"});
    }
  }
  for (const char* grade : {"A", "B", "C", "D"}) {
    if (grades.count(grade) == 0) {
      errors->push_back({p.file, line, std::string("sampling gives no ratio for grade ") + grade});
    }
  }
  bool has_default = false;
  for (const GradeSampling& g : table) has_default = has_default || g.grade == default_grade;
  if (!has_default) errors->push_back({p.file, line, "default grade '" + default_grade + "' has no ratio"});
}

const GradeSampling* SamplingRule::Find(const std::string& grade) const {
  for (const GradeSampling& g : grades) {
    if (g.grade == grade) return &g;
  }
  return nullptr;
}

const VerificationRule* VerificationSection::FindRule(const std::string& commitment_type) const {
  for (const VerificationRule& r : rules) {
    if (r.commitment_type == commitment_type) return &r;
  }
  return nullptr;
}

void VerificationSection::Check(const PolicySet& set, const Policy& p, std::vector<PolicyError>* errors) {
  const VerificationSection& section = *p.Find<VerificationSection>();
  if (section.sampling) CheckSampling(p, *section.sampling, errors);
  if (section.rules.empty()) return;
  const Policy* catalogue = set.Select(kCatalogueId, p.effective_from);
  if (catalogue == nullptr) {
    errors->push_back({p.file, p.line,
                       "no '" + std::string(kCatalogueId) + "' catalogue policy in force on " +
                           p.effective_from.ToString() + " for the verification rules of '" + p.id + "' version " +
                           p.version});
  }
  std::set<std::string> seen;
  for (const VerificationRule& r : section.rules) {
    auto error = [&](std::string message) { errors->push_back({p.file, r.line, std::move(message)}); };
    if (!seen.insert(r.commitment_type).second) {
      error("duplicate verification rule for commitment type '" + r.commitment_type + "'");
    }
    if (catalogue != nullptr && FindCommitmentType(*catalogue, r.commitment_type) == nullptr) {
      error("unknown commitment type '" + r.commitment_type + "' (not in catalogue '" + catalogue->id + "' version " +
            catalogue->version + " in force on " + p.effective_from.ToString() + ")");
    }
    if (!IsOneOf(r.method, {"data_check", "document_check", "on_site"})) {
      error("verification of '" + r.commitment_type + "' has method '" + r.method +
            "' (expected data_check, document_check or on_site)");
    }
    if (!IsOneOf(r.mode, {"all", "sampled"})) {
      error("verification of '" + r.commitment_type + "' has mode '" + r.mode + "' (expected all or sampled)");
    } else if (r.mode == "sampled" && !section.sampling) {
      error("verification of '" + r.commitment_type + "' is sampled, but the policy has no <sampling>");
    }
  }
}

const VerificationRule* FindVerificationRule(const Policy& policy, const std::string& commitment_type) {
  const VerificationSection* section = policy.Find<VerificationSection>();
  return section == nullptr ? nullptr : section->FindRule(commitment_type);
}

}  // namespace credflow::policies
