#include "policies/grading_rules.h"

#include <algorithm>

#include "policies/subject_vocabulary.h"

namespace credflow::policies {

const std::vector<std::string>& GradingInputNames() {
  static const std::vector<std::string> names = {
      "penalties",         "uncorrected_penalties", "serious_penalties", "abnormal_list", "serious_list",
      "false_commitments", "repair_revoked",        "repaired",          "active_records"};
  return names;
}

int GradingInputs::Count(const std::string& input) const {
  auto it = counts.find(input);
  return it == counts.end() ? 0 : it->second;
}

bool ConditionsHold(const std::vector<GradingCondition>& when, const GradingInputs& inputs) {
  for (const GradingCondition& c : when) {
    const int n = inputs.Count(c.input);
    if (c.min && n < *c.min) return false;
    if (c.max && n > *c.max) return false;
  }
  return true;
}

bool GradingRule::Matches(const GradingInputs& inputs) const {
  if (!ConditionsHold(when, inputs)) return false;
  return current.empty() || std::find(current.begin(), current.end(), inputs.current_grade) != current.end();
}

const GradingRule* GradingSection::Match(const GradingInputs& inputs) const {
  for (const GradingRule& r : rules) {
    if (r.Matches(inputs)) return &r;
  }
  return nullptr;
}

void GradingSection::Check(const PolicySet& set, const Policy& p, std::vector<PolicyError>* errors) {
  const GradingSection& s = *p.Find<GradingSection>();
  auto error = [&](int line, std::string message) { errors->push_back({p.file, line, std::move(message)}); };
  if (s.lookback_years < 1) error(s.line, "lookback-years must be at least 1");
  if (s.rules.empty()) error(s.line, "<grading> needs at least one <rule>");
  if (s.recompute_line != 0 && (s.recompute_day < 1 || s.recompute_day > 28)) {
    error(s.recompute_line, "<monthly-recompute> day must be 1 to 28 (a day every month has)");
  }
  const Policy* vocabulary = set.Select("risk-classification", p.effective_from);
  bool always_matched = false;
  for (const GradingRule& r : s.rules) {
    if (always_matched) error(r.line, "this rule is never reached: an earlier rule always matches");
    if (r.grade != kKeepGrade && (vocabulary == nullptr || FindRiskGrade(*vocabulary, r.grade) == nullptr)) {
      error(r.line, "grade '" + r.grade + "' is not a risk grade of the risk-classification policy (nor keep)");
    }
    for (const std::string& g : r.current) {
      if (vocabulary == nullptr || FindRiskGrade(*vocabulary, g) == nullptr) {
        error(r.line, "current grade '" + g + "' is not a risk grade");
      }
    }
    for (const GradingCondition& c : r.when) {
      const auto& names = GradingInputNames();
      if (std::find(names.begin(), names.end(), c.input) == names.end()) {
        error(r.line, "unknown input '" + c.input + "'");
      }
      if (!c.min && !c.max) error(r.line, "<when input=\"" + c.input + "\"> needs min or max");
      if (c.min && c.max && *c.min > *c.max) error(r.line, "<when input=\"" + c.input + "\">: min above max");
    }
    if (r.when.empty() && r.current.empty()) always_matched = true;
  }
}

}  // namespace credflow::policies
