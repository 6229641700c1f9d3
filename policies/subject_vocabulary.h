// The subject vocabulary section: the risk grades (企业信用风险分类,
// 国市监信发〔2022〕6号) and the statuses a market entity can have. Policy id
// "risk-classification".
#pragma once

#include <string>
#include <vector>

#include "policies/policy.h"

namespace credflow::policies {

// A class of the enterprise credit-risk classification: A low, B general,
// C fairly high, D high.
struct RiskGradeDefinition {
  std::string value;  // A
  std::string name;   // 信用风险低
  std::string source;
  int line = 0;
};

// A status a market entity can have (operating, unreachable, bankrupt, ...).
struct SubjectStatusDefinition {
  std::string value;  // operating
  std::string name;   // 正常经营
  std::string source;
  int line = 0;
};

struct SubjectVocabularySection {
  std::vector<RiskGradeDefinition> risk_grades;
  std::vector<SubjectStatusDefinition> subject_statuses;

  // Each grade and each status is listed once.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// nullptr when the policy does not list the value.
const RiskGradeDefinition* FindRiskGrade(const Policy& policy, const std::string& value);
const SubjectStatusDefinition* FindSubjectStatus(const Policy& policy, const std::string& value);

}  // namespace credflow::policies
