// The verification machine, one row at a time, and the reproducible draw.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/support/machine_test.h"
#include "tests/support/shipped_rules.h"
#include "workflows/verification/sampling.h"
#include "workflows/verification/verification_workflow.h"

namespace credflow::workflows::verification {
namespace {

using engine::Json;
using policies::Date;

class VerificationMachineTest : public testing::MachineTest {
 protected:
  VerificationMachineTest()
      : MachineTest(NewVerificationWorkflow(), kPolicyId, Date::FromYmd(2025, 3, 3), "verification-1",
                    "91320500L968FMY61Q") {}

  void Grade(const std::string& grade) {
    engine::SubjectProfile p;
    p.code = c_.subject;
    p.grade = grade;
    p.status = "operating";
    facts_.profile = p;
  }
};

// The table the machine reports (read by `workflow describe`, the API and the
// table suite) has the designed initial state, eleven rows and outcomes.
TEST_F(VerificationMachineTest, DescribesItsTable) {
  EXPECT_EQ(workflow_->initial_state(), "Opened");
  EXPECT_EQ(workflow_->transitions().size(), 11u);
  EXPECT_EQ(workflow_->OutcomeOf("Exempted"), "exempted");
  EXPECT_EQ(workflow_->OutcomeOf("Conforming"), "conforming");
  EXPECT_EQ(workflow_->OutcomeOf("Nonconforming"), "nonconforming");
  EXPECT_EQ(workflow_->OutcomeOf("Scheduled"), "pending");
}

// Opened --VerificationOpened [EveryCommitmentVerified] / ScheduleVerification--> Scheduled
TEST_F(VerificationMachineTest, MandatoryItemIsScheduledWithItsWindow) {
  c_.data = {{"commitment_type", "food_business_permit"}, {"decided_on", "2025-03-03"}};
  ASSERT_TRUE(Fire("Opened", "VerificationOpened", Json::object(), Date::FromYmd(2025, 3, 3)).ok());
  EXPECT_EQ(out_.to_state, "Scheduled");
  // 30 working days from 2025-03-03 across Qingming 2025 (04-04..06 off).
  EXPECT_EQ(out_.data["due_on"], "2025-04-15");
  EXPECT_EQ(out_.data["method"], "on_site");
  EXPECT_EQ(out_.data["draw"]["mode"], "all");
  auto timers = EffectsOf<engine::SetTimer>();
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0]->name, "verification_due");
  EXPECT_EQ(timers[0]->event, "VerificationOverdue");
  EXPECT_EQ(timers[0]->due_on, Date::FromYmd(2025, 4, 15));
}

// Windows over the 2024 and 2025 holiday breaks (named dates).
TEST_F(VerificationMachineTest, WindowsAcrossNationalDayAndSpringFestival) {
  struct Case {
    const char* type;
    const char* decided;
    const char* due;
  } cases[] = {
      // 10 WD; 2024-09-29 (Sun) and 2024-10-12 (Sat) worked, 10-01..07 off.
      {"fire_safety_venue_opening", "2024-09-27", "2024-10-16"},
      // 10 WD; 2025-09-28 (Sun) and 2025-10-11 (Sat) worked, 10-01..08 off.
      {"fire_safety_venue_opening", "2025-09-26", "2025-10-16"},
      // 10 WD; 2024-02-04 (Sun) and 2024-02-18 (Sun) worked, 02-10..17 off.
      {"fire_safety_venue_opening", "2024-02-02", "2024-02-21"},
      // 30 WD; 2025-01-26 (Sun) and 2025-02-08 (Sat) worked, 01-28..02-04 off.
      {"food_business_permit", "2025-01-20", "2025-03-07"},
  };
  for (const auto& k : cases) {
    c_.data = {{"commitment_type", k.type}, {"decided_on", k.decided}};
    ASSERT_TRUE(Fire("Opened", "VerificationOpened", Json::object(), *Date::Parse(k.decided)).ok()) << k.decided;
    EXPECT_EQ(out_.data["due_on"], k.due) << k.type << " decided " << k.decided;
  }
}

// Opened --VerificationOpened [SamplingRequired] / AwaitDraw--> AwaitingDraw
TEST_F(VerificationMachineTest, SampledItemWaitsForTheDraw) {
  c_.data = {{"commitment_type", "annual_report_truthfulness"}, {"decided_on", "2025-03-03"}};
  ASSERT_TRUE(Fire("Opened", "VerificationOpened", Json::object(), Date::FromYmd(2025, 3, 3)).ok());
  EXPECT_EQ(out_.to_state, "AwaitingDraw");
  EXPECT_EQ(out_.data["awaiting_draw_since"], "2025-03-03");
  EXPECT_TRUE(out_.effects.empty());
}

// A quota draw's data, as CommitPlan raises it: the commitment's place in
// its grade's shuffle.
Json QuotaDraw(const std::string& grade, int candidates, int quota, int position, int selected_before,
               int verified_in_cycle = 0) {
  return {{"seed", "plan:2025-03-10"},
          {"plan_date", "2025-03-10"},
          {"verified_in_cycle", verified_in_cycle},
          {"mode", "quota"},
          {"grade", grade},
          {"candidates", candidates},
          {"quota", quota},
          {"position", position},
          {"selected_before", selected_before},
          {"candidates_sha256", "0123abcd"}};
}

// AwaitingDraw --DrawMade [DrawSelects] / ScheduleDrawnVerification--> Scheduled
// (grade D by quota: round(0.80 x 2) = 2, the second place is within it)
TEST_F(VerificationMachineTest, DrawSelectsAndSchedules) {
  Grade("D");
  c_.data = {{"commitment_type", "annual_report_truthfulness"}, {"decided_on", "2025-03-03"}};
  ASSERT_TRUE(Fire("AwaitingDraw", "DrawMade", QuotaDraw("D", 2, 2, 1, 1), Date::FromYmd(2025, 3, 10)).ok());
  ASSERT_FALSE(out_.failure.has_value()) << out_.failure->ToString();
  EXPECT_EQ(out_.to_state, "Scheduled");
  const Json& draw = out_.data["draw"];
  EXPECT_EQ(draw["seed"], "plan:2025-03-10");
  EXPECT_EQ(draw["mode"], "quota");
  EXPECT_EQ(draw["grade"], "D");
  EXPECT_DOUBLE_EQ(draw["ratio"].get<double>(), 0.80);
  EXPECT_EQ(draw["candidates"], 2);
  EXPECT_EQ(draw["quota"], 2);
  EXPECT_EQ(draw["position"], 1);
  EXPECT_EQ(draw["candidates_sha256"], "0123abcd");
  EXPECT_EQ(draw["selected"], true);
  EXPECT_EQ(draw["reason"], "sampled");
  ASSERT_EQ(EffectsOf<engine::SetTimer>().size(), 1u);
}

// AwaitingDraw --DrawMade [DrawExempts] / RecordExemption--> Exempted
// (grade A by quota: round(0.05 x 1) = 0)
TEST_F(VerificationMachineTest, DrawExemptsWhenNotSampled) {
  Grade("A");
  c_.data = {{"commitment_type", "annual_report_truthfulness"}};
  ASSERT_TRUE(Fire("AwaitingDraw", "DrawMade", QuotaDraw("A", 1, 0, 0, 0), Date::FromYmd(2025, 3, 10)).ok());
  ASSERT_FALSE(out_.failure.has_value()) << out_.failure->ToString();
  EXPECT_EQ(out_.to_state, "Exempted");
  EXPECT_EQ(out_.reason, "not_sampled");
  EXPECT_EQ(out_.data["draw"]["selected"], false);
  EXPECT_TRUE(EffectsOf<engine::SetTimer>().empty());
}

// The Weihai rule: a grade-A subject already verified this cycle is exempt
// even when its place is within the quota.
TEST_F(VerificationMachineTest, GradeAVerifiedOncePerCycle) {
  Grade("A");
  c_.data = {{"commitment_type", "annual_report_truthfulness"}};
  ASSERT_TRUE(
      Fire("AwaitingDraw", "DrawMade", QuotaDraw("A", 20, 1, 0, 0, /*verified_in_cycle=*/1), Date::FromYmd(2025, 3, 10))
          .ok());
  EXPECT_EQ(out_.to_state, "Exempted");
  EXPECT_EQ(out_.reason, "cycle_limit_reached");
}

TEST_F(VerificationMachineTest, UngradedSubjectUsesThePolicyDefaultGrade) {
  c_.data = {{"commitment_type", "annual_report_truthfulness"}};
  ASSERT_TRUE(Fire("AwaitingDraw", "DrawMade", QuotaDraw("B", 5, 1, 0, 0), Date::FromYmd(2025, 3, 10)).ok());
  EXPECT_EQ(out_.to_state, "Scheduled");
  EXPECT_EQ(out_.data["draw"]["grade"], "B");
  EXPECT_DOUBLE_EQ(out_.data["draw"]["ratio"].get<double>(), 0.20);
}

// A draw that does not fit the policy fails the transition: an independent
// draw of a quota grade, a quota that is not round(ratio x N), a quota draw
// without its place.
TEST_F(VerificationMachineTest, QuotaDrawThatDoesNotFitThePolicyIsRefused) {
  Grade("D");
  c_.data = {{"commitment_type", "annual_report_truthfulness"}};
  Json independent = QuotaDraw("D", 2, 2, 0, 0);
  independent.erase("mode");
  Json wrong_quota = QuotaDraw("D", 2, 1, 0, 0);  // round(0.80 x 2) is 2
  Json no_place = QuotaDraw("D", 2, 2, 0, 0);
  no_place.erase("position");
  for (const Json& data : {independent, wrong_quota, no_place}) {
    ASSERT_TRUE(Fire("AwaitingDraw", "DrawMade", data, Date::FromYmd(2025, 3, 10)).ok());
    ASSERT_TRUE(out_.failure.has_value()) << data.dump();
    EXPECT_EQ(out_.failure->reason(), "invalid_event_data") << data.dump();
  }
}

// The seed is what makes a draw reproducible for an auditor, so a DrawMade
// without one fails the transition.
TEST_F(VerificationMachineTest, DrawWithoutSeedIsRefused) {
  c_.data = {{"commitment_type", "annual_report_truthfulness"}};
  ASSERT_TRUE(Fire("AwaitingDraw", "DrawMade", Json::object(), Date::FromYmd(2025, 3, 10)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "invalid_event_data");
}

// Scheduled --VerificationStarted / RecordStart--> InProgress
TEST_F(VerificationMachineTest, Started) {
  ASSERT_TRUE(Fire("Scheduled", "VerificationStarted", {{"inspector", "王芳"}}, Date::FromYmd(2025, 4, 1)).ok());
  EXPECT_EQ(out_.to_state, "InProgress");
  EXPECT_EQ(out_.data["inspector"], "王芳");
  EXPECT_EQ(out_.data["started_on"], "2025-04-01");
}

// Scheduled/InProgress --VerificationReported [ReportConforming|ReportNonconforming] / RecordReport
TEST_F(VerificationMachineTest, ReportsCloseTheVerification) {
  for (const char* from : {"Scheduled", "InProgress"}) {
    ASSERT_TRUE(
        Fire(from, "VerificationReported", {{"form", {{"result", "conforming"}}}}, Date::FromYmd(2025, 4, 1)).ok());
    EXPECT_EQ(out_.to_state, "Conforming") << from;
    ASSERT_EQ(EffectsOf<engine::CancelTimer>().size(), 1u) << from;
    EXPECT_EQ(EffectsOf<engine::CancelTimer>()[0]->name, "verification_due");

    ASSERT_TRUE(
        Fire(from, "VerificationReported",
             {{"form", {{"result", "nonconforming"}, {"findings", "no cold storage"}, {"rectification_days", 10}}}},
             Date::FromYmd(2025, 4, 10))
            .ok());
    EXPECT_EQ(out_.to_state, "Nonconforming") << from;
    EXPECT_EQ(out_.data["findings"], "no cold storage");
    EXPECT_EQ(out_.data["rectification_days"], 10);
    EXPECT_EQ(out_.data["verified_on"], "2025-04-10");
  }
  engine::Status st =
      Fire("Scheduled", "VerificationReported", {{"form", {{"result", "maybe"}}}}, Date::FromYmd(2025, 4, 10));
  EXPECT_EQ(st.reason(), "invalid_event_data");
}

// A report's verified_on is a past day of the case: not after today, not
// before the case was opened (the printed report shows it).
TEST_F(VerificationMachineTest, ReportDateIsADayOfTheCase) {
  c_.created_at = engine::StartOfDay(Date::FromYmd(2025, 3, 3));
  auto report_on = [&](const char* day) {
    return Fire("InProgress", "VerificationReported", {{"form", {{"result", "conforming"}, {"verified_on", day}}}},
                Date::FromYmd(2025, 4, 10));
  };
  for (const auto& [day, code] : std::vector<std::pair<const char*, const char*>>{{"2025-04-11", "in_future"},
                                                                                  {"2027-03-01", "in_future"},
                                                                                  {"2025-03-02", "before_case"},
                                                                                  {"2019-01-01", "before_case"}}) {
    ASSERT_TRUE(report_on(day).ok());
    ASSERT_TRUE(out_.failure.has_value()) << day;
    EXPECT_EQ(out_.failure->reason(), "invalid_form") << day;
    ASSERT_EQ(out_.failure->fields().size(), 1u) << day;
    EXPECT_EQ(out_.failure->fields()[0].field, "verified_on") << day;
    EXPECT_EQ(out_.failure->fields()[0].code, code) << day;
  }
  for (const char* day : {"2025-03-03", "2025-04-10"}) {
    ASSERT_TRUE(report_on(day).ok());
    EXPECT_FALSE(out_.failure.has_value()) << day;
    EXPECT_EQ(out_.data["verified_on"], day);
  }
}

// Scheduled/InProgress --VerificationOverdue / MarkOverdue--> same state
TEST_F(VerificationMachineTest, OverdueIsFlaggedAndTold) {
  c_.data = {{"due_on", "2025-04-15"}};
  for (const char* from : {"Scheduled", "InProgress"}) {
    ASSERT_TRUE(Fire(from, "VerificationOverdue", Json::object(), Date::FromYmd(2025, 4, 16)).ok());
    EXPECT_EQ(out_.to_state, from);
    EXPECT_EQ(out_.data["overdue"], true);
    ASSERT_EQ(EffectsOf<engine::SendNotice>().size(), 1u);
    EXPECT_EQ(EffectsOf<engine::SendNotice>()[0]->template_id, "verification.overdue");
  }
}

// The draw follows the policy's ratios over a large sample (fixed seed:
// deterministic, so the bounds are checked once, not hoped for).
TEST(SamplingTest, DrawFollowsRatiosOverALargeSample) {
  const int n = 20000;
  int d = 0, a = 0;
  for (int i = 0; i < n; ++i) {
    const std::string key = "commitment-" + std::to_string(i);
    d += Draw(DrawInputs{"plan:2025-03-10", key, "D", 0.80, 0, std::nullopt, std::nullopt}).selected;
    a += Draw(DrawInputs{"plan:2025-03-10", key, "A", 0.05, 0, 1, std::nullopt}).selected;
  }
  // Four standard deviations of a binomial: 0.80 -> +-226; 0.05 -> +-123.
  EXPECT_NEAR(d, 0.80 * n, 226);
  EXPECT_NEAR(a, 0.05 * n, 123);
}

TEST(SamplingTest, DrawIsAPureFunctionOfSeedAndKey) {
  EXPECT_EQ(DrawUniform("s", "k"), DrawUniform("s", "k"));
  EXPECT_NE(DrawUniform("s", "k"), DrawUniform("s2", "k"));
  EXPECT_NE(DrawUniform("s", "k"), DrawUniform("s", "k2"));
  // u = first 8 bytes of SHA-256("abc:") / 2^64; recomputable by an auditor
  // with `printf 'abc:' | sha256sum`.
  EXPECT_NEAR(DrawUniform("abc", ""), static_cast<double>(0x16a3ed4144494134ULL) / 18446744073709551616.0, 1e-12);
  const double u = DrawUniform("plan:2025-03-10", "x");
  EXPECT_GE(u, 0.0);
  EXPECT_LT(u, 1.0);
}

}  // namespace
}  // namespace credflow::workflows::verification
