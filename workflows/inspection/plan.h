// The random-inspection plan of a cycle (双随机、一公开): which subjects are
// inspected, drawn by risk grade with the pinned policy's ratios, the same
// way the verification plan draws (workflows/verification/sampling.h):
//
//   population  every registered subject whose status the policy does not
//               screen out, under its grade (an ungraded one under the
//               policy's default grade);
//   seed        "inspection:<cycle>" (PlanSeed), derived from the cycle so
//               that nobody chooses it;
//   quota       exactly round(ratio x N) of the grade's N subjects: the
//               sorted subject codes, shuffled by the seeded Fisher-Yates
//               of sampling.h on the stream QuotaStream(seed, grade), walked
//               in that order;
//   independent each subject on its own, u = DrawUniform(seed, code) < ratio;
//   无事不扰    first, a subject whose grade allows max_per_cycle
//               inspections a cycle and has had them (its inspection records
//               of the cycle: planned, or opened on a complaint or a lead) is
//               exempted, cycle_limit_reached, and in a quota walk the next
//               subject takes its place.
//
// Committing opens one visit per drawn subject (workflows/inspection), in
// one transaction, and records the plan once: the candidates of each grade,
// the counts the limit saw and what was drawn are kept as the command's
// answer under PlanKey(cycle) (the engine's idempotency store), and each
// visit's history records its draw (seed, grade, N, quota, position, the
// hash of the candidates). Committing the cycle again opens nothing and
// answers with the plan as first recorded. ReplayPlan recomputes the plan
// from that record and checks it against the visits' histories.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "policies/inspection_rules.h"
#include "workflows/verification/sampling.h"

namespace credflow::workflows::inspection {

// The key a committed plan is recorded under: "inspection-plan:<cycle>".
std::string PlanKey(const std::string& cycle_id);

// A cycle and the rules its plan draws under: the inspection policy in force
// on the cycle's first day.
struct PlanRules {
  policies::InspectionCycle cycle;
  const policies::Policy* policy = nullptr;
  const policies::InspectionSection* section = nullptr;
};
// InvalidArgument("invalid_cycle") for an id that is not "YYYY" or
// "YYYY-Qn" (years 2000-2099, at most 7 characters) or not of the unit the
// policy plans by; NotFound("no_policy_in_force") when no inspection policy
// is in force on the cycle's first day.
engine::Result<PlanRules> RulesOfCycle(const engine::RuleBook& rules, const std::string& cycle_id);

struct PlanEntry {
  std::string subject;
  std::string grade;
  double ratio = 0;
  std::string mode;  // independent | quota
  std::optional<int> max_per_cycle;
  int inspected_in_cycle = 0;
  double u = 0;                                   // independent draws
  std::optional<verification::QuotaPlace> quota;  // quota draws
  bool selected = false;
  std::string reason;  // sampled | not_sampled | cycle_limit_reached
  std::string joint;   // the joint inspection that visits the grade, or ""

  // Who, grade, ratio, why, and the draw's place (u, or N, quota, position).
  engine::Json ToJson() const;
};

// One grade's draw.
struct GradeDraw {
  std::string grade;
  double ratio = 0;
  std::string mode;
  std::optional<int> max_per_cycle;
  std::string joint;
  std::vector<std::string> subjects;  // the candidates, sorted bytewise
  int quota = 0;                      // quota draws: round(ratio x N)
  std::string candidates_sha256;      // of the sorted codes joined by "\n"
  std::vector<std::string> drawn;     // selected, in draw order
  int exempted = 0;                   // cycle_limit_reached
};

struct Plan {
  policies::InspectionCycle cycle;
  std::string seed;
  std::string policy_id;
  std::string policy_version;
  std::vector<GradeDraw> grades;                  // A-D
  std::vector<PlanEntry> entries;                 // grade by grade, in draw order
  std::map<std::string, int> screened_out;        // status -> subjects left out
  std::map<std::string, int> inspected_in_cycle;  // subject -> inspections of the cycle, when not 0

  // What a committed plan records: the cycle, seed, policy, and per grade
  // the candidates, the quota, the hash and the drawn subjects, with the
  // counts the limit saw (engine::Json, for the store and for replay).
  engine::Json Record() const;
};

// Draws the plan of `cycle_id` as things stand, writing nothing. Fails as
// RulesOfCycle, and with the store's failures.
engine::Result<Plan> MakePlan(engine::CaseStore& store, const engine::RuleBook& rules, const std::string& cycle_id);

struct PlanCommit {
  bool already_committed = false;   // the cycle's plan was committed before: nothing was opened now
  engine::Json record;              // the plan as recorded, with its visits
  std::vector<std::string> opened;  // the visits opened now
};

// Draws the plan of `cycle_id` and applies it in one transaction: a visit
// for each drawn subject (InspectionPlanned, raised by the engine with the
// draw's inputs), and the plan's record. FailedPrecondition
// ("cycle_not_current") unless today lies in the cycle, so that nobody picks
// when to draw a past or a future cycle. A second commit of the cycle opens
// nothing and returns the first record (already_committed). A subject that
// changed grade or got an inspection while the plan was drawn makes the
// transaction fail with Conflict(kPlanInputsChanged); the plan is then drawn
// again (up to 5 times).
engine::Result<PlanCommit> CommitPlan(engine::CaseService& service, const std::string& cycle_id,
                                      const engine::Actor& actor);

// The record of the committed plan of `cycle_id`, or nullopt when the cycle
// has none.
engine::Result<std::optional<engine::Json>> FindCommittedPlan(engine::CaseStore& store, const std::string& cycle_id);

// A committed plan recomputed from its record, as an auditor does: each
// grade's candidates must hash to the recorded candidates_sha256, and the
// quota, the shuffle and each decision must come out as recorded; every
// drawn subject must have exactly one visit of the cycle whose
// InspectionPlanned event records the same draw (seed, grade, N, quota,
// position, selected_before, hash, inspections of the cycle), and no other
// visit may claim the plan.
struct PlanReplay {
  std::string cycle;
  std::string seed;
  int visits = 0;                     // visits of the plan found in the histories
  std::map<std::string, int> drawn;   // selected per grade, as recomputed
  std::vector<std::string> problems;  // empty = reproduced
  bool reproduced() const { return problems.empty(); }
};
// NotFound("plan_not_committed") when the cycle has no committed plan.
engine::Result<PlanReplay> ReplayPlan(engine::CaseStore& store, const engine::RuleBook& rules,
                                      const std::string& cycle_id);

}  // namespace credflow::workflows::inspection
