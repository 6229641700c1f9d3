// Group commit (adapters/store/soci_transaction.h) on both databases: the
// writes of concurrent commands commit in one transaction, a command whose
// write fails fails alone, and nothing is answered before its COMMIT.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/soci_case_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/store_rows.h"
#include "tests/support/test_databases.h"

namespace credflow {
namespace {

using adapters::SociCaseStore;
using adapters::StoreOptions;
using engine::Case;
using engine::HistoryEvent;
using engine::Notice;
using engine::Status;
using engine::StoreTransaction;
using engine::Timestamp;

constexpr int kCommands = 8;

using testing::At;
using testing::MakeStoreCase;

HistoryEvent EventFor(const Case& c) {
  HistoryEvent e;
  e.case_id = c.id;
  e.seq = c.version;
  e.event = "Checked";
  e.from_state = "Filed";
  e.to_state = c.state;
  e.actor = {"officer", "caseworker", ""};
  e.at = c.updated_at;
  e.payload = engine::Json::object();
  e.policy = c.policy;
  e.prev_hash = std::string(64, '0');
  e.hash = std::string(63, '1') + std::to_string(c.version % 10);
  return e;
}

Notice NoticeFor(const std::string& id, const std::string& case_id) {
  Notice n;
  n.id = id;
  n.case_id = case_id;
  n.recipient = "91110000MA00000001";
  n.template_id = "checked";
  n.created_at = At("2025-03-03T00:00:00Z");
  return n;
}

// The backends, by name: "sqlite" or "postgresql".
class GroupCommitTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string Url() {
    if (GetParam() == "sqlite") return sqlite_.url();
    pg_ = std::make_unique<testing::ScratchPgDatabase>();
    EXPECT_OK(*pg_);
    return pg_->url();
  }

  // A store whose group leaders wait (up to 10 s) until `group` commands
  // queued, so that they commit as one group.
  std::unique_ptr<SociCaseStore> Open(std::size_t group) {
    StoreOptions options;
    options.pool_size = kCommands + 1;
    options.before_group_commit = [this, group] {
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (store_ != nullptr && store_->GroupCommitQueue() < group && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    };
    auto opened = SociCaseStore::Open(Url(), options);
    EXPECT_OK(opened);
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  testing::ScratchSqliteFile sqlite_;
  std::unique_ptr<testing::ScratchPgDatabase> pg_;
  std::unique_ptr<SociCaseStore> store_;
};

// Eight commands commit in one group. Command 3 updates its case at a
// version it does not have, command 5 queues a notice whose id is taken
// (a failed row check and a broken constraint): each of those two fails
// alone, with its own error, and writes nothing; the six others commit.
TEST_P(GroupCommitTest, AFailedWriteFailsItsCommandAloneAndTheGroupCommits) {
  store_ = Open(kCommands);
  ASSERT_NE(store_, nullptr);
  for (int i = 0; i < kCommands; ++i) {
    ASSERT_OK(store_->RunInTransaction(
        [&](StoreTransaction& tx) { return tx.InsertCase(MakeStoreCase("case-" + std::to_string(i))); }));
  }
  ASSERT_OK(store_->RunInTransaction([&](StoreTransaction& tx) { return tx.PutNotice(NoticeFor("taken", "case-0")); }));
  const uint64_t groups_before = store_->GroupsCommitted();
  const uint64_t grouped_before = store_->TransactionsGrouped();

  std::vector<Status> results(kCommands);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCommands; ++i) {
    threads.emplace_back([&, i] {
      const std::string id = "case-" + std::to_string(i);
      results[i] = store_->RunOptimistic([&](StoreTransaction& tx) -> Status {
        engine::Result<Case> loaded = tx.LoadCase(id);
        if (!loaded.ok()) return loaded.status();
        Case next = *loaded;
        next.version = loaded->version + 1;
        next.state = "Checked";
        const int64_t expected = i == 3 ? loaded->version + 5 : loaded->version;
        if (i == 3) next.version = expected + 1;
        CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(next, expected));
        CREDFLOW_RETURN_IF_ERROR(tx.AppendHistoryBatch({EventFor(next)}));
        return tx.PutNotice(NoticeFor(i == 5 ? "taken" : "notice-" + std::to_string(i), id));
      });
    });
  }
  for (std::thread& t : threads) t.join();

  for (int i = 0; i < kCommands; ++i) {
    const std::string id = "case-" + std::to_string(i);
    auto stored = store_->GetCase(id);
    ASSERT_OK(stored);
    auto history = store_->GetHistory(id);
    ASSERT_OK(history);
    if (i == 3) {
      EXPECT_TRUE(results[i].IsConflict()) << results[i].ToString();
      EXPECT_EQ(results[i].reason(), "version_mismatch");
    } else if (i == 5) {
      EXPECT_EQ(results[i].reason(), "notice_exists") << results[i].ToString();
    } else {
      EXPECT_TRUE(results[i].ok()) << "command " << i << ": " << results[i].ToString();
    }
    const bool committed = i != 3 && i != 5;
    EXPECT_EQ(stored->version, committed ? 2 : 1) << id;
    EXPECT_EQ(stored->state, committed ? "Checked" : "Filed") << id;
    EXPECT_EQ(history->size(), committed ? 1u : 0u) << id;
  }
  EXPECT_EQ(store_->GroupsCommitted() - groups_before, 1u);
  EXPECT_EQ(store_->TransactionsGrouped() - grouped_before, static_cast<uint64_t>(kCommands - 2));
}

// A gathering transaction that reads after its own write begins a real
// transaction there: the read sees the write, and the commit keeps both.
TEST_P(GroupCommitTest, AReadAfterAWriteSeesIt) {
  store_ = Open(1);
  ASSERT_NE(store_, nullptr);
  ASSERT_OK(store_->RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(MakeStoreCase("case-r")); }));
  ASSERT_OK(store_->RunOptimistic([&](StoreTransaction& tx) -> Status {
    Case next = MakeStoreCase("case-r");
    next.version = 2;
    next.state = "Checked";
    CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(next, 1));
    engine::Result<Case> again = tx.LoadCase("case-r");
    if (!again.ok()) return again.status();
    EXPECT_EQ(again->version, 2);
    return tx.PutNotice(NoticeFor("after-read", "case-r"));
  }));
  auto stored = store_->GetCase("case-r");
  ASSERT_OK(stored);
  EXPECT_EQ(stored->version, 2);
  EXPECT_EQ(store_->GroupsCommitted(), 0u) << "it committed as a transaction of its own";
}

// A command that fails (its callback returns an error) leaves nothing
// behind, though its writes were only gathered; one that only reads commits
// nothing and joins no group.
TEST_P(GroupCommitTest, AFailedOrReadOnlyCommandWritesNothing) {
  store_ = Open(1);
  ASSERT_NE(store_, nullptr);
  ASSERT_OK(store_->RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(MakeStoreCase("case-f")); }));
  Status refused = store_->RunOptimistic([&](StoreTransaction& tx) -> Status {
    CREDFLOW_RETURN_IF_ERROR(tx.PutNotice(NoticeFor("never", "case-f")));
    return Status::FailedPrecondition("refused", "the command refused");
  });
  EXPECT_EQ(refused.reason(), "refused");
  ASSERT_OK(store_->RunOptimistic([&](StoreTransaction& tx) { return tx.LoadCase("case-f").status(); }));
  EXPECT_EQ(store_->GroupsCommitted(), 0u);
  // The id "never" is free: the refused command wrote nothing.
  ASSERT_OK(store_->RunOptimistic([&](StoreTransaction& tx) { return tx.PutNotice(NoticeFor("never", "case-f")); }));
  EXPECT_EQ(store_->GroupsCommitted(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, GroupCommitTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace credflow
