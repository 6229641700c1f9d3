// The verification plan end to end on the in-memory store: commitments of
// grade-D and grade-A subjects follow the policy's ratios over a large draw
// (fixed seed), the Weihai once-per-cycle rule holds within a plan, the
// committed draw is recorded in each case's history, and replaying the
// history reproduces the plan.
#include <gtest/gtest.h>

#include <map>

#include "engine/audit.h"
#include "tests/support/engine_harness.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/verification/sampling.h"
#include "workflows/verification/verification_workflow.h"

namespace credflow::testing {
namespace {

using engine::Json;

// A valid unified social credit code numbered `n` (GB 32100-2015 check).
std::string CreditCode(int n) {
  static const std::string kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char digits[8];
  std::snprintf(digits, sizeof digits, "%07d", n);
  std::string code = std::string("91320500MA") + digits;
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(code[static_cast<size_t>(i)])) * kWeights[i];
  return code + kAlphabet[static_cast<size_t>((31 - sum % 31) % 31)];
}

class VerificationPlanTest : public ::testing::Test {
 protected:
  VerificationPlanTest() : harness_(&store_) { harness_.SetDate("2025-03-03"); }

  void Grade(const std::string& code, const std::string& grade) {
    ASSERT_TRUE(store_
                    .RunInTransaction([&](engine::StoreTransaction& tx) {
                      engine::SubjectProfile p;
                      p.code = code;
                      p.name = "测试企业";
                      p.status = "operating";
                      p.grade = grade;
                      return tx.PutSubjectProfile(p);
                    })
                    .ok());
  }

  // Files an annual-report truthfulness commitment (sampled) for `code`.
  void File(const std::string& code) {
    workflows::commitment::FileCommitmentRequest r;
    r.subject = code;
    r.commitment_type = "annual_report_truthfulness";
    r.actor = engine::Actor{"clerk", "caseworker", ""};
    r.form = {{"applicant_name", "测试企业"},
              {"legal_representative", "张三"},
              {"report_year", 2024},
              {"signed_on", harness_.clock().Today().ToString()}};
    auto result = workflows::commitment::FileCommitment(harness_.service(), r);
    ASSERT_OK(result);
    ASSERT_EQ(result->state, "UnderVerification");
  }

  InMemoryCaseStore store_;
  EngineHarness harness_;
};

// Each committed draw can be recomputed from the case history alone, so an
// auditor can check nobody chose who was verified; nothing is left to draw.
TEST_F(VerificationPlanTest, RatiosFollowGradesAndReplayReproducesThePlan) {
  const int per_grade = 400;
  std::map<std::string, std::string> grade_of;
  for (int i = 0; i < per_grade; ++i) {
    const std::string d = CreditCode(i), a = CreditCode(100000 + i);
    Grade(d, "D");
    Grade(a, "A");
    grade_of[d] = "D";
    grade_of[a] = "A";
    File(d);
    File(a);
  }
  harness_.SetDate("2025-03-10");
  auto plan = workflows::verification::MakePlan(store_, ShippedRules().book(), harness_.clock().Today(), "");
  ASSERT_OK(plan);
  ASSERT_EQ(plan->entries.size(), static_cast<size_t>(2 * per_grade));
  std::map<std::string, int> selected;
  for (const auto& e : plan->entries) {
    EXPECT_EQ(e.grade, grade_of[e.subject]);
    EXPECT_DOUBLE_EQ(e.ratio, e.grade == "D" ? 0.80 : 0.05);
    selected[e.grade] += e.selected;
  }
  // Four standard deviations: D 320 +- 32, A 20 +- 17.
  EXPECT_NEAR(selected["D"], 0.80 * per_grade, 32);
  EXPECT_NEAR(selected["A"], 0.05 * per_grade, 17);
  EXPECT_GT(selected["A"], 0);

  // The same inputs give the same plan.
  auto again = workflows::verification::MakePlan(store_, ShippedRules().book(), harness_.clock().Today(), "");
  ASSERT_TRUE(again.ok());
  for (size_t i = 0; i < plan->entries.size(); ++i) {
    EXPECT_EQ(again->entries[i].case_id, plan->entries[i].case_id);
    EXPECT_EQ(again->entries[i].selected, plan->entries[i].selected);
  }

  auto drawn = workflows::verification::CommitPlan(harness_.service(), harness_.clock().Today(),
                                                   engine::Actor{"auditor-test", "caseworker", ""});
  ASSERT_OK(drawn);
  EXPECT_EQ(*drawn, 2 * per_grade);
  ASSERT_TRUE(harness_.service().FireDueTimers().ok());  // deliver exemptions to the commitments

  for (const auto& e : plan->entries) {
    auto c = store_.GetCase(e.case_id);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->state, e.selected ? "Scheduled" : "Exempted") << e.case_id;
    // The history holds the seed and the inputs: recompute the draw from it.
    auto history = store_.GetHistory(e.case_id);
    const engine::HistoryEvent& draw = history->back();
    ASSERT_EQ(draw.event, "DrawMade");
    const Json& payload = draw.payload;
    workflows::verification::DrawInputs in;
    in.seed = payload["data"]["seed"];
    in.case_id = e.case_id;
    in.grade = payload["facts"]["profile"]["grade"];
    in.ratio = in.grade == "D" ? 0.80 : 0.05;
    in.verified_in_cycle = payload["data"]["verified_in_cycle"];
    if (in.grade == "A") in.max_per_cycle = 1;
    EXPECT_EQ(workflows::verification::Draw(in).selected, e.selected);
    auto replay = engine::ReplayCase(store_, harness_.workflows(), ShippedRules().book(), e.case_id);
    ASSERT_TRUE(replay.ok());
    EXPECT_TRUE(replay->matches) << replay->problem;
  }
  // Exempted commitments close as exempted but stay visible.
  engine::CaseQuery q;
  q.workflow = "commitment";
  q.state = "Exempted";
  q.limit = 10000;
  EXPECT_EQ(store_.FindCases(q)->size(), static_cast<size_t>(2 * per_grade - selected["D"] - selected["A"]));

  // A second plan finds nothing left to draw.
  auto empty = workflows::verification::MakePlan(store_, ShippedRules().book(), harness_.clock().Today(), "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
}

// 无事不扰: a grade-A subject is verified at most once per cycle, also when
// one plan holds many of its commitments, and across plans of the year.
TEST_F(VerificationPlanTest, GradeAAtMostOncePerCycle) {
  const std::string code = CreditCode(7);
  Grade(code, "A");
  for (int i = 0; i < 80; ++i) File(code);
  // Find a plan day whose (derived) seed draws some commitment of the
  // subject: the case ids are random, so the day is searched for.
  std::optional<workflows::verification::Plan> plan;
  for (int day = 10; day < 31 && !plan; ++day) {
    harness_.SetDate("2025-03-" + std::to_string(day));
    auto p = workflows::verification::MakePlan(store_, ShippedRules().book(), harness_.clock().Today(), "");
    ASSERT_TRUE(p.ok());
    int n = 0, limited = 0;
    for (const auto& e : p->entries) {
      n += e.selected;
      limited += e.reason == "cycle_limit_reached";
    }
    EXPECT_LE(n, 1);
    if (n == 1 && limited > 0) plan = *p;
  }
  ASSERT_TRUE(plan.has_value()) << "no plan day drew the subject with later entries limited";
  ASSERT_TRUE(
      workflows::verification::CommitPlan(harness_.service(), harness_.clock().Today(), {"t", "caseworker", ""}).ok());

  // Later in the year, another commitment of the same subject: exempted by the limit.
  harness_.SetDate("2025-06-02");
  File(code);
  auto later = workflows::verification::MakePlan(store_, ShippedRules().book(), harness_.clock().Today(), "");
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->entries.size(), 1u);
  EXPECT_EQ(later->entries[0].verified_in_cycle, 1);
  EXPECT_FALSE(later->entries[0].selected);
  EXPECT_EQ(later->entries[0].reason, "cycle_limit_reached");
}

}  // namespace
}  // namespace credflow::testing
