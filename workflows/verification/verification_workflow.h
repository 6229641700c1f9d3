// The verification workflow as the engine sees it, and the verification plan:
// the seeded draw over every verification waiting for one.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "engine/workflow.h"
#include "policies/policy.h"
#include "policies/verification_rules.h"
#include "workflows/verification/names.h"
#include "workflows/verification/sampling.h"

namespace credflow::workflows::verification {

std::unique_ptr<engine::WorkflowDefinition> NewVerificationWorkflow();

// The grade the draw uses: the subject's, else the policy's default.
std::string SubjectGrade(const policies::Policy& policy, const engine::SubjectFacts& facts);
const policies::GradeSampling* GradeRule(const policies::Policy& policy, const std::string& grade);

struct PlanEntry {
  std::string case_id;
  std::string subject;
  std::string commitment_type;
  std::string grade;
  std::string policy_version;  // of the case's pinned verification policy
  double ratio = 0;
  std::string mode;  // independent | quota (the policy's, per grade)
  int verified_in_cycle = 0;
  double u = 0;                     // independent draws
  std::optional<QuotaPlace> quota;  // quota draws
  bool selected = false;
  std::string reason;  // sampled, not_sampled, cycle_limit_reached
};

// One grade's quota draw in a plan: the plan's commitments of that grade
// under one policy version.
struct QuotaGroup {
  std::string grade;
  std::string policy_version;
  double ratio = 0;
  int candidates = 0;  // N
  int quota = 0;       // round(ratio x N), halves away from zero
  std::string candidates_sha256;
  std::vector<std::string> drawn;  // the selected case ids, in shuffled order
};

struct Plan {
  std::string date;
  std::string seed;
  std::vector<PlanEntry> entries;  // in case-id order
  std::vector<QuotaGroup> quotas;  // by grade
};

// Draws, without writing anything, for every verification case waiting for
// a draw that was opened on or before `date`, in case-id order. The seed
// defaults to PlanSeed(date); another seed makes a what-if preview that
// CommitPlan never applies. Each grade is drawn as its policy says
// (sampling.h): independently per case, or by quota over the plan's
// commitments of that grade. A grade's per-cycle limit counts the subject's
// selected verifications drawn in the same cycle (calendar year or month,
// per the policy), including earlier entries of this plan (in case-id order
// for independent draws, in shuffled order for a quota).
engine::Result<Plan> MakePlan(engine::CaseStore& store, const engine::RuleBook& rules, policies::Date date,
                              std::string seed);

// The seed of the plan of `date`: derived from the date, so that nobody
// chooses it and an auditor can recompute every draw.
std::string PlanSeed(policies::Date date);

// Makes today's plan (seed PlanSeed(today)) and applies it: raises DrawMade
// on each case with the seed and inputs (for a quota: grade, N, quota,
// position, selected_before, candidates_sha256), so the history records them.
// FailedPrecondition("plan_not_today") for another date: a plan is
// committed on its own day, so that no one picks among dates. Idempotent per
// (seed, case). Returns how many cases were drawn.
engine::Result<int> CommitPlan(engine::CaseService& service, policies::Date date, const engine::Actor& actor);

// A committed plan recomputed from the histories alone, as an auditor does:
// every case whose DrawMade carries `seed`; for a quota, the candidates
// gathered from those events must hash to the recorded candidates_sha256,
// and the shuffle, the quota and each position and decision must come out
// as recorded; an independent draw must give the recorded decision.
struct PlanReplay {
  std::string seed;
  int cases = 0;                      // draws found under the seed
  std::vector<QuotaGroup> quotas;     // as recomputed
  std::map<std::string, int> drawn;   // selected per grade
  std::vector<std::string> problems;  // "case <id>: ..." ; empty = reproduced
  bool reproduced() const { return problems.empty(); }
};
engine::Result<PlanReplay> ReplayPlan(engine::CaseStore& store, const engine::RuleBook& rules, const std::string& seed);

}  // namespace credflow::workflows::verification
