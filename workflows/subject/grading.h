// Recomputing risk grades from records (企业信用风险分类, monthly at SAMR):
// the inputs a subject's records give on a day, and the command that sets
// the grade the "risk-grading" policy's first matching rule says
// (policies/grading_rules.h). A change is one GradeSet with source
// "recompute", its reason naming the rule (its line and source) and the
// inputs; a grade that does not change writes nothing.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "policies/grading_rules.h"

namespace credflow::workflows::subject {

// The counts the grading rules read (see GradingInputNames), from `facts` on
// `today`, looking back `section.lookback_years` years (the day `today`
// minus the years, inclusive).
policies::GradingInputs GradingInputsOf(const engine::SubjectFacts& facts, const policies::GradingSection& section,
                                        policies::Date today);

// The same counts over `lookback_years`, plus the ledger's own inputs
// (uncorrected_published, serious_list_entries; policies/ledger_rules.h).
policies::GradingInputs InputsOf(const engine::SubjectFacts& facts, int lookback_years, policies::Date today);

struct RegradeResult {
  std::string code;
  std::string before;  // the grade before; empty when ungraded
  std::string after;   // the grade now
  bool changed = false;
  int rule_line = 0;  // the rule that matched
  std::string rule_source;
  policies::GradingInputs inputs;
};

// Recomputes one subject's grade today. NotFound("subject_not_registered"),
// NotFound("no_policy_in_force") when no risk-grading policy covers today,
// FailedPrecondition("no_grading_rule") when no rule matches.
engine::Result<RegradeResult> RecomputeGrade(engine::CaseService& service, const std::string& code,
                                             const engine::Actor& actor);

// Recomputes every registered subject's grade, a page at a time; `each` (if
// set) sees every result. Stops at the first failure.
engine::Result<std::vector<RegradeResult>> RecomputeAllGrades(
    engine::CaseService& service, const engine::Actor& actor,
    const std::function<void(const RegradeResult&)>& each = nullptr);

// The monthly recomputation (SAMR reclassifies monthly), run by `credflow
// serve`'s scheduler. Due on the first day on or after the risk-grading
// policy's <monthly-recompute day> of the month; done once a month for the
// whole store: the month's run is recorded under the idempotency key
// "regrade:YYYY-MM" when it has finished, so a crash part-way runs it again
// (a recomputation that changes nothing writes nothing), and processes that
// share a store do not both record it.
struct MonthlyRegrade {
  std::string month;  // YYYY-MM
  std::string state;  // "not_due", "no_schedule", "done" (earlier), "ran" (now)
  int subjects = 0;   // when ran
  int changed = 0;    // when ran
  engine::Json ToJson() const;
};
engine::Result<MonthlyRegrade> RunMonthlyRegrade(engine::CaseService& service);

}  // namespace credflow::workflows::subject
