// The store's pooled PostgreSQL connections after the connection broke in
// the middle of a pipelined write (adapters/store/postgresql/pipeline.h).
//
// libpq refuses every synchronous statement on a connection still in
// pipeline mode, without touching the socket: PQexec returns no result and
// PQstatus stays CONNECTION_OK. SOCI's is_connected() pings with such a
// statement, so it calls that connection connected, and every later lease of
// it failed with "Fatal error" and no SQLSTATE: an internal error (HTTP 500)
// for every request it served, until the process restarted. The pool must
// see it as lost and open it again.

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <memory>
#include <string>

#include "adapters/store/connection_pool.h"
#include "adapters/store/dialect.h"
#include "adapters/store/soci_case_store.h"
#include "adapters/store/store_options.h"
#include "adapters/store/store_url.h"
#include "tests/support/status_matchers.h"
#include "tests/support/store_rows.h"
#include "tests/support/test_databases.h"

namespace credflow {
namespace {

using adapters::ConnectionPool;
using adapters::DialectFor;
using adapters::SociCaseStore;
using adapters::StoreOptions;
using engine::Status;
using engine::StoreTransaction;

PGconn* RawConnection(soci::session& sql) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  return backend != nullptr ? backend->conn_ : nullptr;
}

// Runs "SELECT 1" on the lease's session: true when it answered 1.
bool Answers(ConnectionPool::Lease& lease) {
  try {
    int one = 0;
    lease.session() << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (const std::exception&) {
    return false;
  }
}

class ConnectionPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(db_);
    auto url = adapters::ParseStoreUrl(db_.url());
    ASSERT_OK(url);
    pool_ = std::make_unique<ConnectionPool>(url.value(), options_, DialectFor(url->backend), 1);
    ASSERT_OK(pool_->Connect());
  }

  // Leaves the pool's only connection in pipeline mode with a result still
  // owed, as a pipeline cut short by the server does.
  void StrandInPipelineMode() {
    auto lease = pool_->Acquire("test");
    ASSERT_OK(lease);
    PGconn* pg = RawConnection(lease->session());
    ASSERT_NE(pg, nullptr);
    ASSERT_EQ(PQenterPipelineMode(pg), 1);
    ASSERT_EQ(PQsendQueryParams(pg, "SELECT 1", 0, nullptr, nullptr, nullptr, nullptr, 0), 1);
    ASSERT_EQ(PQexitPipelineMode(pg), 0) << "a result is owed: libpq keeps the connection in pipeline mode";
    EXPECT_FALSE(Answers(*lease)) << "libpq runs no synchronous statement in pipeline mode";
    EXPECT_EQ(PQstatus(pg), CONNECTION_OK) << "and yet calls the connection fine";
    lease->MarkSuspect();
  }

  testing::ScratchPgDatabase db_;
  StoreOptions options_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(ConnectionPoolTest, ADialectCallsAConnectionStuckInPipelineModeLost) {
  auto lease = pool_->Acquire("test");
  ASSERT_OK(lease);
  const adapters::Dialect& dialect = pool_->dialect();
  EXPECT_TRUE(dialect.Connected(lease->session()));
  PGconn* pg = RawConnection(lease->session());
  ASSERT_EQ(PQenterPipelineMode(pg), 1);
  EXPECT_FALSE(dialect.Connected(lease->session()));
  ASSERT_EQ(PQexitPipelineMode(pg), 1);  // nothing was sent: it may leave
  EXPECT_TRUE(dialect.Connected(lease->session()));
}

TEST_F(ConnectionPoolTest, ASuspectConnectionStuckInPipelineModeIsReopenedBeforeItsNextLease) {
  StrandInPipelineMode();
  auto again = pool_->Acquire("test");
  ASSERT_OK(again);
  EXPECT_EQ(PQpipelineStatus(RawConnection(again->session())), PQ_PIPELINE_OFF);
  EXPECT_TRUE(Answers(*again));
}

TEST_F(ConnectionPoolTest, ReviveReopensAConnectionStuckInPipelineMode) {
  StrandInPipelineMode();
  // Acquired as the caller of a failed statement holds it: still stuck.
  auto lease = pool_->Acquire("test");
  ASSERT_OK(lease);
  lease->MarkSuspect();
  PGconn* pg = RawConnection(lease->session());
  ASSERT_EQ(PQenterPipelineMode(pg), 1);
  ASSERT_EQ(PQsendQueryParams(pg, "SELECT 1", 0, nullptr, nullptr, nullptr, nullptr, 0), 1);
  EXPECT_TRUE(pool_->Revive(*lease)) << "the connection is unusable: it must be reopened";
  EXPECT_TRUE(Answers(*lease));
}

// Through the store: the server drops the connection and the next write
// goes out as a pipeline on it. That write may fail (the store is
// unavailable, never an internal error); the writes and reads after it
// succeed. (Here libpq sees the connection closed and the pool reopens it;
// the crash test's PostgreSQL restarts also left connections stuck in
// pipeline mode, which the tests above make happen on purpose.)
TEST_F(ConnectionPoolTest, WritesAfterAConnectionDroppedUnderAPipelineSucceed) {
  StoreOptions options;
  options.pool_size = 1;
  auto victim = SociCaseStore::Open(db_.url(), options);
  auto killer = SociCaseStore::Open(db_.url(), options);
  ASSERT_OK(victim);
  ASSERT_OK(killer);
  int next = 0;
  auto insert = [&] {
    const std::string id = "case-" + std::to_string(++next);
    return (*victim)->RunOptimistic([&](StoreTransaction& tx) { return tx.InsertCase(testing::MakeStoreCase(id)); });
  };
  ASSERT_OK(insert());
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ASSERT_OK(
        (*killer)->ExecuteForTesting("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = current_database() AND pid <> pg_backend_pid()"));
    Status first = insert();
    if (!first.ok()) {
      EXPECT_EQ(first.code(), Status::Code::kUnavailable) << first.ToString();
    }
    EXPECT_OK(insert());
    EXPECT_OK((*victim)->GetCase("case-" + std::to_string(next)));
  }
}

}  // namespace
}  // namespace credflow
