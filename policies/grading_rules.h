// The grading section: how a subject's credit-risk grade (企业信用风险分类,
// 国市监信发〔2022〕6号, classes A-D) is recomputed from its records. Policy
// id "risk-grading". The classes are national; how records map to them is
// local configuration (domain.md 4.1, I), so the whole table is policy:
//
//   <grading lookback-years="3" source="...">
//     <rule grade="D" source="..."> <when input="serious_list" min="1"/> </rule>
//     <rule grade="D" source="..."> <when input="penalties" min="10"/>
//                                   <when input="uncorrected_penalties" min="1"/> </rule>
//     ...
//     <rule grade="keep" source="..."/>      (no condition: always matches)
//   </grading>
//
// Hit policy: first match, in document order. A rule matches when every
// <when> holds (min and max inclusive) and, when it names `current`, the
// subject's grade now is one of those. grade="keep" leaves the grade as it
// is. The inputs (GradingInputs) are counts over the subject's records on
// the day of the recomputation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "policies/policy.h"

namespace credflow::policies {

inline constexpr const char* kGradingPolicyId = "risk-grading";
inline constexpr const char* kKeepGrade = "keep";

// The inputs a rule may test, each a count on the day of recomputation:
//   penalties              penalty records decided within the look-back and not repaired
//                          (shown, never shown, or publication ended)
//   uncorrected_penalties  of those, whose obligations are not yet performed
//   serious_penalties      serious-tier penalty records still shown (any date)
//   abnormal_list          abnormal-list entries still shown
//   serious_list           serious-list entries still shown
//   false_commitments      false-commitment records not yet repaired
//   repair_revoked         repairs revoked for false materials
//   repaired               records repaired within the look-back
//   active_records         every record still shown or in force, of any kind
const std::vector<std::string>& GradingInputNames();

struct GradingInputs {
  std::map<std::string, int> counts;  // by input name; a missing one is 0
  std::string current_grade;          // empty when ungraded

  int Count(const std::string& input) const;
};

struct GradingCondition {
  std::string input;
  std::optional<int> min;
  std::optional<int> max;
};

// Every condition holds for `inputs` (min and max inclusive).
bool ConditionsHold(const std::vector<GradingCondition>& when, const GradingInputs& inputs);

struct GradingRule {
  std::string grade;  // A..D, or "keep"
  std::vector<GradingCondition> when;
  std::vector<std::string> current;  // empty: any current grade
  std::string source;
  int line = 0;

  bool Matches(const GradingInputs& inputs) const;
};

struct GradingSection {
  int lookback_years = 3;
  // <monthly-recompute day source>: `credflow serve` recomputes every grade
  // once a month, on the first day it runs on or after this day of the
  // month (1-28); 0 when the policy sets no schedule (grades by hand only).
  int recompute_day = 0;
  std::string recompute_source;
  int recompute_line = 0;
  std::string source;
  int line = 0;
  std::vector<GradingRule> rules;

  // The first rule that matches; nullptr when none does.
  const GradingRule* Match(const GradingInputs& inputs) const;

  // Unknown inputs; min above max; a grade the risk-classification policy
  // in force on the policy's first day does not list (or "keep"); a look-back
  // under one year; no rule; rules after one that always matches.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

}  // namespace credflow::policies
