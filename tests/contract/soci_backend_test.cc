// What the SOCI store relies on from SOCI 4.0.3 beyond its documented API,
// each pinned by the behaviour it exists for, on the backend it concerns
// (tests for one backend beside the shared contract suite, as SOCI keeps
// tests/postgresql/ beside tests/common/). A SOCI upgrade that breaks one of
// these uses fails here, not in production:
//   - a statement the cache cannot hold runs as a one-time statement
//     (soci::details::st_one_time_query, prepared_statement.cc) and leaves no
//     prepared statement on the PostgreSQL server;
//   - a PostgreSQL statement's result rows are freed when its Query ends
//     (PostgresqlDialect::ReleaseResult), not when it next runs;
//   - PostgreSQL notices go to the log, not to libpq's stderr
//     (the session backend's PGconn, postgresql_dialect.cc).
// And one that needs only public API but is as easy to lose: a SQLite cursor
// left early is run to its end, so the connection's read snapshot does not
// hide later commits.
//
// Each test gets a fresh database. ctest selects a backend with
// --gtest_filter=*/<backend>*:*<backend>*, as for the contract suite.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <malloc.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/store/dialect.h"
#include "adapters/store/prepared_statement.h"
#include "adapters/store/store_options.h"
#include "adapters/store/store_url.h"
#include "tests/support/test_databases.h"

namespace credflow {
namespace {

using adapters::Connection;
using adapters::Dialect;
using adapters::Query;
using adapters::StatementCache;

// A fresh database of the backend GetParam() names, and raw sessions on it
// set up as the store sets up its own.
class SociBackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "sqlite") {
      sqlite_ = std::make_unique<testing::ScratchSqliteFile>();
      url = sqlite_->url();
    } else {
      pg_ = std::make_unique<testing::ScratchPgDatabase>();
      ASSERT_TRUE(pg_->ok()) << pg_->status().ToString();
      url = pg_->url();
    }
    auto parsed = adapters::ParseStoreUrl(url);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    url_ = parsed.value();
  }

  const Dialect& dialect() const { return adapters::DialectFor(url_.backend); }

  // A session as the store's pool opens one; `set_up` false leaves it as
  // SOCI opened it.
  std::unique_ptr<soci::session> OpenSession(bool set_up = true) {
    auto sql = std::make_unique<soci::session>(dialect().factory(), url_.connect_string);
    if (set_up) dialect().SetUpSession(*sql, adapters::StoreOptions{});
    return sql;
  }

  // numbers(n) holding 1..count.
  void CreateNumbers(soci::session& sql, int count) {
    sql << "CREATE TABLE numbers (n INTEGER NOT NULL)";
    for (int n = 1; n <= count; ++n) sql << "INSERT INTO numbers (n) VALUES (" + std::to_string(n) + ")";
  }

  // How many prepared statements the server keeps for `sql`'s connection,
  // asked in a one-time statement of SOCI's own (session::once).
  long long PreparedOnServer(soci::session& sql) {
    long long count = -1;
    sql << "SELECT COUNT(*) FROM pg_prepared_statements", soci::into(count);
    return count;
  }

  adapters::StoreUrl url_;

 private:
  std::unique_ptr<testing::ScratchSqliteFile> sqlite_;
  std::unique_ptr<testing::ScratchPgDatabase> pg_;
};

class PostgresqlBackendTest : public SociBackendTest {};

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// Returns what `fn` wrote to file descriptor 2 (where libpq's default notice
// processor prints).
std::string CapturedStderr(const std::function<void()>& fn) {
  std::fflush(stderr);
  char path[] = "/tmp/credflow-stderr-XXXXXX";
  const int file = mkstemp(path);
  if (file < 0) return "mkstemp failed";
  const int saved = dup(2);
  dup2(file, 2);
  auto restore = [&]() {
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(file);
  };
  try {
    fn();
  } catch (...) {
    restore();
    unlink(path);
    throw;
  }
  restore();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  unlink(path);
  return text.str();
}

// The bytes malloc has handed out and not yet had back, in every arena.
size_t HeapInUse() { return mallinfo2().uordblks; }

// A cursor its caller left after the first of several rows does not keep the
// connection's read snapshot: a later read on the same connection sees what
// another connection committed meanwhile, and the statement stays prepared.
TEST_P(SociBackendTest, CursorLeftEarlyDoesNotHideLaterCommits) {
  auto reader = OpenSession();
  auto writer = OpenSession();
  CreateNumbers(*writer, 3);
  StatementCache cache;
  Connection conn{*reader, cache, dialect()};
  const std::string first_rows = "SELECT n FROM numbers ORDER BY n";
  {
    Query q(conn, first_rows);
    int n = 0;
    q.Into(n).Start();
    ASSERT_TRUE(q.Next());
    EXPECT_EQ(n, 1);
  }
  *writer << "INSERT INTO numbers (n) VALUES (4)";
  long long count = 0;
  {
    Query q(conn, "SELECT COUNT(*) FROM numbers");
    q.Into(count).Start();
    ASSERT_TRUE(q.Next());
  }
  EXPECT_EQ(count, 4);
  // And the early-left statement runs again from its first row.
  std::vector<int> all;
  {
    Query q(conn, first_rows);
    int n = 0;
    q.Into(n).Start();
    while (q.Next()) all.push_back(n);
  }
  EXPECT_EQ(all, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_NE(cache.Find(first_rows), nullptr);
}

// A second Query of a text whose cached statement is in use (nested on one
// connection) runs on a statement of its own that the cache does not keep;
// both read their own rows. On PostgreSQL that statement is one-time: it
// leaves no prepared statement on the server (st_one_time_query).
TEST_P(SociBackendTest, UncachedStatementRunsOnceAndLeavesNothingOnTheServer) {
  auto sql = OpenSession();
  CreateNumbers(*sql, 3);
  StatementCache cache;
  std::atomic<uint64_t> prepared{0};
  cache.CountPreparesIn(&prepared);
  Connection conn{*sql, cache, dialect()};
  const bool pg = url_.backend == adapters::StoreBackend::kPostgresql;
  const std::string text = "SELECT n FROM numbers ORDER BY n";

  const long long before = pg ? PreparedOnServer(*sql) : 0;
  Query outer(conn, text);
  int a = 0;
  outer.Into(a).Start();
  ASSERT_TRUE(outer.Next());
  EXPECT_EQ(a, 1);
  const long long with_outer = pg ? PreparedOnServer(*sql) : 0;
  if (pg) {
    EXPECT_EQ(with_outer, before + 1) << "the cached statement is a named server-side statement";
  }

  std::vector<int> inner_rows;
  long long with_inner = 0;
  {
    Query inner(conn, text);
    int b = 0;
    inner.Into(b).Start();
    while (inner.Next()) inner_rows.push_back(b);
    with_inner = pg ? PreparedOnServer(*sql) : 0;
  }
  EXPECT_EQ(inner_rows, (std::vector<int>{1, 2, 3}));
  if (pg) {
    EXPECT_EQ(with_inner, with_outer) << "the uncached statement was prepared on the server";
    EXPECT_EQ(PreparedOnServer(*sql), with_outer);
  }
  EXPECT_EQ(prepared.load(), 1u) << "only the outer statement is cached";

  // The outer cursor did not lose its place or its buffers.
  ASSERT_TRUE(outer.Next());
  EXPECT_EQ(a, 2);
  ASSERT_TRUE(outer.Next());
  EXPECT_EQ(a, 3);
  EXPECT_FALSE(outer.Next());
}

INSTANTIATE_TEST_SUITE_P(Stores, SociBackendTest, ::testing::Values("sqlite", "postgresql"), BackendName);

// A cached statement does not keep its last result in client memory after
// the Query that read it ends, also when the Query read only its first row
// (libpq hands SOCI the whole result at once); it stays prepared.
TEST_P(PostgresqlBackendTest, ResultRowsAreFreedWhenTheQueryEnds) {
  auto sql = OpenSession();
  StatementCache cache;
  Connection conn{*sql, cache, dialect()};
  // About 20 MB of rows.
  const std::string text = "SELECT repeat('x', 1000) FROM generate_series(1, 20000)";
  constexpr size_t kMiB = 1024 * 1024;

  for (int round = 0; round < 2; ++round) {
    const size_t base = HeapInUse();
    size_t during = 0;
    {
      Query q(conn, text);
      std::string row;
      q.Into(row).Start();
      ASSERT_TRUE(q.Next());
      EXPECT_EQ(row.size(), 1000u);
      during = HeapInUse();
    }
    const size_t after = HeapInUse();
    EXPECT_GT(during, base + 15 * kMiB) << "the result should be in client memory while it is read";
    EXPECT_LT(after, base + 5 * kMiB) << "round " << round << ": the result outlived its Query";
  }
  EXPECT_NE(cache.Find(text), nullptr);
  EXPECT_EQ(PreparedOnServer(*sql), 1);
}

// libpq prints a server's notices (here a RAISE WARNING) to stderr unless the
// connection has a notice processor; a session the store set up sends them to
// the log instead.
TEST_P(PostgresqlBackendTest, NoticesGoToTheLogNotToStderr) {
  const std::string probe = "DO $$ BEGIN RAISE WARNING 'credflow-notice-probe'; END $$";
  auto bare = OpenSession(/*set_up=*/false);
  std::string printed = CapturedStderr([&]() { *bare << probe; });
  EXPECT_NE(printed.find("credflow-notice-probe"), std::string::npos)
      << "a bare session should print the warning to stderr (else this test proves nothing)";

  auto set_up = OpenSession();
  printed = CapturedStderr([&]() { *set_up << probe; });
  EXPECT_EQ(printed.find("credflow-notice-probe"), std::string::npos) << printed;
}

INSTANTIATE_TEST_SUITE_P(Stores, PostgresqlBackendTest, ::testing::Values("postgresql"), BackendName);

}  // namespace
}  // namespace credflow
