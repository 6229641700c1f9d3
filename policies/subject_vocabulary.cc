#include "policies/subject_vocabulary.h"

#include <map>

namespace credflow::policies {

void SubjectVocabularySection::Check(const PolicySet&, const Policy& p, std::vector<PolicyError>* errors) {
  const SubjectVocabularySection& section = *p.Find<SubjectVocabularySection>();
  std::map<std::string, int> grades;
  for (const RiskGradeDefinition& g : section.risk_grades) {
    if (auto [it, fresh] = grades.emplace(g.value, g.line); !fresh) {
      errors->push_back(
          {p.file, g.line, "risk grade '" + g.value + "' is also defined at line " + std::to_string(it->second)});
    }
  }
  std::map<std::string, int> statuses;
  for (const SubjectStatusDefinition& s : section.subject_statuses) {
    if (auto [it, fresh] = statuses.emplace(s.value, s.line); !fresh) {
      errors->push_back(
          {p.file, s.line, "subject status '" + s.value + "' is also defined at line " + std::to_string(it->second)});
    }
  }
}

const RiskGradeDefinition* FindRiskGrade(const Policy& policy, const std::string& value) {
  const SubjectVocabularySection* section = policy.Find<SubjectVocabularySection>();
  if (section == nullptr) return nullptr;
  for (const RiskGradeDefinition& g : section->risk_grades) {
    if (g.value == value) return &g;
  }
  return nullptr;
}

const SubjectStatusDefinition* FindSubjectStatus(const Policy& policy, const std::string& value) {
  const SubjectVocabularySection* section = policy.Find<SubjectVocabularySection>();
  if (section == nullptr) return nullptr;
  for (const SubjectStatusDefinition& s : section->subject_statuses) {
    if (s.value == value) return &s;
  }
  return nullptr;
}

}  // namespace credflow::policies
