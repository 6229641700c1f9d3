// UnitOfWork: a command's writes are held and written once, each case with
// its final state; reads see the command's own writes; the optimistic check
// is made against the version a case was loaded at.
#include <gtest/gtest.h>

#include <map>

#include "engine/unit_of_work.h"
#include "tests/support/engine_harness.h"
#include "tests/support/forwarding_store.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/status_matchers.h"

namespace credflow::testing {
namespace {

using engine::Case;
using engine::Json;
using engine::Status;
using engine::StoreTransaction;
using engine::UnitOfWork;

// Counts what reaches the store, by operation.
class CountingTransaction final : public ForwardingTransaction {
 public:
  explicit CountingTransaction(StoreTransaction* tx) : ForwardingTransaction(tx) {}
  std::map<std::string, int> calls;

  engine::Result<Case> LoadCase(const std::string& id) override { return ++calls["load"], inner_->LoadCase(id); }
  Status InsertCase(const Case& c) override { return ++calls["insert"], inner_->InsertCase(c); }
  Status UpdateCase(const Case& c, int64_t v) override { return ++calls["update"], inner_->UpdateCase(c, v); }
  Status AppendHistory(const engine::HistoryEvent& e) override { return ++calls["history"], inner_->AppendHistory(e); }
  Status PutTimer(const engine::Timer& t) override { return ++calls["timer"], inner_->PutTimer(t); }
  engine::Result<engine::SubjectFacts> LoadSubjectFacts(const std::string& s) override {
    return ++calls["facts"], inner_->LoadSubjectFacts(s);
  }
  engine::Result<engine::SubjectFacts> LoadSubjectFactsOfKinds(const std::string& s,
                                                               const std::vector<std::string>& kinds) override {
    return ++calls["scoped"], inner_->LoadSubjectFactsOfKinds(s, kinds);
  }
  Status PutSubjectRecord(const engine::SubjectRecord& r) override {
    return ++calls["record"], inner_->PutSubjectRecord(r);
  }
};

Case NewCase(const std::string& id) {
  Case c;
  c.id = id;
  c.workflow = "task";
  c.subject = kSubjectA;
  c.state = "Pending";
  c.outcome = "pending";
  c.version = 1;
  return c;
}

engine::HistoryEvent Event(const std::string& case_id, int64_t seq) {
  engine::HistoryEvent e;
  e.case_id = case_id;
  e.seq = seq;
  e.event = seq == 1 ? "CaseOpened" : "Step";
  e.to_state = "Pending";
  return e;
}

TEST(UnitOfWorkTest, ACaseInsertedAndChangedIsInsertedOnceWithItsFinalState) {
  InMemoryCaseStore store;
  std::map<std::string, int> calls;
  ASSERT_TRUE(store
                  .RunInTransaction([&](StoreTransaction& raw) {
                    CountingTransaction tx(&raw);
                    UnitOfWork work(&tx);
                    Case c = NewCase("c1");
                    CREDFLOW_RETURN_IF_ERROR(work.InsertCase(c));
                    CREDFLOW_RETURN_IF_ERROR(work.AppendHistory(Event("c1", 1)));
                    for (int64_t v = 2; v <= 3; ++v) {
                      engine::Result<Case> now = work.LoadCase("c1");  // its own write, not the store
                      EXPECT_TRUE(now.ok());
                      Case next = *now;
                      next.version = v;
                      next.state = "Step" + std::to_string(v);
                      CREDFLOW_RETURN_IF_ERROR(work.UpdateCase(next, v - 1));
                      CREDFLOW_RETURN_IF_ERROR(work.AppendHistory(Event("c1", v)));
                    }
                    EXPECT_TRUE(tx.calls.empty()) << "nothing reaches the store before Flush";
                    CREDFLOW_RETURN_IF_ERROR(work.Flush());
                    EXPECT_EQ(work.InsertedCases(), (std::vector<std::pair<std::string, std::string>>{{"c1", "task"}}));
                    EXPECT_EQ(work.HistoryWorkflows(), (std::vector<std::string>{"task", "task", "task"}));
                    calls = tx.calls;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(calls, (std::map<std::string, int>{{"insert", 1}, {"history", 3}}));
  EXPECT_EQ(store.GetCase("c1")->version, 3);
  EXPECT_EQ(store.GetCase("c1")->state, "Step3");
  EXPECT_EQ(store.GetHistory("c1")->size(), 3u);
}

TEST(UnitOfWorkTest, CancellingATimerOfANewCaseWritesNothingUnlessItWasPut) {
  InMemoryCaseStore store;
  ASSERT_TRUE(store
                  .RunInTransaction([&](StoreTransaction& raw) {
                    UnitOfWork work(&raw);
                    CREDFLOW_RETURN_IF_ERROR(work.InsertCase(NewCase("c1")));
                    CREDFLOW_RETURN_IF_ERROR(work.CancelTimer("c1", "publication"));  // nothing to cancel
                    engine::Timer t;
                    t.id = "t1";
                    t.case_id = "c1";
                    t.name = "window";
                    t.event = "Overdue";
                    CREDFLOW_RETURN_IF_ERROR(work.PutTimer(t));
                    CREDFLOW_RETURN_IF_ERROR(work.CancelTimer("c1", "window"));  // its own: cancelled
                    return work.Flush();
                  })
                  .ok());
  EXPECT_TRUE(store.GetTimers("c1")->empty());
}

TEST(UnitOfWorkTest, ALoadedCaseIsUpdatedOnceAndCheckedAtTheVersionItWasLoadedAt) {
  InMemoryCaseStore store;
  ASSERT_TRUE(store.RunInTransaction([](StoreTransaction& tx) { return tx.InsertCase(NewCase("c1")); }).ok());
  std::map<std::string, int> calls;
  ASSERT_TRUE(store
                  .RunInTransaction([&](StoreTransaction& raw) {
                    CountingTransaction tx(&raw);
                    UnitOfWork work(&tx);
                    for (int64_t v = 2; v <= 4; ++v) {
                      Case next = *work.LoadCase("c1");
                      next.version = v;
                      CREDFLOW_RETURN_IF_ERROR(work.UpdateCase(next, v - 1));
                    }
                    // A stale expectation fails at once, as the store would.
                    Case stale = *work.LoadCase("c1");
                    Status st = work.UpdateCase(stale, 2);
                    EXPECT_EQ(st.reason(), "version_mismatch");
                    CREDFLOW_RETURN_IF_ERROR(work.Flush());
                    calls = tx.calls;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(calls, (std::map<std::string, int>{{"load", 1}, {"update", 1}}));
  EXPECT_EQ(store.GetCase("c1")->version, 4);
}

TEST(UnitOfWorkTest, AConcurrentWriteIsCaughtAtFlush) {
  InMemoryCaseStore store;
  ASSERT_TRUE(store.RunInTransaction([](StoreTransaction& tx) { return tx.InsertCase(NewCase("c1")); }).ok());
  Status st = store.RunInTransaction([&](StoreTransaction& raw) {
    UnitOfWork work(&raw);
    Case next = *work.LoadCase("c1");
    // Another command got there first (here: in the same transaction, under
    // the unit of work's feet).
    Case theirs = next;
    theirs.version = 2;
    CREDFLOW_RETURN_IF_ERROR(raw.UpdateCase(theirs, 1));
    next.version = 2;
    CREDFLOW_RETURN_IF_ERROR(work.UpdateCase(next, 1));
    return work.Flush();
  });
  EXPECT_TRUE(st.IsConflict()) << st.ToString();
  EXPECT_EQ(st.reason(), "version_mismatch");
  EXPECT_EQ(store.GetCase("c1")->version, 1) << "the transaction rolled back";
}

TEST(UnitOfWorkTest, FactsLoadedOnceSeeTheRecordsTheCommandWrote) {
  InMemoryCaseStore store;
  ASSERT_TRUE(store
                  .RunInTransaction([&](StoreTransaction& raw) {
                    CountingTransaction tx(&raw);
                    UnitOfWork work(&tx);
                    engine::SubjectRecord before{"r0", kSubjectA, "false_commitment", "active", "c0", Json::object(),
                                                 {},   {}};
                    CREDFLOW_RETURN_IF_ERROR(work.PutSubjectRecord(before));  // held, then laid over the loaded facts
                    engine::Result<engine::SubjectFacts> facts = work.LoadSubjectFacts(kSubjectA);
                    EXPECT_TRUE(facts.ok() && facts->HasActive("false_commitment"));
                    engine::SubjectRecord repaired = before;
                    repaired.status = "repaired";
                    CREDFLOW_RETURN_IF_ERROR(work.PutSubjectRecord(repaired));
                    facts = work.LoadSubjectFacts(kSubjectA);
                    EXPECT_EQ(facts->records.size(), 1u);
                    EXPECT_FALSE(facts->HasActive("false_commitment"));
                    EXPECT_EQ(tx.calls["facts"], 1);
                    EXPECT_EQ(tx.calls["record"], 0);
                    CREDFLOW_RETURN_IF_ERROR(work.Flush());
                    EXPECT_EQ(tx.calls["record"], 2);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(store.GetSubjectFacts(kSubjectA)->records.at(0).status, "repaired");
}

// A scoped read of the same kinds is read once; it sees the records the
// command wrote since, of those kinds only.
TEST(UnitOfWorkTest, ScopedFactsAreReadOnceAndSeeTheCommandsOwnRecords) {
  InMemoryCaseStore store;
  ASSERT_TRUE(store
                  .RunInTransaction([&](StoreTransaction& raw) {
                    CountingTransaction tx(&raw);
                    UnitOfWork work(&tx);
                    const std::vector<std::string> kinds = {"remediation_ledger"};
                    engine::Result<engine::SubjectFacts> facts = work.LoadSubjectFactsOfKinds(kSubjectA, kinds);
                    EXPECT_TRUE(facts.ok() && facts->records.empty());
                    CREDFLOW_RETURN_IF_ERROR(work.PutSubjectRecord(
                        {"r1", kSubjectA, "remediation_ledger", "in_ledger", "c1", Json::object(), {}, {}}));
                    CREDFLOW_RETURN_IF_ERROR(
                        work.PutSubjectRecord({"r2", kSubjectA, "penalty", "active", "c2", Json::object(), {}, {}}));
                    facts = work.LoadSubjectFactsOfKinds(kSubjectA, kinds);
                    EXPECT_TRUE(facts.ok());
                    EXPECT_EQ(facts->records.size(), 1u);
                    EXPECT_EQ(facts->records.at(0).id, "r1");
                    EXPECT_EQ(tx.calls["scoped"], 1);
                    facts = work.LoadSubjectFactsOfKinds(kSubjectA, {"penalty"});  // other kinds: read again
                    EXPECT_EQ(facts->records.size(), 1u);
                    EXPECT_EQ(tx.calls["scoped"], 2);
                    return Status::Ok();
                  })
                  .ok());
}

// The cases a command opened also survive the JSON form in which its answer
// is kept for idempotent replays.
TEST(UnitOfWorkTest, AFilingWritesEachCaseOnceAndNamesTheCasesItOpened) {
  InMemoryCaseStore store;
  EngineHarness harness(&store);
  auto filed = harness.FileFoodPermit(kSubjectA);
  ASSERT_OK(filed);
  // The subject, registered by the filing, and the verification.
  ASSERT_EQ(filed->opened.size(), 2u);
  EXPECT_EQ(filed->opened[0].second, "subject");
  EXPECT_EQ(filed->opened[1].second, "verification");
  EXPECT_EQ(filed->opened[1].first, harness.ChildOf(filed->case_id, "verification"));
  EXPECT_EQ(filed->ToJson()["opened"],
            Json::parse(R"([{"id":")" + filed->opened[0].first + R"(","workflow":"subject"},{"id":")" +
                        filed->opened[1].first + R"(","workflow":"verification"}])"));
  EXPECT_EQ(engine::CommandResult::FromJson(filed->ToJson()).opened, filed->opened);
  // Seven transitions in all (the subject opened and registered; the
  // commitment opened, filed and signed; the verification opened and
  // scheduled), in one unit of work.
  EXPECT_EQ(store.GetCase(filed->opened[0].first)->version, 2);
  EXPECT_EQ(store.GetCase(filed->case_id)->version, 3);
  EXPECT_EQ(store.GetCase(filed->opened[1].first)->version, 2);
}

}  // namespace
}  // namespace credflow::testing
