// The engine on a real PostgreSQL, each test on a fresh database: conflicting
// events from separate connections, idempotent retries racing each other,
// a parent joining concurrently decided children, several schedulers, and
// timers surviving a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "adapters/store/soci_case_store.h"
#include "engine/audit.h"
#include "tests/support/engine_harness.h"
#include "tests/support/forwarding_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"

namespace credflow::testing {
namespace {

using engine::Json;

// A two-party rendezvous (C++17 has no std::barrier).
class Rendezvous {
 public:
  explicit Rendezvous(int parties) : waiting_for_(parties) {}
  void ArriveAndWait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--waiting_for_ == 0) {
      cv_.notify_all();
      return;
    }
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return waiting_for_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_for_;
};

// Wraps a store so that every transaction waits, right after loading its
// case, until the other party has loaded it too: both then hold the same
// version and race to write.
class RacingStore final : public testing::ForwardingCaseStore {
 public:
  RacingStore(engine::CaseStore* inner, Rendezvous* rendezvous) : ForwardingCaseStore(inner), rendezvous_(rendezvous) {}

  engine::Status RunInTransaction(const std::function<engine::Status(engine::StoreTransaction&)>& fn) override {
    return inner_->RunInTransaction([&](engine::StoreTransaction& tx) {
      Tx racing(&tx, rendezvous_);
      return fn(racing);
    });
  }
  // Commands: both racers' writes may meet in one group commit, where the
  // loser must fail alone.
  engine::Status RunOptimistic(const std::function<engine::Status(engine::StoreTransaction&)>& fn) override {
    return inner_->RunOptimistic([&](engine::StoreTransaction& tx) {
      Tx racing(&tx, rendezvous_);
      return fn(racing);
    });
  }

 private:
  class Tx final : public testing::ForwardingTransaction {
   public:
    Tx(engine::StoreTransaction* inner, Rendezvous* r) : ForwardingTransaction(inner), rendezvous_(r) {}
    engine::Result<engine::Case> LoadCase(const std::string& id) override {
      auto c = inner_->LoadCase(id);
      rendezvous_->ArriveAndWait();
      return c;
    }

   private:
    Rendezvous* rendezvous_;
  };

  Rendezvous* rendezvous_;
};

class EnginePostgresqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(db_);
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }

  std::unique_ptr<adapters::SociCaseStore> Open(size_t pool = 8) {
    adapters::StoreOptions options;
    options.pool_size = pool;
    auto store = adapters::SociCaseStore::Open(db_.url(), options);
    EXPECT_OK(store);
    return store.ok() ? std::move(*store) : nullptr;
  }

  size_t HistorySize(const std::string& id) { return store_->GetHistory(id)->size(); }

  ScratchPgDatabase db_;
  std::unique_ptr<adapters::SociCaseStore> store_;
};

// Fires `event` on the case expecting it at `version` (as an HTTP client
// sending If-Match does).
engine::Status FireAt(EngineHarness& harness, const std::string& case_id, const std::string& event, int64_t version) {
  engine::FireEventRequest request;
  request.case_id = case_id;
  request.event = engine::EventInput{event, Json::object(), {"u", "caseworker", ""}};
  request.expected_version = version;
  auto r = harness.service().Fire(request);
  return r.ok() ? engine::Status::Ok() : r.status();
}

// Two connections load the same case at the same version and fire events
// the state accepts (two withdrawals for different reasons: the timer's
// PublicationEnded is not a person's to send), each expecting that version:
// exactly one commits; the other gets a conflict and writes nothing.
TEST_F(EnginePostgresqlTest, ConflictingEventsExactlyOneWins) {
  EngineHarness setup(store_.get());
  setup.SetDate("2025-07-01");
  auto filed = setup.FileDeregistration(kSubjectC);
  ASSERT_OK(filed);
  ASSERT_EQ(filed->state, "InPublication");

  Rendezvous rendezvous(2);
  RacingStore racing(store_.get(), &rendezvous);
  EngineHarness harness(&racing);
  harness.SetDate("2025-07-10");
  engine::Status a, b;
  std::thread ta([&] { a = FireAt(harness, filed->case_id, "CommitmentWithdrawn", filed->version); });
  std::thread tb([&] { b = FireAt(harness, filed->case_id, "CommitmentWithdrawn", filed->version); });
  ta.join();
  tb.join();
  EXPECT_NE(a.ok(), b.ok()) << "a: " << a.ToString() << " b: " << b.ToString();
  const engine::Status& loser = a.ok() ? b : a;
  EXPECT_TRUE(loser.IsConflict()) << loser.ToString();
  auto c = store_->GetCase(filed->case_id);
  EXPECT_EQ(c->version, filed->version + 1);
  EXPECT_EQ(c->state, "Withdrawn");
  EXPECT_EQ(HistorySize(filed->case_id), static_cast<size_t>(filed->version + 1));
  EXPECT_FALSE(engine::VerifyCaseHistory(*store_, filed->case_id)->has_value());
}

// Without an expected version, the loser of the race is run again on the
// case as the winner left it, which here no longer accepts its event.
TEST_F(EnginePostgresqlTest, AnEventThatLostARaceIsRunAgainOnTheNewVersion) {
  EngineHarness setup(store_.get());
  setup.SetDate("2025-07-01");
  auto filed = setup.FileDeregistration(kSubjectC);
  ASSERT_OK(filed);

  Rendezvous rendezvous(2);
  RacingStore racing(store_.get(), &rendezvous);
  EngineHarness harness(&racing);
  harness.SetDate("2025-07-10");
  engine::Status a, b;
  std::thread ta([&] {
    auto r = harness.Fire(filed->case_id, "CommitmentWithdrawn");
    a = r.ok() ? engine::Status::Ok() : r.status();
  });
  std::thread tb([&] {
    auto r = harness.Fire(filed->case_id, "CommitmentWithdrawn");
    b = r.ok() ? engine::Status::Ok() : r.status();
  });
  ta.join();
  tb.join();
  EXPECT_NE(a.ok(), b.ok()) << "a: " << a.ToString() << " b: " << b.ToString();
  const engine::Status& loser = a.ok() ? b : a;
  EXPECT_EQ(loser.reason(), "event_not_allowed") << loser.ToString();
  EXPECT_EQ(store_->GetCase(filed->case_id)->version, filed->version + 1);
  EXPECT_EQ(HistorySize(filed->case_id), static_cast<size_t>(filed->version + 1));
}

// The same idempotent command sent four times at once applies once; every
// caller gets the same answer.
TEST_F(EnginePostgresqlTest, RacingIdempotentRetriesApplyOnce) {
  EngineHarness harness(store_.get());
  auto filed = harness.FileFoodPermit(kSubjectA);
  ASSERT_TRUE(filed.ok());
  const std::string verification = harness.ChildOf(filed->case_id, "verification");
  const int64_t version = store_->GetCase(verification)->version;
  std::vector<std::thread> threads;
  std::vector<engine::Result<engine::CommandResult>> results(4, engine::Status::Internal("unset"));
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          harness.Fire(verification, "VerificationReported", EngineHarness::Report("conforming"), "verify-once");
    });
  }
  for (auto& t : threads) t.join();
  int applied = 0;
  for (auto& r : results) {
    ASSERT_OK(r);
    EXPECT_EQ(r->state, "Conforming");
    EXPECT_EQ(r->version, version + 1);
    if (!r->replayed) ++applied;
  }
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(HistorySize(verification), static_cast<size_t>(version + 1));
  // And again after the fact, as after a restart.
  auto later = EngineHarness(Open().get())
                   .Fire(verification, "VerificationReported", EngineHarness::Report("conforming"), "verify-once");
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->replayed);
}

// Eight children decided at once by eight connections, then delivered by two
// schedulers at once: no conflict reaches a caller and the parent joins all.
TEST_F(EnginePostgresqlTest, ParentJoinsConcurrentChildren) {
  EngineHarness harness(store_.get());
  engine::OpenCaseRequest open;
  open.workflow = "fanout";
  open.subject = kSubjectA;
  open.events.push_back(engine::EventInput{"Dispatch", Json{{"count", 8}}, {"u", "caseworker", ""}});
  auto parent = harness.service().Open(open);
  ASSERT_OK(parent);
  engine::CaseQuery q;
  q.parent_id = parent->case_id;
  auto children = store_->FindCases(q);
  ASSERT_EQ(children->size(), 8u);

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (const engine::Case& child : *children) {
    threads.emplace_back([&, id = child.id] {
      if (!harness.Fire(id, "Decide", {{"decision", "approved"}}).ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->GetCase(parent->case_id)->version, parent->version);

  std::vector<std::thread> schedulers;
  std::atomic<int> fired{0};
  for (int i = 0; i < 2; ++i) {
    schedulers.emplace_back([&] {
      auto store = Open(2);
      EngineHarness scheduler(store.get());
      auto n = scheduler.service().FireDueTimers();
      if (n.ok())
        fired += *n;
      else
        ++failures;
    });
  }
  for (auto& t : schedulers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(fired.load(), 8);
  auto joined = store_->GetCase(parent->case_id);
  EXPECT_EQ(joined->state, "Joined");
  EXPECT_EQ(joined->data["answers"].size(), 8u);
  EXPECT_EQ(joined->version, parent->version + 8);
}

// Three schedulers (separate pools, as separate processes would be) race
// over fifty due timers: each fires exactly once.
TEST_F(EnginePostgresqlTest, SeveralSchedulersFireEachTimerOnce) {
  EngineHarness harness(store_.get());
  harness.SetDate("2025-07-01");
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto r = harness.FileDeregistration(kSubjectC);
    ASSERT_TRUE(r.ok());
    ids.push_back(r->case_id);
  }
  std::atomic<int> fired{0}, failures{0};
  std::vector<std::thread> schedulers;
  for (int i = 0; i < 3; ++i) {
    schedulers.emplace_back([&] {
      auto store = Open(2);
      EngineHarness scheduler(store.get());
      scheduler.SetDate("2025-07-22");
      auto n = scheduler.service().FireDueTimers();
      if (n.ok())
        fired += *n;
      else
        ++failures;
    });
  }
  for (auto& t : schedulers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(fired.load(), 50);
  for (const std::string& id : ids) {
    auto history = store_->GetHistory(id);
    int ended = 0;
    for (const auto& e : *history) ended += e.event == "PublicationEnded";
    EXPECT_EQ(ended, 1) << id;
    EXPECT_EQ(store_->GetCase(id)->state, "AwaitingApplication");
  }
}

// Timers are rows: a new process (store and service) finds and fires them.
TEST_F(EnginePostgresqlTest, TimersSurviveARestart) {
  std::string id;
  {
    EngineHarness before(store_.get());
    before.SetDate("2025-03-03");
    auto r = before.FileFoodPermit(kSubjectA);
    ASSERT_TRUE(r.ok());
    id = r->case_id;
  }
  store_.reset();
  auto reopened = Open();
  EngineHarness after(reopened.get());
  after.SetDate("2025-04-16");
  auto fired = after.service().FireDueTimers();
  ASSERT_TRUE(fired.ok());
  EXPECT_EQ(*fired, 1);
  const std::string verification = after.ChildOf(id, "verification");
  auto c = reopened->GetCase(verification);
  EXPECT_EQ(c->data["overdue"], true);
  auto replay = engine::ReplayCase(*reopened, after.workflows(), ShippedRules().book(), verification);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->matches) << replay->problem;
}

}  // namespace
}  // namespace credflow::testing
