// The auditor's check of projections on the in-memory store: every row the
// store keeps beside the histories is what the histories derive, and a row
// that was deleted, edited or added by hand is named and can be rebuilt.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "engine/projections.h"
#include "tests/support/engine_harness.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/subject/subject_workflow.h"
#include "workflows/verification/verification_workflow.h"

namespace credflow::testing {
namespace {

using engine::Json;

class ProjectionsTest : public ::testing::Test {
 protected:
  ProjectionsTest() : harness_(&store_) {}

  // A food permit found untrue and not rectified: a false-commitment record
  // and a penalty referral, and a commitment route closed.
  void RevokedCommitment() {
    harness_.SetDate("2025-04-01");
    auto filed = harness_.FileFoodPermit(kSubjectA);
    ASSERT_OK(filed);
    const std::string verification = harness_.ChildOf(filed->case_id, "verification");
    const Json report = {{"form", {{"result", "nonconforming"}, {"findings", "no cold storage"}}}};
    ASSERT_TRUE(harness_.Fire(verification, "VerificationReported", report).ok());
    ASSERT_TRUE(harness_.service().FireDueTimers().ok());
    false_commitment_ = harness_.ChildOf(filed->case_id, "false_commitment");
    ASSERT_FALSE(false_commitment_.empty());
    harness_.SetDate("2025-06-02");
    ASSERT_TRUE(harness_.service().FireDueTimers().ok());
    ASSERT_EQ(store_.GetCase(false_commitment_)->state, "Revoked");
  }

  engine::ProjectionReport Check() {
    auto report = engine::CheckProjections(store_, harness_.workflows(), ShippedRules().book());
    EXPECT_OK(report);
    return report.ok() ? *report : engine::ProjectionReport{};
  }

  engine::Status Tx(const std::function<engine::Status(engine::StoreTransaction&)>& fn) {
    return store_.RunInTransaction(fn);
  }

  InMemoryCaseStore store_;
  EngineHarness harness_;
  std::string false_commitment_;
};

TEST_F(ProjectionsTest, AStoreWrittenByTheEngineIsClean) {
  ASSERT_NO_FATAL_FAILURE(RevokedCommitment());
  const engine::ProjectionReport report = Check();
  EXPECT_TRUE(report.clean()) << (report.differences.empty() ? "" : report.differences[0].ToString());
  EXPECT_EQ(report.records, 2);  // the false commitment and the penalty referral
}

// A deleted record, an edited one, a record no history wrote and an edited
// case column are each named; the rebuild restores exactly the derived rows.
TEST_F(ProjectionsTest, TamperingIsNamedAndRebuilt) {
  ASSERT_NO_FATAL_FAILURE(RevokedCommitment());
  const std::string record = false_commitment_ + ":false_commitment";
  const std::string referral = false_commitment_ + ":penalty_referral";
  auto facts = store_.GetSubjectFacts(kSubjectA);
  engine::SubjectRecord edited;
  for (const engine::SubjectRecord& r : facts->records) {
    if (r.id == referral) edited = r;
  }
  edited.status = "withdrawn";
  engine::SubjectRecord stray = edited;
  stray.id = "forged";
  ASSERT_TRUE(Tx([&](engine::StoreTransaction& tx) {
                CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord(record));
                CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(edited));
                CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(stray));
                auto c = tx.LoadCase(false_commitment_);
                if (!c.ok()) return c.status();
                engine::Case moved = *c;
                moved.department = "elsewhere";
                return tx.ReplaceCase(moved);
              }).ok());
  EXPECT_FALSE(store_.GetSubjectFacts(kSubjectA)->HasActive("false_commitment")) << "the route reopened";

  const engine::ProjectionReport report = Check();
  ASSERT_EQ(report.differences.size(), 4u);
  std::set<std::string> named;
  for (const engine::ProjectionDifference& d : report.differences) named.insert(d.table + " " + d.key + " " + d.field);
  EXPECT_EQ(named,
            (std::set<std::string>{"cases " + false_commitment_ + " department", "subject_records " + record + " row",
                                   "subject_records " + referral + " row", "subject_records forged row"}));
  EXPECT_EQ(report.differences[0].table, "cases") << "cases first, then records";

  auto dry = engine::RebuildProjections(store_, harness_.workflows(), ShippedRules().book(), /*dry_run=*/true);
  ASSERT_TRUE(dry.ok());
  EXPECT_EQ(dry->rewritten, 0);
  EXPECT_EQ(Check().differences.size(), 4u);

  auto rebuilt = engine::RebuildProjections(store_, harness_.workflows(), ShippedRules().book(), /*dry_run=*/false);
  ASSERT_OK(rebuilt);
  EXPECT_EQ(rebuilt->rewritten, 4);
  EXPECT_TRUE(Check().clean());
  EXPECT_TRUE(store_.GetSubjectFacts(kSubjectA)->HasActive("false_commitment")) << "the route is closed again";
  EXPECT_EQ(store_.GetCase(false_commitment_)->department, "");
}

// A subject's profile is its subject case's data (the filing registered
// it): one edited by hand is named, with what the history says.
TEST_F(ProjectionsTest, AnEditedSubjectProfileIsNamed) {
  harness_.SetDate("2025-03-03");
  ASSERT_TRUE(harness_.FileFoodPermit(kSubjectB).ok());
  ASSERT_TRUE(Tx([&](engine::StoreTransaction& tx) {
                engine::SubjectProfile p;
                p.code = kSubjectB;
                p.name = "伪造企业";
                p.status = "operating";
                p.grade = "A";
                return tx.PutSubjectProfile(p);
              }).ok());
  const engine::ProjectionReport report = Check();
  ASSERT_EQ(report.differences.size(), 1u);
  EXPECT_EQ(report.differences[0].table, "subjects");
  EXPECT_EQ(report.differences[0].key, kSubjectB);
  EXPECT_NE(report.differences[0].stored.find("伪造企业"), std::string::npos);
  EXPECT_NE(report.differences[0].derived.find("苏州禾丰餐饮管理有限公司"), std::string::npos)
      << "the subject case the filing opened registered it";
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// A case whose history cannot be replayed (here: its workflow is not in the
// registry) is reported as such, and the records it wrote are left alone:
// neither called unexplained nor deleted by a rebuild.
TEST_F(ProjectionsTest, RecordsOfAnUnreplayableCaseAreLeftAlone) {
  ASSERT_NO_FATAL_FAILURE(RevokedCommitment());
  engine::WorkflowRegistry partial;
  partial.Add(workflows::commitment::NewCommitmentWorkflow());
  partial.Add(workflows::verification::NewVerificationWorkflow());
  partial.Add(workflows::subject::NewSubjectWorkflow());
  auto report = engine::CheckProjections(store_, partial, ShippedRules().book());
  ASSERT_OK(report);
  ASSERT_EQ(report->unreplayable.size(), 1u);
  EXPECT_NE(report->unreplayable[0].find(false_commitment_), std::string::npos);
  EXPECT_TRUE(report->differences.empty()) << report->differences[0].ToString();

  auto rebuilt = engine::RebuildProjections(store_, partial, ShippedRules().book(), /*dry_run=*/false);
  ASSERT_OK(rebuilt);
  EXPECT_EQ(rebuilt->rewritten, 0);
  EXPECT_TRUE(store_.GetSubjectFacts(kSubjectA)->HasActive("false_commitment")) << "the record is still there";
}

}  // namespace
}  // namespace credflow::testing
