// The policy model and the cross-file checks of a PolicySet (see policy.h).
#include "policies/policy.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

namespace credflow::policies {
namespace {

void ValidateSampling(const Policy& p, const SamplingRule& s, std::vector<PolicyError>* errors);

constexpr char kCatalogueId[] = "commitment";

std::string Where(const std::string& file, int line) { return line > 0 ? file + ":" + std::to_string(line) : file; }

std::string Range(const Policy& p) {
  return p.effective_from.ToString() + ".." + (p.effective_to ? p.effective_to->ToString() : std::string("open"));
}

bool Overlap(const Policy& a, const Policy& b) {
  const bool a_starts_before_b_ends = !b.effective_to || a.effective_from <= *b.effective_to;
  const bool b_starts_before_a_ends = !a.effective_to || b.effective_from <= *a.effective_to;
  return a_starts_before_b_ends && b_starts_before_a_ends;
}

bool IsOneOf(const std::string& value, std::initializer_list<const char*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return value == a; });
}

void CheckCommitmentTypes(const Policy& p, std::vector<PolicyError>* errors) {
  std::set<std::string> seen;
  for (const CommitmentType& t : p.commitment_types) {
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

void CheckVerificationRules(const PolicySet& set, const Policy& p, std::vector<PolicyError>* errors) {
  if (p.verification_rules.empty()) return;
  const Policy* catalogue = set.Select(kCatalogueId, p.effective_from);
  if (catalogue == nullptr) {
    errors->push_back({p.file, p.line,
                       "no '" + std::string(kCatalogueId) + "' catalogue policy in force on " +
                           p.effective_from.ToString() + " for the verification rules of '" + p.id + "' version " +
                           p.version});
  }
  std::set<std::string> seen;
  for (const VerificationRule& r : p.verification_rules) {
    auto error = [&](std::string message) { errors->push_back({p.file, r.line, std::move(message)}); };
    if (!seen.insert(r.commitment_type).second) {
      error("duplicate verification rule for commitment type '" + r.commitment_type + "'");
    }
    if (catalogue != nullptr && catalogue->FindCommitmentType(r.commitment_type) == nullptr) {
      error("unknown commitment type '" + r.commitment_type + "' (not in catalogue '" + catalogue->id + "' version " +
            catalogue->version + " in force on " + p.effective_from.ToString() + ")");
    }
    if (!IsOneOf(r.method, {"data_check", "document_check", "on_site"})) {
      error("verification of '" + r.commitment_type + "' has method '" + r.method +
            "' (expected data_check, document_check or on_site)");
    }
    if (!IsOneOf(r.mode, {"all", "sampled"})) {
      error("verification of '" + r.commitment_type + "' has mode '" + r.mode + "' (expected all or sampled)");
    } else if (r.mode == "sampled" && !p.sampling) {
      error("verification of '" + r.commitment_type + "' is sampled, but the policy has no <sampling>");
    }
  }
  if (p.sampling) ValidateSampling(p, *p.sampling, errors);
}

// Every grade A-D exactly once, ratios within [0, 1], a known cycle.
void ValidateSampling(const Policy& p, const SamplingRule& s, std::vector<PolicyError>* errors) {
  if (!IsOneOf(s.cycle, {"year", "month"})) {
    errors->push_back({p.file, s.line, "sampling cycle '" + s.cycle + "' (expected year or month)"});
  }
  std::set<std::string> grades;
  for (const GradeSampling& g : s.grades) {
    if (!IsOneOf(g.grade, {"A", "B", "C", "D"})) {
      errors->push_back({p.file, g.line, "unknown risk grade '" + g.grade + "' (expected A, B, C or D)"});
    } else if (!grades.insert(g.grade).second) {
      errors->push_back({p.file, g.line, "grade " + g.grade + " is given twice"});
    }
    if (!(g.ratio >= 0.0 && g.ratio <= 1.0)) {
      errors->push_back({p.file, g.line, "sampling ratio of grade " + g.grade + " must lie in [0, 1]"});
    }
  }
  for (const char* grade : {"A", "B", "C", "D"}) {
    if (grades.count(grade) == 0) {
      errors->push_back({p.file, s.line, std::string("sampling gives no ratio for grade ") + grade});
    }
  }
  if (s.Find(s.default_grade) == nullptr) {
    errors->push_back({p.file, s.line, "default grade '" + s.default_grade + "' has no ratio"});
  }
}

// Each grade and each status is listed once.
void CheckSubjectVocabulary(const Policy& p, std::vector<PolicyError>* errors) {
  std::map<std::string, int> grades;
  for (const RiskGradeDefinition& g : p.risk_grades) {
    if (auto [it, fresh] = grades.emplace(g.value, g.line); !fresh) {
      errors->push_back(
          {p.file, g.line, "risk grade '" + g.value + "' is also defined at line " + std::to_string(it->second)});
    }
  }
  std::map<std::string, int> statuses;
  for (const SubjectStatusDefinition& s : p.subject_statuses) {
    if (auto [it, fresh] = statuses.emplace(s.value, s.line); !fresh) {
      errors->push_back(
          {p.file, s.line, "subject status '" + s.value + "' is also defined at line " + std::to_string(it->second)});
    }
  }
}

}  // namespace

const GradeSampling* SamplingRule::Find(const std::string& grade) const {
  for (const GradeSampling& g : grades) {
    if (g.grade == grade) return &g;
  }
  return nullptr;
}

bool Policy::InForceOn(Date d) const { return effective_from <= d && (!effective_to || d <= *effective_to); }

const CommitmentType* Policy::FindCommitmentType(const std::string& type_id) const {
  for (const CommitmentType& t : commitment_types) {
    if (t.id == type_id) return &t;
  }
  return nullptr;
}

const RiskGradeDefinition* Policy::FindRiskGrade(const std::string& value) const {
  for (const RiskGradeDefinition& g : risk_grades) {
    if (g.value == value) return &g;
  }
  return nullptr;
}

const SubjectStatusDefinition* Policy::FindSubjectStatus(const std::string& value) const {
  for (const SubjectStatusDefinition& s : subject_statuses) {
    if (s.value == value) return &s;
  }
  return nullptr;
}

const VerificationRule* Policy::FindVerificationRule(const std::string& commitment_type) const {
  for (const VerificationRule& r : verification_rules) {
    if (r.commitment_type == commitment_type) return &r;
  }
  return nullptr;
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
      } else if (Overlap(a, b)) {
        errors.push_back({b.file, b.line,
                          "policy '" + b.id + "' version " + b.version + " (" + Range(b) + ", " +
                              Where(b.file, b.line) + ") overlaps version " + a.version + " (" + Range(a) + ", " +
                              Where(a.file, a.line) + ")"});
      }
    }
  }
  for (const auto& p : policies_) {
    CheckCommitmentTypes(*p, &errors);
    CheckVerificationRules(*this, *p, &errors);
    CheckSubjectVocabulary(*p, &errors);
  }
  return errors;
}

}  // namespace credflow::policies
