// The verification plan end to end on the in-memory store: a grade drawn by
// quota gets exactly its rounded share, an independently drawn grade follows
// its ratio on average, the Weihai once-per-cycle rule holds within a plan,
// the committed draw is recorded in each case's history, and replaying the
// histories reproduces the plan.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "adapters/http/statistics.h"
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
  char digits[16];
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

// Today's 9-case plan, by quota: both grade-D subjects are verified
// (round(0.80 x 2) = 2), no grade-A one (round(0.05 x 1) = 0), and each grade
// gets exactly its rounded share; the histories replay the plan.
TEST_F(VerificationPlanTest, QuotaVerifiesExactlyTheRoundedShareOfEachGrade) {
  const std::map<std::string, int> counts = {{"D", 2}, {"A", 1}, {"B", 4}, {"C", 2}};
  std::map<std::string, std::string> grade_of;
  int n = 0;
  for (const auto& [grade, count] : counts) {
    for (int i = 0; i < count; ++i) {
      const std::string code = CreditCode(++n);
      Grade(code, grade);
      grade_of[code] = grade;
      File(code);
    }
  }
  harness_.SetDate("2025-03-10");
  auto plan = workflows::verification::MakePlan(store_, ShippedRules().book(), harness_.clock().Today(), "");
  ASSERT_OK(plan);
  ASSERT_EQ(plan->entries.size(), 9u);
  std::map<std::string, int> selected;
  for (const auto& e : plan->entries) {
    EXPECT_EQ(e.mode, "quota");
    ASSERT_TRUE(e.quota.has_value());
    EXPECT_EQ(e.quota->candidates, counts.at(e.grade));
    selected[e.grade] += e.selected;
  }
  const std::map<std::string, int> quota = {{"D", 2}, {"A", 0}, {"B", 1}, {"C", 1}};  // 1.6, 0.05, 0.8, 1.2
  for (const auto& [grade, q] : quota) EXPECT_EQ(selected[grade], q) << "grade " << grade;
  ASSERT_EQ(plan->quotas.size(), 4u);
  for (const auto& g : plan->quotas) {
    EXPECT_EQ(g.quota, quota.at(g.grade));
    EXPECT_EQ(static_cast<int>(g.drawn.size()), g.quota);
  }

  ASSERT_OK(workflows::verification::CommitPlan(harness_.service(), harness_.clock().Today(),
                                                engine::Actor{"t", "caseworker", ""}));
  auto replay = workflows::verification::ReplayPlan(store_, ShippedRules().book(), plan->seed);
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->reproduced()) << replay->problems.front();
  EXPECT_EQ(replay->cases, 9);
  for (const auto& [grade, q] : quota) EXPECT_EQ(replay->drawn[grade], q) << "grade " << grade;
  for (const auto& e : plan->entries) {
    auto c = store_.GetCase(e.case_id);
    ASSERT_OK(c);
    EXPECT_EQ(c->state, e.selected ? "Scheduled" : "Exempted");
    EXPECT_EQ(c->data["draw"]["position"], e.quota->position);
    auto replayed = engine::ReplayCase(store_, harness_.workflows(), ShippedRules().book(), e.case_id);
    ASSERT_OK(replayed);
    EXPECT_TRUE(replayed->matches) << replayed->problem;
  }
}

// The statistics page's coverage chart reads the committed draw: per grade,
// in the policy's order, how many were drawn from and selected, beside the
// policy's ratio; a commitment filed after the plan awaits its draw. As CSV,
// one line per grade.
TEST_F(VerificationPlanTest, TheStatisticsShowCoverageByGradeBesideThePolicysRatio) {
  int n = 0;
  for (const auto& [grade, count] : std::map<std::string, int>{{"D", 2}, {"A", 1}, {"B", 4}, {"C", 2}}) {
    for (int i = 0; i < count; ++i) {
      const std::string code = CreditCode(++n);
      Grade(code, grade);
      File(code);
    }
  }
  harness_.SetDate("2025-03-10");
  ASSERT_OK(workflows::verification::CommitPlan(harness_.service(), harness_.clock().Today(),
                                                engine::Actor{"t", "caseworker", ""}));
  Grade(CreditCode(99), "C");
  File(CreditCode(99));

  auto stats = adapters::http::ComputeStatistics(harness_.service(), harness_.service().store(), 2025);
  ASSERT_OK(stats);
  const Json& coverage = (*stats)["verification_coverage"];
  std::vector<std::string> rows;
  for (const Json& g : coverage["grades"]) {
    rows.push_back(g.value("grade", "") + " " + std::to_string(g.value("drawn", -1)) + " " +
                   std::to_string(g.value("selected", -1)) + " " + std::to_string(g.value("reported", -1)));
  }
  // round(0.05 x 1) = 0, round(0.20 x 4) = 1, round(0.60 x 2) = 1, round(0.80 x 2) = 2.
  EXPECT_EQ(rows, (std::vector<std::string>{"A 1 0 0", "B 4 1 0", "C 2 1 0", "D 2 2 0"})) << coverage.dump();
  EXPECT_DOUBLE_EQ(coverage["grades"][1].value("coverage", -1.0), 0.25);
  EXPECT_DOUBLE_EQ(coverage["grades"][1].value("ratio", -1.0), 0.20);
  EXPECT_EQ(coverage["grades"][3].value("draw", ""), "quota");
  EXPECT_NE(coverage["grades"][3].value("source", "").find("round(0.80 x N)"), std::string::npos) << coverage.dump();
  EXPECT_EQ(coverage.value("awaiting_draw", -1), 1);
  EXPECT_EQ(coverage["verified_in_full"].value("cases", -1), 0);
  EXPECT_TRUE((*adapters::http::ComputeStatistics(harness_.service(), harness_.service().store(),
                                                  2024))["verification_coverage"]["grades"][0]
                  .value("drawn", -1) == 0)
      << "another year counts none";

  const std::optional<std::string> csv = adapters::http::StatisticsCsv(*stats, "verification_coverage");
  ASSERT_TRUE(csv.has_value());
  EXPECT_EQ(csv->rfind("\xEF\xBB\xBF风险等级,参与抽取数,抽中核查数,已出核查结果数,实际核查比例,政策抽查比例,", 0), 0u)
      << *csv;
  EXPECT_NE(csv->find("\r\nB,4,1,0,0.2500,0.2000,quota,"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("\r\n待抽取,1,"), std::string::npos) << *csv;
}

// Over a large plan the quota is exact, the same seed draws the same
// commitments, another seed draws others, and the committed draw is
// recomputed from the histories alone (ReplayPlan).
TEST_F(VerificationPlanTest, QuotaIsExactReproducibleAndReplayedFromHistory) {
  const int per_grade = 400;
  for (int i = 0; i < per_grade; ++i) {
    const std::string d = CreditCode(i), a = CreditCode(100000 + i);
    Grade(d, "D");
    Grade(a, "A");
    File(d);
    File(a);
  }
  harness_.SetDate("2025-03-10");
  const policies::Date today = harness_.clock().Today();
  auto plan = workflows::verification::MakePlan(store_, ShippedRules().book(), today, "");
  ASSERT_OK(plan);
  ASSERT_EQ(plan->entries.size(), static_cast<size_t>(2 * per_grade));
  std::map<std::string, int> selected;
  std::set<std::string> picks;
  for (const auto& e : plan->entries) {
    selected[e.grade] += e.selected;
    if (e.selected) picks.insert(e.case_id);
  }
  EXPECT_EQ(selected["D"], 320);  // 0.80 x 400
  EXPECT_EQ(selected["A"], 20);   // 0.05 x 400

  auto again = workflows::verification::MakePlan(store_, ShippedRules().book(), today, "");
  ASSERT_OK(again);
  std::set<std::string> again_picks;
  for (const auto& e : again->entries) {
    if (e.selected) again_picks.insert(e.case_id);
  }
  EXPECT_EQ(again_picks, picks);
  auto other = workflows::verification::MakePlan(store_, ShippedRules().book(), today, "what-if");
  ASSERT_OK(other);
  std::set<std::string> other_picks;
  for (const auto& e : other->entries) {
    if (e.selected) other_picks.insert(e.case_id);
  }
  EXPECT_EQ(other_picks.size(), picks.size());
  EXPECT_NE(other_picks, picks);

  auto drawn = workflows::verification::CommitPlan(harness_.service(), today, engine::Actor{"t", "caseworker", ""});
  ASSERT_OK(drawn);
  EXPECT_EQ(*drawn, 2 * per_grade);
  ASSERT_OK(harness_.service().FireDueTimers());  // deliver exemptions to the commitments

  auto replay = workflows::verification::ReplayPlan(store_, ShippedRules().book(), plan->seed);
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->reproduced()) << replay->problems.front();
  EXPECT_EQ(replay->cases, 2 * per_grade);
  EXPECT_EQ(replay->drawn["D"], 320);
  EXPECT_EQ(replay->drawn["A"], 20);
  std::set<std::string> replayed_picks;
  for (const auto& g : replay->quotas) replayed_picks.insert(g.drawn.begin(), g.drawn.end());
  EXPECT_EQ(replayed_picks, picks);

  // The history records the candidates' hash and each position: recompute one
  // grade's shuffle from it by hand.
  std::vector<std::string> grade_d;
  for (const auto& e : plan->entries) {
    if (e.grade == "D") grade_d.push_back(e.case_id);
  }
  std::sort(grade_d.begin(), grade_d.end());
  const std::vector<std::string> order =
      workflows::verification::SeededShuffle(grade_d, workflows::verification::QuotaStream(plan->seed, "D"));
  for (size_t position = 0; position < 5; ++position) {
    auto history = store_.GetHistory(order[position]);
    ASSERT_OK(history);
    const engine::HistoryEvent* made = nullptr;
    for (const auto& h : *history) {
      if (h.event == "DrawMade") made = &h;
    }
    ASSERT_NE(made, nullptr);
    const Json& data = made->payload["data"];
    EXPECT_EQ(data["position"], position);
    EXPECT_EQ(data["candidates"], per_grade);
    EXPECT_EQ(data["quota"], 320);
    EXPECT_EQ(data["candidates_sha256"], workflows::verification::CandidatesHash(grade_d));
    EXPECT_EQ(made->to_state, "Scheduled");
    auto replayed = engine::ReplayCase(store_, harness_.workflows(), ShippedRules().book(), order[position]);
    ASSERT_OK(replayed);
    EXPECT_TRUE(replayed->matches) << replayed->problem;
  }

  // Exempted commitments close as exempted but stay visible.
  engine::CaseQuery q;
  q.workflow = "commitment";
  q.state = "Exempted";
  q.limit = 10000;
  EXPECT_EQ(store_.FindCases(q)->size(), static_cast<size_t>(2 * per_grade - 340));
  // A second plan finds nothing left to draw.
  auto empty = workflows::verification::MakePlan(store_, ShippedRules().book(), today, "");
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->entries.empty());
}

// A case row edited to hide its draw leaves its quota group one short: the
// replay from the histories says so.
TEST_F(VerificationPlanTest, ReplayNoticesAMissingCandidate) {
  for (int i = 0; i < 5; ++i) {
    const std::string code = CreditCode(i);
    Grade(code, "C");
    File(code);
  }
  harness_.SetDate("2025-03-10");
  ASSERT_OK(workflows::verification::CommitPlan(harness_.service(), harness_.clock().Today(), {"t", "caseworker", ""}));
  engine::CaseQuery q;
  q.workflow = "verification";
  q.limit = 10;
  auto cases = store_.FindCases(q);
  ASSERT_OK(cases);
  ASSERT_EQ(cases->size(), 5u);
  engine::Case hidden = cases->front();
  hidden.data["draw"]["seed"] = "elsewhere";
  ASSERT_OK(store_.RunInTransaction([&](engine::StoreTransaction& tx) { return tx.ReplaceCase(hidden); }));
  auto replay = workflows::verification::ReplayPlan(store_, ShippedRules().book(), "plan:2025-03-10");
  ASSERT_OK(replay);
  EXPECT_FALSE(replay->reproduced());
  EXPECT_EQ(replay->cases, 4);
}

// Rules whose grades are drawn independently (the shipped policy with its
// draw="quota" attributes removed).
class IndependentDrawTest : public ::testing::Test {
 protected:
  IndependentDrawTest() {
    const adapters::RulePaths shipped = ShippedRulePaths();
    dir_ = std::filesystem::temp_directory_path() / ("credflow-independent-" + engine::NewRandomId());
    std::filesystem::create_directories(dir_);
    for (const auto& entry : std::filesystem::directory_iterator(shipped.policies_dir)) {
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      for (size_t at; (at = text.find(" draw=\"quota\"")) != std::string::npos;) text.erase(at, 13);
      std::ofstream(dir_ / entry.path().filename()) << text;
    }
    rules_ = adapters::LoadRules({dir_.string(), shipped.calendar_path, shipped.forms_dir});
    EXPECT_TRUE(rules_->ok());
    book_ = rules_->book();
    harness_ = std::make_unique<EngineHarness>(&store_, &book_);
    harness_->SetDate("2025-03-03");
  }
  ~IndependentDrawTest() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path dir_;
  std::unique_ptr<adapters::LoadedRules> rules_;
  engine::RuleBook book_;
  InMemoryCaseStore store_;
  std::unique_ptr<EngineHarness> harness_;
};

// Independent draws follow the ratios on average only, and replay too.
TEST_F(IndependentDrawTest, RatiosHoldOnAverageAndReplay) {
  const int per_grade = 400;
  for (int i = 0; i < per_grade; ++i) {
    for (const auto& [code, grade] : {std::pair{CreditCode(i), "D"}, std::pair{CreditCode(100000 + i), "A"}}) {
      ASSERT_OK(store_.RunInTransaction([&](engine::StoreTransaction& tx) {
        engine::SubjectProfile p;
        p.code = code;
        p.name = "测试企业";
        p.status = "operating";
        p.grade = grade;
        return tx.PutSubjectProfile(p);
      }));
      workflows::commitment::FileCommitmentRequest r;
      r.subject = code;
      r.commitment_type = "annual_report_truthfulness";
      r.actor = engine::Actor{"clerk", "caseworker", ""};
      r.form = {{"applicant_name", "测试企业"},
                {"legal_representative", "张三"},
                {"report_year", 2024},
                {"signed_on", "2025-03-03"}};
      ASSERT_OK(workflows::commitment::FileCommitment(harness_->service(), r));
    }
  }
  harness_->SetDate("2025-03-10");
  auto plan = workflows::verification::MakePlan(store_, book_, harness_->clock().Today(), "");
  ASSERT_OK(plan);
  std::map<std::string, int> selected;
  for (const auto& e : plan->entries) {
    EXPECT_EQ(e.mode, "independent");
    EXPECT_FALSE(e.quota.has_value());
    selected[e.grade] += e.selected;
  }
  EXPECT_TRUE(plan->quotas.empty());
  // Four standard deviations: D 320 +- 32, A 20 +- 17.
  EXPECT_NEAR(selected["D"], 0.80 * per_grade, 32);
  EXPECT_NEAR(selected["A"], 0.05 * per_grade, 17);
  ASSERT_OK(workflows::verification::CommitPlan(harness_->service(), harness_->clock().Today(),
                                                engine::Actor{"t", "caseworker", ""}));
  auto replay = workflows::verification::ReplayPlan(store_, book_, plan->seed);
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->reproduced()) << replay->problems.front();
  EXPECT_EQ(replay->drawn["D"], selected["D"]);
  EXPECT_EQ(replay->drawn["A"], selected["A"]);
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
