// The monthly recomputation of risk grades that `credflow serve` runs: not
// before the policy's day of the month, once a month (a second look the same
// month does nothing, even after grades would change), and again the next
// month.
#include <gtest/gtest.h>

#include "tests/support/engine_harness.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/status_matchers.h"
#include "workflows/record/record_workflow.h"
#include "workflows/subject/grading.h"
#include "workflows/subject/subject_service.h"

namespace credflow::workflows::subject {
namespace {

using engine::Json;
using testing::EngineHarness;

constexpr const char* kSubject = "91320500MA1ENF0138";
const engine::Actor kOfficer{"officer", "caseworker", ""};

std::string GradeOf(testing::InMemoryCaseStore& store) {
  engine::Result<engine::SubjectFacts> facts = store.GetSubjectFacts(kSubject);
  EXPECT_TRUE(facts.ok() && facts->profile);
  return facts.ok() && facts->profile ? facts->profile->grade : "";
}

void SeriousListEntry(EngineHarness& h, const char* decided_on) {
  record::RecordDishonestyRequest r;
  r.subject = kSubject;
  r.record = {{"department", "market-regulation"}, {"platform", "gsxt"}, {"kind", "serious_list"},
              {"decided_on", decided_on}};
  r.actor = kOfficer;
  engine::Result<engine::CommandResult> recorded = record::RecordDishonesty(h.service(), r);
  ASSERT_OK(recorded.status());
}

TEST(MonthlyRegradeTest, RunsOnceAMonthFromThePolicyDay) {
  testing::InMemoryCaseStore store;
  EngineHarness h(&store);
  h.SetDate("2026-11-20");
  RegisterSubjectRequest reg;
  reg.code = kSubject;
  reg.name = "苏州某某食品有限公司";
  reg.grade = "B";
  reg.actor = kOfficer;
  engine::Result<SubjectAnswer> registered = RegisterSubject(h.service(), reg);
  ASSERT_OK(registered.status());

  // The shipped schedule is the 1st: the first look of November runs it
  // (nothing to change), a second look the same month does nothing.
  engine::Result<MonthlyRegrade> run = RunMonthlyRegrade(h.service());
  ASSERT_OK(run.status());
  EXPECT_EQ(run->month, "2026-11");
  EXPECT_EQ(run->state, "ran");
  EXPECT_EQ(run->subjects, 1);
  EXPECT_EQ(run->changed, 0);

  h.SetDate("2026-11-30");
  SeriousListEntry(h, "2026-11-25");
  run = RunMonthlyRegrade(h.service());
  ASSERT_OK(run.status());
  EXPECT_EQ(run->state, "done");
  EXPECT_EQ(GradeOf(store), "B");

  // December's run sees the serious-list entry: D, by a GradeSet with
  // source recompute.
  h.SetDate("2026-12-01");
  run = RunMonthlyRegrade(h.service());
  ASSERT_OK(run.status());
  EXPECT_EQ(run->month, "2026-12");
  EXPECT_EQ(run->state, "ran");
  EXPECT_EQ(run->changed, 1);
  EXPECT_EQ(GradeOf(store), "D");
  engine::Result<engine::SubjectFacts> facts = store.GetSubjectFacts(kSubject);
  ASSERT_OK(facts.status());
  EXPECT_EQ(facts->profile->grade_source, "recompute");
}

}  // namespace
}  // namespace credflow::workflows::subject
