// Simplified deregistration's exclusions read the subject's list records as
// the store keeps them: records written through the store (as the lifecycle
// that lists subjects will write them) send a filing to ordinary procedure
// from the start, on every store; a record no longer active does not. The
// `closed` flag the engine writes with each case is what "open" means there.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engine/case_store.h"
#include "tests/support/engine_harness.h"
#include "tests/support/scratch_store.h"
#include "tests/support/status_matchers.h"
#include "workflows/common/record_kinds.h"

namespace credflow::testing {
namespace {

class CommitmentExclusionTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(scratch_.Open(GetParam()));
    harness_ = std::make_unique<EngineHarness>(scratch_.store());
    harness_->SetDate("2025-07-01");
  }
  void TearDown() override {
    harness_.reset();
    scratch_.Close();
  }

  engine::CaseStore& store() { return *scratch_.store(); }

  void PutRecord(const std::string& id, const std::string& kind, const std::string& status) {
    engine::SubjectRecord r;
    r.id = id;
    r.subject = kSubjectC;
    r.kind = kind;
    r.status = status;
    r.case_id = "listed-elsewhere";
    r.data = {{"department", "market-regulation"}};
    r.created_at = harness_->clock().Now();
    r.updated_at = r.created_at;
    ASSERT_OK(store().RunInTransaction([&](engine::StoreTransaction& tx) { return tx.PutSubjectRecord(r); }));
  }

  ScratchStore scratch_;
  std::unique_ptr<EngineHarness> harness_;
};

// An active abnormal-list record: ordinary procedure at once (in_abnormal_list),
// no timer, and the case is closed. Once the record is no longer active, the
// same subject's undertaking is published.
TEST_P(CommitmentExclusionTest, AnAbnormalListRecordInTheStoreClosesSimplifiedDeregistration) {
  ASSERT_NO_FATAL_FAILURE(PutRecord("abnormal-1", workflows::kAbnormalListRecord, workflows::kActiveRecord));
  auto excluded = harness_->FileDeregistration(kSubjectC);
  ASSERT_OK(excluded);
  EXPECT_EQ(excluded->state, "OrdinaryProcedure");
  EXPECT_EQ(excluded->reason, "in_abnormal_list");
  auto stored = store().GetCase(excluded->case_id);
  ASSERT_OK(stored);
  EXPECT_TRUE(stored->closed);
  EXPECT_TRUE(store().GetTimers(excluded->case_id)->empty());

  ASSERT_NO_FATAL_FAILURE(PutRecord("abnormal-1", workflows::kAbnormalListRecord, "repaired"));
  auto published = harness_->FileDeregistration(kSubjectC);
  ASSERT_OK(published);
  EXPECT_EQ(published->state, "InPublication");
  engine::CaseQuery open;
  open.subject = kSubjectC;
  open.workflow = "commitment";
  open.open_only = true;
  auto listed = store().FindCases(open);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, published->case_id);
}

// A serious-list record does the same, with its own reason.
TEST_P(CommitmentExclusionTest, ASeriousListRecordInTheStoreClosesSimplifiedDeregistration) {
  ASSERT_NO_FATAL_FAILURE(PutRecord("serious-1", workflows::kSeriousListRecord, workflows::kActiveRecord));
  auto excluded = harness_->FileDeregistration(kSubjectC);
  ASSERT_OK(excluded);
  EXPECT_EQ(excluded->state, "OrdinaryProcedure");
  EXPECT_EQ(excluded->reason, "in_serious_list");
}

std::string StoreName(const ::testing::TestParamInfo<std::string>& param) { return param.param; }

INSTANTIATE_TEST_SUITE_P(Stores, CommitmentExclusionTest, ::testing::Values("memory", "sqlite", "postgresql"),
                         StoreName);

}  // namespace
}  // namespace credflow::testing
