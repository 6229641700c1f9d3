// The verification workflow as the engine sees it, and the verification plan:
// the seeded draw over every verification waiting for one.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "engine/workflow.h"
#include "policies/policy.h"
#include "policies/verification_rules.h"
#include "workflows/verification/names.h"

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
  double ratio = 0;
  int verified_in_cycle = 0;
  double u = 0;
  bool selected = false;
  std::string reason;  // sampled, not_sampled, cycle_limit_reached
};

struct Plan {
  std::string date;
  std::string seed;
  std::vector<PlanEntry> entries;
};

// Draws, without writing anything, for every verification case waiting for
// a draw that was opened on or before `date`, in case-id order. The seed
// defaults to PlanSeed(date); another seed makes a what-if preview that
// CommitPlan never applies. A grade's per-cycle limit counts the subject's
// selected verifications drawn in the same cycle (calendar year or month,
// per the policy), including earlier entries of this plan.
engine::Result<Plan> MakePlan(engine::CaseStore& store, const engine::RuleBook& rules, policies::Date date,
                              std::string seed);

// The seed of the plan of `date`: derived from the date, so that nobody
// chooses it and an auditor can recompute every draw.
std::string PlanSeed(policies::Date date);

// Makes today's plan (seed PlanSeed(today)) and applies it: raises DrawMade
// on each case with the seed and inputs, so the history records them.
// FailedPrecondition("plan_not_today") for another date: a plan is
// committed on its own day, so that no one picks among dates. Idempotent per
// (seed, case). Returns how many cases were drawn.
engine::Result<int> CommitPlan(engine::CaseService& service, policies::Date date, const engine::Actor& actor);

}  // namespace credflow::workflows::verification
