#include "policies/inspection_rules.h"

#include <algorithm>
#include <set>

#include "policies/policy_checks.h"
#include "policies/subject_vocabulary.h"

namespace credflow::policies {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool Listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::optional<InspectionCycle> ParseInspectionCycle(const std::string& id) {
  if (id.size() != 4 && id.size() != kMaxCycleIdLength) return std::nullopt;
  const std::string year_text = id.substr(0, 4);
  if (!AllDigits(year_text)) return std::nullopt;
  const int year = std::stoi(year_text);
  if (year < kFirstCycleYear || year > kLastCycleYear) return std::nullopt;
  InspectionCycle c;
  c.id = id;
  if (id.size() == 4) {
    c.unit = kCycleYear;
    c.first = Date::FromYmd(year, 1, 1);
    c.last = Date::FromYmd(year, 12, 31);
    return c;
  }
  if (id[4] != '-' || id[5] != 'Q' || id[6] < '1' || id[6] > '4') return std::nullopt;
  const int quarter = id[6] - '0';
  const int first_month = 3 * (quarter - 1) + 1;
  const int last_month = first_month + 2;
  c.unit = kCycleQuarter;
  c.first = Date::FromYmd(year, first_month, 1);
  c.last = Date::FromYmd(year, last_month, Date::DaysInMonth(year, last_month));
  return c;
}

InspectionCycle InspectionCycleOf(const std::string& unit, Date day) {
  std::string id = std::to_string(day.year());
  if (unit == kCycleQuarter) id += "-Q" + std::to_string((day.month() - 1) / 3 + 1);
  return *ParseInspectionCycle(id);
}

bool IsDepartmentId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

const GradeSampling* InspectionSection::Find(const std::string& grade) const {
  for (const GradeSampling& g : grades) {
    if (g.grade == grade) return &g;
  }
  return nullptr;
}

const JointInspection* InspectionSection::FindJoint(const std::string& id) const {
  for (const JointInspection& j : joint) {
    if (j.id == id) return &j;
  }
  return nullptr;
}

const JointInspection* InspectionSection::JointFor(const std::string& grade) const {
  for (const JointInspection& j : joint) {
    if (Listed(j.grades, grade)) return &j;
  }
  return nullptr;
}

void InspectionSection::Check(const PolicySet& set, const Policy& p, std::vector<PolicyError>* errors) {
  const InspectionSection& s = *p.Find<InspectionSection>();
  auto error = [&](int line, std::string message) { errors->push_back({p.file, line, std::move(message)}); };
  if (s.line < 0) return;  // unreadable, reported by the loader
  if (s.line == 0) {
    // Only <joint-inspection> elements: the plan they belong to is missing.
    error(p.line, "policy '" + p.id + "' has <joint-inspection> but no <inspection-plan>");
    return;
  }
  if (!IsOneOf(s.cycle, {kCycleYear, kCycleQuarter})) {
    error(s.line, "inspection cycle '" + s.cycle + "' (expected year or quarter)");
  }
  CheckGradeRatios(p, s.grades, s.default_grade, s.line, errors);
  if (!IsDepartmentId(s.department)) {
    error(s.line, "department '" + s.department + "' is not a department id (a-z, 0-9, '-', '_'; 1-64)");
  }
  const Policy* vocabulary = set.Select("risk-classification", p.effective_from);
  for (const std::string& status : s.screened_statuses) {
    if (vocabulary == nullptr || FindSubjectStatus(*vocabulary, status) == nullptr) {
      error(s.line, "status '" + status + "' is not a subject status of the risk-classification policy");
    }
  }
  std::set<std::string> ids;
  std::set<std::string> joint_grades;
  for (const JointInspection& j : s.joint) {
    if (!IsDepartmentId(j.id)) error(j.line, "joint inspection id '" + j.id + "' (a-z, 0-9, '-', '_'; 1-64)");
    if (!ids.insert(j.id).second) error(j.line, "joint inspection '" + j.id + "' is given twice");
    std::set<std::string> departments;
    for (const std::string& d : j.departments) {
      if (!IsDepartmentId(d)) error(j.line, "department '" + d + "' of joint inspection '" + j.id + "' is not an id");
      if (!departments.insert(d).second) {
        error(j.line, "department '" + d + "' is named twice in joint inspection '" + j.id + "'");
      }
    }
    if (departments.size() < 2) {
      error(j.line, "joint inspection '" + j.id + "' names fewer than two departments (one visit is shared)");
    }
    for (const std::string& g : j.grades) {
      if (s.Find(g) == nullptr) error(j.line, "joint inspection '" + j.id + "' names grade '" + g + "' with no ratio");
      if (!joint_grades.insert(g).second) {
        error(j.line, "grade " + g + " is visited jointly by more than one joint inspection");
      }
    }
  }
}

}  // namespace credflow::policies
