// The inspection-plan section (双随机、一公开: random inspections by credit
// risk grade, 国市监信发〔2022〕6号): the plan's cycle, the ratio, draw and
// per-cycle limit of each grade ("无事不扰" for grade A), which statuses are
// left out of the population, the department that inspects, and the joint
// inspections (联合抽查) several departments share. Policy id
// "inspection-plan".
//
//   <inspection-plan cycle="year|quarter" default-grade department source>
//     <grade value ratio draw? max-per-cycle? source/> ...   (as in <sampling>)
//     <screen-out statuses="deregistered revoked bankrupt" source/>
//   </inspection-plan>
//   <joint-inspection id name departments="a b c" grades="D" source/> ...
//
// A cycle is named by its id: "2026" for a year, "2026-Q4" for a quarter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policies/date.h"
#include "policies/policy.h"
#include "policies/verification_rules.h"

namespace credflow::policies {

inline constexpr const char* kInspectionPolicyId = "inspection-plan";

// The units a plan's cycle may have.
inline constexpr const char* kCycleYear = "year";
inline constexpr const char* kCycleQuarter = "quarter";

// One cycle: its id and its first and last day.
struct InspectionCycle {
  std::string id;    // 2026, 2026-Q4
  std::string unit;  // year | quarter
  Date first;
  Date last;
};

// The longest cycle id accepted ("2026-Q4").
inline constexpr size_t kMaxCycleIdLength = 7;
// Years a cycle may lie in.
inline constexpr int kFirstCycleYear = 2000;
inline constexpr int kLastCycleYear = 2099;

// The cycle named `id`: "YYYY" (a year) or "YYYY-Qn" (quarter n, 1-4), with
// YYYY in [kFirstCycleYear, kLastCycleYear]; nullopt for anything else.
std::optional<InspectionCycle> ParseInspectionCycle(const std::string& id);
// The cycle of `unit` holding `day`.
InspectionCycle InspectionCycleOf(const std::string& unit, Date day);

// Departments that share one visit (联合抽查, "进一次门、查多项事"): one
// visit, a task in each department's inbox.
struct JointInspection {
  std::string id;
  std::string name;
  std::vector<std::string> departments;  // at least two, each once
  // The grades whose drawn subjects a plan visits jointly (a grade belongs
  // to at most one joint inspection); empty: only on request.
  std::vector<std::string> grades;
  std::string source;
  int line = 0;
};

struct InspectionSection {
  std::string cycle;          // year | quarter: a plan per cycle, and the span of max_per_cycle
  std::string default_grade;  // for a subject never graded
  std::string department;     // inspects a visit that is not joint
  std::vector<GradeSampling> grades;
  std::vector<std::string> screened_statuses;  // left out of the population
  std::string screen_out_source;
  std::vector<JointInspection> joint;
  std::string source;
  // Of <inspection-plan>: 0 when the policy has none, -1 when it could not be
  // read (the loader reported why).
  int line = 0;

  const GradeSampling* Find(const std::string& grade) const;
  const JointInspection* FindJoint(const std::string& id) const;
  // The joint inspection that visits drawn subjects of `grade`, or nullptr.
  const JointInspection* JointFor(const std::string& grade) const;

  // A known cycle, the grade table (CheckGradeRatios), a department id,
  // screened statuses the risk-classification policy lists, and joint
  // inspections with unique ids, at least two distinct departments each and
  // known grades that no other joint inspection takes.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// A department id: 1-64 characters of a-z, 0-9, '-' and '_'.
bool IsDepartmentId(const std::string& id);

}  // namespace credflow::policies
