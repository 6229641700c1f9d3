#include "policies/enforcement_rules.h"

#include "policies/repair_rules.h"

#include <algorithm>
#include <set>

#include "policies/subject_vocabulary.h"

namespace credflow::policies {
namespace {

bool OneOf(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool Holds(const std::optional<bool>& condition, bool value) { return !condition || *condition == value; }

bool Known(const std::string& value, std::initializer_list<const char*> known) {
  return std::any_of(known.begin(), known.end(), [&](const char* k) { return value == k; });
}

bool Overlap(const Policy& a, const Policy& b) {
  const bool a_before_b_ends = !b.effective_to || a.effective_from <= *b.effective_to;
  const bool b_before_a_ends = !a.effective_to || b.effective_from <= *a.effective_to;
  return a_before_b_ends && b_before_a_ends;
}

}  // namespace

const ViolationItem* ViolationCatalogueSection::Find(const std::string& code) const {
  for (const ViolationItem& v : items) {
    if (v.code == code) return &v;
  }
  return nullptr;
}

void ViolationCatalogueSection::Check(const PolicySet& set, const Policy& p, std::vector<PolicyError>* errors) {
  const ViolationCatalogueSection& s = *p.Find<ViolationCatalogueSection>();
  auto error = [&](int line, std::string message) { errors->push_back({p.file, line, std::move(message)}); };
  std::set<std::string> seen;
  for (const ViolationItem& v : s.items) {
    if (!seen.insert(v.code).second) error(v.line, "violation '" + v.code + "' is listed twice");
    if (!Known(v.list, {kFirstViolationExemptList, kMinorExemptList, kNoList})) {
      error(v.line, "list '" + v.list + "' is not one of first_violation_exempt, minor_exempt, none");
    }
  }
  // A code means one thing on a day: two catalogues in force together may
  // not both list it (a local list adds items; it does not redefine them).
  for (const Policy* other : set.All()) {
    if (other == &p || !Overlap(p, *other)) continue;
    const ViolationCatalogueSection* theirs = other->Find<ViolationCatalogueSection>();
    if (theirs == nullptr) continue;
    for (const ViolationItem& v : s.items) {
      if (theirs->Find(v.code) != nullptr && (other->id < p.id || (other->id == p.id && other->version < p.version))) {
        error(v.line, "violation '" + v.code + "' is also listed by policy " + other->id + " " + other->version + " (" +
                          other->file + "), in force at the same time");
      }
    }
  }
}

bool DiscretionRule::Matches(const DiscretionInputs& in) const {
  return OneOf(lists, in.list) && OneOf(harms, in.harm) && OneOf(grades, in.grade) && Holds(fault, in.fault) &&
         Holds(first_violation, in.first_violation) && Holds(harm_reduced, in.harm_reduced) &&
         Holds(commitment, in.commitment);
}

bool DiscretionRule::AlwaysMatches() const {
  return lists.empty() && harms.empty() && grades.empty() && !fault && !first_violation && !harm_reduced && !commitment;
}

const DiscretionRule* DiscretionSection::Match(const DiscretionInputs& in) const {
  for (const DiscretionRule& r : rules) {
    if (r.Matches(in)) return &r;
  }
  return nullptr;
}

void DiscretionSection::Check(const PolicySet& set, const Policy& p, std::vector<PolicyError>* errors) {
  const DiscretionSection& s = *p.Find<DiscretionSection>();
  auto error = [&](int line, std::string message) { errors->push_back({p.file, line, std::move(message)}); };
  if (s.hit_policy != "first") error(s.line, "hit-policy '" + s.hit_policy + "' is not supported (first)");
  if (s.lookback.period.unit == Period::Unit::kWorkingDays) {
    error(s.line, "the first-violation look-back is counted in calendar days, months or years");
  }
  if (RepairPolicyIdFor(s.penalty_record.platform) == nullptr) {
    error(s.penalty_record.line,
          "<penalty-record> platform '" + s.penalty_record.platform + "' is not gsxt or credit_china");
  }
  if (s.rules.empty()) error(s.line, "<discretion-table> needs at least one <rule>");
  const Policy* vocabulary = set.Select("risk-classification", p.effective_from);
  std::set<std::string> ids;
  bool always_matched = false;
  for (const DiscretionRule& r : s.rules) {
    if (!ids.insert(r.id).second) error(r.line, "rule id '" + r.id + "' is used twice");
    if (always_matched) error(r.line, "rule '" + r.id + "' is never reached: an earlier rule always matches");
    if (!Known(r.outcome, {kNoPenalty, kMitigated, kOrdinaryPenalty})) {
      error(r.line, "outcome '" + r.outcome + "' is not one of no_penalty, mitigated, ordinary_penalty");
    }
    if (r.after_rectification && r.outcome == kOrdinaryPenalty) {
      error(r.line, "rule '" + r.id + "' waits for rectification only to penalise as usual");
    }
    if (r.outcome == kOrdinaryPenalty && r.reason.empty()) {
      error(r.line, "rule '" + r.id + "' refuses leniency: it needs a reason code");
    }
    for (const std::string& l : r.lists) {
      if (!Known(l, {kFirstViolationExemptList, kMinorExemptList, kNoList})) error(r.line, "unknown list '" + l + "'");
    }
    for (const std::string& h : r.harms) {
      if (!Known(h, {"none", "slight", "serious"})) error(r.line, "unknown harm '" + h + "'");
    }
    for (const std::string& g : r.grades) {
      if (vocabulary == nullptr || FindRiskGrade(*vocabulary, g) == nullptr) {
        error(r.line, "grade '" + g + "' is not a risk grade of the risk-classification policy");
      }
    }
    if (r.AlwaysMatches()) always_matched = true;
  }
  if (!s.rules.empty() && !always_matched) {
    error(s.line, "the last rule must state no condition, so that every report is decided");
  }
}

const ViolationItem* FindViolation(const PolicySet& set, const Policy& pinned, const std::string& code, Date date,
                                   const Policy** found_in) {
  auto found = [&](const Policy& p) -> const ViolationItem* {
    const ViolationCatalogueSection* catalogue = p.Find<ViolationCatalogueSection>();
    const ViolationItem* item = catalogue != nullptr ? catalogue->Find(code) : nullptr;
    if (item != nullptr && found_in != nullptr) *found_in = &p;
    return item;
  };
  if (const ViolationItem* item = found(pinned)) return item;
  for (const Policy* p : set.All()) {
    if (p->id == pinned.id || !p->InForceOn(date)) continue;
    if (const ViolationItem* item = found(*p)) return item;
  }
  return nullptr;
}

Date LookbackStart(const SourcedPeriod& lookback, Date today) {
  switch (lookback.period.unit) {
    case Period::Unit::kYears: return AddMonthsClamped(today, -12 * lookback.period.count);
    case Period::Unit::kMonths: return AddMonthsClamped(today, -lookback.period.count);
    case Period::Unit::kCalendarDays:
    case Period::Unit::kWorkingDays:  // refused by Check
      break;
  }
  return today.AddDays(-lookback.period.count);
}

}  // namespace credflow::policies
