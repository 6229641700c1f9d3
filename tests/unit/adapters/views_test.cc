// The case view is read in several statements; when a transition lands in
// between, the view is read again, so its deadlines and accepted events
// belong to the version it shows.
#include <gtest/gtest.h>

#include "adapters/app/views.h"
#include "tests/support/engine_harness.h"
#include "tests/support/forwarding_store.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"

namespace credflow::adapters {
namespace {

using testing::EngineHarness;

// Runs `meanwhile` once, just before a case's timers are first read: a
// transition committed by another request after the view read the case row.
class MovingStore final : public testing::ForwardingCaseStore {
 public:
  MovingStore(engine::CaseStore* inner, std::function<void()> meanwhile)
      : ForwardingCaseStore(inner), meanwhile_(std::move(meanwhile)) {}
  engine::Result<std::vector<engine::Timer>> GetTimers(const std::string& id) override {
    if (meanwhile_) std::exchange(meanwhile_, nullptr)();
    return inner_->GetTimers(id);
  }

 private:
  std::function<void()> meanwhile_;
};

TEST(CaseViewTest, ATransitionDuringTheReadIsNotMixedIntoTheView) {
  testing::InMemoryCaseStore memory;
  EngineHarness harness(&memory);
  auto filed = harness.FileFoodPermit(testing::kSubjectA);
  ASSERT_TRUE(filed.ok());
  const std::string verification = harness.ChildOf(filed->case_id, "verification");
  engine::Case before = *memory.GetCase(verification);
  ASSERT_EQ(before.state, "Scheduled");
  ASSERT_EQ(memory.GetTimers(verification)->size(), 1u);

  MovingStore moving(&memory, [&] {
    ASSERT_TRUE(harness.Fire(verification, "VerificationReported", EngineHarness::Report("conforming")).ok());
  });
  auto view = CaseView(moving, harness.workflows(), testing::ShippedRules().policies, harness.clock().Today(), before);
  ASSERT_OK(view);
  // Read once at version 2 (Scheduled, one deadline) while the report moved
  // the case to Conforming and cancelled the deadline: the view shows the
  // new version whole, never "Scheduled without a deadline".
  EXPECT_EQ((*view)["version"], before.version + 1);
  EXPECT_EQ((*view)["state"], "Conforming");
  EXPECT_TRUE((*view)["deadlines"].empty());
  EXPECT_TRUE((*view)["events_allowed"].empty());
}

}  // namespace
}  // namespace credflow::adapters
