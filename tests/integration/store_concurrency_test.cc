// SociCaseStore under real concurrency: separate connections (and separate
// stores, as separate credflow processes would have) racing on one
// PostgreSQL database, plus the SQLite writer queue.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/fifo_mutex.h"
#include "adapters/store/migrations.h"
#include "adapters/store/soci_case_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/store_rows.h"
#include "tests/support/test_databases.h"

namespace credflow {
namespace {

using adapters::SociCaseStore;
using adapters::StoreOptions;
using engine::Case;
using engine::Status;
using engine::StoreTransaction;
using engine::Timer;
using engine::Timestamp;

// Lets `count` threads wait until all of them arrived.
class Latch {
 public:
  explicit Latch(int count) : count_(count) {}
  void ArriveAndWait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--count_ <= 0) {
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [&] { return count_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_;
};

using testing::At;

Case MakeCase(const std::string& id) { return testing::MakeStoreCase(id); }

std::unique_ptr<SociCaseStore> OpenStore(const std::string& url, std::size_t pool_size = 4) {
  StoreOptions options;
  options.pool_size = pool_size;
  auto opened = SociCaseStore::Open(url, options);
  EXPECT_OK(opened);
  return opened.ok() ? std::move(opened).value() : nullptr;
}

class StoreConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(db_); }
  testing::ScratchPgDatabase db_;
};

// Two connections load the same case and write conflicting updates: exactly
// one commits, the other gets Conflict("version_mismatch"), and the case ends
// one version up.
TEST_F(StoreConcurrencyTest, ConflictingUpdatesOneCommitsOtherConflicts) {
  auto first = OpenStore(db_.url());
  auto second = OpenStore(db_.url());
  ASSERT_TRUE(first && second);
  SociCaseStore* stores[2] = {first.get(), second.get()};

  for (int round = 0; round < 5; ++round) {
    const std::string id = "case-" + std::to_string(round);
    ASSERT_TRUE(first->RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(MakeCase(id)); }).ok());

    Latch both_loaded(2);
    Status results[2];
    std::thread threads[2];
    for (int i = 0; i < 2; ++i) {
      threads[i] = std::thread([&, i] {
        results[i] = stores[i]->RunInTransaction([&](StoreTransaction& tx) {
          auto loaded = tx.LoadCase(id);
          both_loaded.ArriveAndWait();  // both have read version 1
          if (!loaded.ok()) return loaded.status();
          Case next = loaded.value();
          next.version = loaded->version + 1;
          next.state = i == 0 ? "ByFirst" : "BySecond";
          CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(next, loaded->version));
          // Hold the row lock a moment so the other update really waits on it.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          return Status::Ok();
        });
      });
    }
    for (std::thread& t : threads) t.join();

    const int committed = results[0].ok() + results[1].ok();
    EXPECT_EQ(committed, 1) << results[0].ToString() << " / " << results[1].ToString();
    const int loser = results[0].ok() ? 1 : 0;
    EXPECT_TRUE(results[loser].IsConflict()) << results[loser].ToString();
    EXPECT_EQ(results[loser].reason(), "version_mismatch");

    auto stored = first->GetCase(id);
    ASSERT_OK(stored);
    EXPECT_EQ(stored->version, 2);
    EXPECT_EQ(stored->state, results[0].ok() ? "ByFirst" : "BySecond");
  }
}

// Eight claimers on two stores drain 200 due timers: every timer is claimed
// exactly once, none is lost, and no transaction fails.
TEST_F(StoreConcurrencyTest, ConcurrentClaimersTakeEachTimerExactlyOnce) {
  auto a = OpenStore(db_.url(), 4);
  auto b = OpenStore(db_.url(), 4);
  ASSERT_TRUE(a && b);

  constexpr int kTimers = 200;
  constexpr int kThreads = 8;
  std::set<std::string> all_ids;
  ASSERT_TRUE(a->RunInTransaction([&](StoreTransaction& tx) {
                 for (int i = 0; i < kTimers; ++i) {
                   Timer t;
                   t.id = "timer-" + std::to_string(1000 + i);
                   t.case_id = "case-" + std::to_string(i % 37);
                   t.name = "deadline-" + std::to_string(i);
                   t.event = "DeadlineExpired";
                   t.due_on = policies::Date::FromYmd(2025, 3, 1 + i % 28);
                   t.fire_at = engine::StartOfDay(t.due_on.AddDays(1));
                   all_ids.insert(t.id);
                   CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(t));
                 }
                 return Status::Ok();
               }).ok());

  const Timestamp now = At("2025-12-31T00:00:00Z");
  std::vector<std::vector<std::string>> claimed(kThreads);
  std::atomic<int> failures{0};
  Latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      SociCaseStore* store = i % 2 == 0 ? a.get() : b.get();
      start.ArriveAndWait();
      for (;;) {
        std::optional<Timer> got;
        Status s = store->RunInTransaction([&](StoreTransaction& tx) {
          auto due = tx.ClaimDueTimer(now);
          if (!due.ok()) return due.status();
          got = due.value();
          if (!got) return Status::Ok();
          // Work while holding the claim, so claimers overlap.
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          return tx.DeleteTimer(got->id);
        });
        if (!s.ok()) {
          ++failures;
          ADD_FAILURE() << "claimer " << i << ": " << s.ToString();
          return;
        }
        if (!got) return;
        claimed[i].push_back(got->id);
      }
    });
  }
  for (std::thread& t : threads) t.join();

  EXPECT_EQ(failures.load(), 0);
  std::vector<std::string> every;
  int busy_threads = 0;
  for (const auto& ids : claimed) {
    every.insert(every.end(), ids.begin(), ids.end());
    busy_threads += ids.empty() ? 0 : 1;
  }
  std::set<std::string> unique(every.begin(), every.end());
  EXPECT_EQ(every.size(), static_cast<size_t>(kTimers)) << "a timer was claimed twice or lost";
  EXPECT_EQ(unique, all_ids);
  EXPECT_GT(busy_threads, 1) << "the claimers did not overlap at all";

  std::optional<Timer> left;
  ASSERT_TRUE(a->RunInTransaction([&](StoreTransaction& tx) {
                 auto due = tx.ClaimDueTimer(now);
                 if (!due.ok()) return due.status();
                 left = due.value();
                 return Status::Ok();
               }).ok());
  EXPECT_FALSE(left.has_value());
}

// Three processes starting at once on a fresh database: every Open succeeds
// and each migration is applied exactly once.
TEST_F(StoreConcurrencyTest, ConcurrentMigrationsApplyOnce) {
  constexpr int kStarters = 3;
  Latch start(kStarters);
  std::vector<std::unique_ptr<SociCaseStore>> stores(kStarters);
  std::vector<Status> results(kStarters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kStarters; ++i) {
    threads.emplace_back([&, i] {
      StoreOptions options;
      options.pool_size = 1;
      start.ArriveAndWait();
      auto opened = SociCaseStore::Open(db_.url(), options);
      results[i] = opened.ok() ? Status::Ok() : opened.status();
      if (opened.ok()) stores[i] = std::move(opened).value();
    });
  }
  for (std::thread& t : threads) t.join();

  for (int i = 0; i < kStarters; ++i) EXPECT_TRUE(results[i].ok()) << results[i].ToString();
  ASSERT_TRUE(stores[0]);
  auto applied = stores[0]->AppliedSchemaVersions();
  ASSERT_OK(applied);
  std::vector<int> expected;
  for (const adapters::Migration& m : adapters::SchemaMigrations(stores[0]->backend())) expected.push_back(m.version);
  EXPECT_EQ(applied.value(), expected);
  EXPECT_TRUE(stores[1]
                  ->RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(MakeCase("after-migration")); })
                  .ok());
}

// Connections the server dropped (a restart, an administrator) are opened
// again: the next read and the next transaction succeed without an error.
TEST_F(StoreConcurrencyTest, StoreReconnectsAfterServerDropsConnections) {
  auto victim = OpenStore(db_.url(), 1);
  auto killer = OpenStore(db_.url(), 1);
  ASSERT_TRUE(victim && killer);
  ASSERT_TRUE(victim->RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(MakeCase("case-1")); }).ok());

  auto drop_others = [&] {
    Status s = killer->ExecuteForTesting(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    ASSERT_OK(s);
  };

  drop_others();
  auto read = victim->GetCase("case-1");
  EXPECT_OK(read);

  drop_others();
  Status tx = victim->RunInTransaction([&](StoreTransaction& t) {
    auto c = t.LoadCase("case-1");
    if (!c.ok()) return c.status();
    Case next = c.value();
    next.version = c->version + 1;
    return t.UpdateCase(next, c->version);
  });
  EXPECT_OK(tx);
  EXPECT_EQ(victim->GetCase("case-1")->version, 2);
}

// The same with a warm statement cache: the statements prepared on the lost
// connection are dropped, prepared again on the new one and reused from then
// on, for reads and for transactions.
TEST_F(StoreConcurrencyTest, RevivedConnectionPreparesItsStatementsAgain) {
  auto victim = OpenStore(db_.url(), 1);
  auto killer = OpenStore(db_.url(), 1);
  ASSERT_TRUE(victim && killer);
  ASSERT_TRUE(victim->RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(MakeCase("case-1")); }).ok());
  auto bump = [&] {
    return victim->RunInTransaction([&](StoreTransaction& t) {
      auto c = t.LoadCase("case-1");
      if (!c.ok()) return c.status();
      CREDFLOW_RETURN_IF_ERROR(t.LoadSubjectFacts(c->subject).status());
      Case next = c.value();
      next.version = c->version + 1;
      return t.UpdateCase(next, c->version);
    });
  };
  auto drop_others = [&] {
    Status s = killer->ExecuteForTesting(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    ASSERT_OK(s);
  };

  // Warm: every statement below has run twice on this connection.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(bump().ok());
    ASSERT_TRUE(victim->GetCase("case-1").ok());
  }
  const uint64_t warm = victim->StatementsPreparedForTesting();

  drop_others();
  auto read = victim->GetCase("case-1");  // fails on the dead connection, revives, retries
  ASSERT_OK(read);
  EXPECT_EQ(read->version, 3);
  EXPECT_GT(victim->StatementsPreparedForTesting(), warm) << "not prepared on the new connection";

  drop_others();
  Status tx = bump();  // BEGIN fails, revives, begins again
  EXPECT_OK(tx);
  ASSERT_TRUE(victim->GetCase("case-1").ok());
  const uint64_t rewarmed = victim->StatementsPreparedForTesting();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(bump().ok());
    EXPECT_TRUE(victim->GetCase("case-1").ok());
  }
  EXPECT_EQ(victim->StatementsPreparedForTesting(), rewarmed) << "the new statements were not reused";
  EXPECT_EQ(victim->GetCase("case-1")->version, 7);
}

// SQLite: writers from two stores on one file (as from two processes) queue
// on BEGIN IMMEDIATE instead of failing with "database is locked"; a
// read-modify-write inside a transaction never sees a stale version.
TEST(SqliteStoreConcurrencyTest, WritersFromTwoStoresQueue) {
  testing::ScratchSqliteFile file;
  auto a = OpenStore(file.url());
  auto b = OpenStore(file.url());
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(MakeCase("counter")); }).ok());

  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      SociCaseStore* store = i % 2 == 0 ? a.get() : b.get();
      for (int n = 0; n < kIncrements; ++n) {
        Status s = store->RunInTransaction([&](StoreTransaction& tx) {
          auto c = tx.LoadCase("counter");
          if (!c.ok()) return c.status();
          Case next = c.value();
          next.version = c->version + 1;
          return tx.UpdateCase(next, c->version);
        });
        if (!s.ok()) {
          ++failures;
          ADD_FAILURE() << s.ToString();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto counter = a->GetCase("counter");
  ASSERT_TRUE(counter.ok());
  EXPECT_EQ(counter->version, 1 + kThreads * kIncrements);
}

// The SQLite writer lock is granted in arrival order: a thread that releases
// it cannot take it back ahead of the threads already waiting.
TEST(FifoMutexTest, WaitersGetTheLockInArrivalOrder) {
  adapters::FifoMutex mu;
  ASSERT_TRUE(mu.TryLockFor(std::chrono::milliseconds(0)));
  std::mutex order_mu;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&, i] {
      ASSERT_TRUE(mu.TryLockFor(std::chrono::seconds(30)));
      {
        std::lock_guard<std::mutex> lock(order_mu);
        order.push_back(i);
      }
      mu.Unlock();
    });
    // The next thread starts only once this one is queued.
    while (mu.waiting() < static_cast<size_t>(i + 1)) std::this_thread::yield();
  }
  mu.Unlock();
  // The releasing thread asks again at once: it queues behind all four.
  ASSERT_TRUE(mu.TryLockFor(std::chrono::seconds(30)));
  {
    std::lock_guard<std::mutex> lock(order_mu);
    order.push_back(99);
  }
  mu.Unlock();
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 99}));
}

// A waiter that times out leaves the queue without the lock, and the lock
// goes to the next one.
TEST(FifoMutexTest, TimedOutWaiterLeavesTheQueue) {
  adapters::FifoMutex mu;
  ASSERT_TRUE(mu.TryLockFor(std::chrono::milliseconds(0)));
  EXPECT_FALSE(mu.TryLockFor(std::chrono::milliseconds(20)));
  EXPECT_EQ(mu.waiting(), 0u);
  std::atomic<bool> got{false};
  std::thread next([&] {
    got = mu.TryLockFor(std::chrono::seconds(30));
    if (got) mu.Unlock();
  });
  while (mu.waiting() < 1) std::this_thread::yield();
  mu.Unlock();
  next.join();
  EXPECT_TRUE(got.load());
  EXPECT_TRUE(mu.TryLockFor(std::chrono::milliseconds(0)));
  mu.Unlock();
}

}  // namespace
}  // namespace credflow
