// Prepared statements: every statement of the SOCI store runs prepared.
// PostgreSQL parses and plans it once per connection (PQprepare, then
// PQexecPrepared), SQLite compiles it once (sqlite3_prepare_v2, then
// sqlite3_reset/step). Planning the same few statements again on every call
// cost about 215 µs of server CPU per transition (tests/bench/README.md).
//
// A PreparedStatement is one soci::statement of one connection, bound once
// with use() and into() to buffers that it owns. A Query copies the caller's
// values into those buffers before it executes and copies each fetched row
// out to the caller's variables, so the statement never points at a caller.
// Each pooled connection owns a StatementCache: SQL text -> PreparedStatement.
// Every value is bound; SQL texts are built from fixed fragments only.
//
// Threading: a StatementCache, its statements and the Queries that run them
// belong to one pooled connection, and only the thread holding that
// connection's lease touches them. Everything here throws what SOCI throws;
// the callers map it at the store's edge (store_errors.h).
#pragma once

#include <soci/soci.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/store/dialect.h"
#include "engine/case.h"
#include "engine/clock.h"

namespace credflow::adapters {

// The C++ types a statement exchanges with the database.
enum class ValueKind : unsigned char { kString, kInt64, kInt32 };

// One bound buffer. Every use() and into() carries an indicator, so NULL
// can be sent and received.
struct BoundValue {
  ValueKind kind = ValueKind::kString;
  std::string text;
  long long int64 = 0;
  int int32 = 0;
  soci::indicator ind = soci::i_ok;
};

class PreparedStatement {
 public:
  // Prepares `text` on `sql` with parameters and columns of the given kinds.
  // `repeatable`: prepared once to be run many times (the cache), else a
  // one-time statement. Throws what SOCI throws.
  PreparedStatement(soci::session& sql, const std::string& text, const std::vector<ValueKind>& params,
                    const std::vector<ValueKind>& columns, bool repeatable);
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  // Whether a query with these kinds may use this statement. The same SQL
  // text always comes with the same kinds; false means a bug in a caller.
  bool Fits(const std::vector<BoundValue>& params, const std::vector<ValueKind>& columns) const;

  soci::statement& statement() { return st_; }
  std::deque<BoundValue>& params() { return params_; }
  std::deque<BoundValue>& columns() { return columns_; }
  // Set while a Query uses the statement, so that a second Query of the same
  // text on the same connection (nested) cannot share its buffers.
  bool in_use() const { return in_use_; }
  void set_in_use(bool in_use) { in_use_ = in_use; }

 private:
  // Declared first, destroyed last: SOCI's elements point into the deques.
  std::deque<BoundValue> params_;  // deque: addresses stay put
  std::deque<BoundValue> columns_;
  soci::statement st_;
  bool in_use_ = false;
};

// The prepared statements of one connection, by SQL text. Every text is made
// of fixed fragments only (values are always bound), so the set is small and
// bounded: about 30 texts, plus one per FindCases/ListSubjects filter
// combination. kMaxStatements is a safety net, not a working limit.
class StatementCache {
 public:
  static constexpr std::size_t kMaxStatements = 256;

  PreparedStatement* Find(const std::string& text);
  bool full() const { return statements_.size() >= kMaxStatements; }
  PreparedStatement* Add(const std::string& text, std::unique_ptr<PreparedStatement> st);
  // Drops every statement. Must run while the connection the statements were
  // prepared on is still open (before a reconnect replaces it): SOCI's
  // statements refer to it, and a PostgreSQL statement sends DEALLOCATE when
  // destroyed (on a dead connection that fails at once and SOCI ignores it).
  void Clear() { statements_.clear(); }
  // The name of `text` as a statement prepared on this connection for
  // pipelines (postgresql/pipeline.h), or nullptr.
  const std::string* PipelineName(const std::string& text) const;
  void AddPipelineName(const std::string& text, std::string name);
  // Forgets the pipeline statements: for a connection reopened, on which
  // they no longer exist. Clear() keeps them: they stay valid on the server
  // after an error, and are not SOCI objects.
  void ForgetPipelineNames() { pipeline_names_.clear(); }
  // Add() counts each statement it caches in `*counter` (for tests).
  void CountPreparesIn(std::atomic<uint64_t>* counter) { prepared_ = counter; }

 private:
  std::unordered_map<std::string, std::unique_ptr<PreparedStatement>> statements_;
  std::unordered_map<std::string, std::string> pipeline_names_;  // text -> name
  std::atomic<uint64_t>* prepared_ = nullptr;
};

// A write statement held to run later, with the other writes of its
// transaction or of a group of transactions (soci_transaction.h), instead of
// at once: its text, its values, and how many rows it must change.
struct DeferredWrite {
  std::string text;
  std::vector<BoundValue> params;
  long long min_rows = 0;  // fewer rows changed (or more than max_rows):
  long long max_rows = 0;  // the write fails its check
  std::size_t label = 0;   // the gatherer's tag: which call made it
};

// Where a connection's writes go while its transaction gathers them.
struct WriteBatch {
  std::vector<DeferredWrite> writes;
  std::size_t label = 0;  // given to each write added
};

// The connection a query runs on: its session, its statement cache and the
// dialect of its database. While `gather` is set, Query::Write adds to it
// instead of running.
struct Connection {
  soci::session& sql;
  StatementCache& cache;
  const Dialect& dialect;
  WriteBatch* gather = nullptr;
};

// A statement run once through a cached PreparedStatement: bound values are
// copied, so temporaries may be passed to Use(); Into() names the caller's
// variables, which each Next() that returns true overwrites.
class Query {
 public:
  Query(Connection& conn, std::string text)
      : conn_(conn), text_(std::move(text)), uncaught_exceptions_(std::uncaught_exceptions()) {}
  // Ends the statement's result: runs a cursor the caller left early to its
  // end (public SOCI API: fetch) and lets the dialect free what the backend
  // still holds (Dialect::ReleaseResult).
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Use(std::string v);
  Query& Use(long long v);
  Query& Use(int v) { return Use(static_cast<long long>(v)); }
  Query& Use(engine::Timestamp t) { return Use(engine::FormatTimestamp(t)); }
  Query& Use(const engine::Json& j) { return Use(j.dump()); }
  // nullopt binds SQL NULL.
  Query& Use(std::optional<std::string> v);

  Query& Into(std::string& v) { return Bind(ValueKind::kString, &v, nullptr); }
  Query& Into(long long& v) { return Bind(ValueKind::kInt64, &v, nullptr); }
  Query& Into(int& v) { return Bind(ValueKind::kInt32, &v, nullptr); }
  // A column that may be NULL: `ind` says which; `v` is left alone for NULL.
  Query& Into(std::string& v, soci::indicator& ind) { return Bind(ValueKind::kString, &v, &ind); }

  // Runs a statement that returns no rows; returns how many rows it changed.
  long long Run();
  // Runs a write that must change between `min_rows` and `max_rows` rows and
  // says whether it did; or, while the connection gathers writes, adds it to
  // the batch, which checks the count when it runs, and returns true.
  bool Write(long long min_rows = 0, long long max_rows = kAnyRows);
  static constexpr long long kAnyRows = INT64_MAX;
  // Runs a write held earlier; returns how many rows it changed.
  static long long RunDeferred(Connection& conn, const DeferredWrite& w);
  // Runs a query; Next() then steps through its rows.
  void Start() { Execute(false); }
  bool Next();

 private:
  struct Destination {
    ValueKind kind;
    void* var;
    soci::indicator* ind;
  };

  Query& Bind(ValueKind kind, void* var, soci::indicator* ind) {
    targets_.push_back({kind, var, ind});
    return *this;
  }
  // Finds (or prepares) the statement, copies the values in and executes.
  void Execute(bool with_data_exchange);
  std::unique_ptr<PreparedStatement> MakeStatement(const std::vector<ValueKind>& columns, bool repeatable);

  Connection& conn_;
  std::string text_;
  std::vector<BoundValue> params_;
  std::vector<Destination> targets_;
  PreparedStatement* st_ = nullptr;         // the statement in use
  std::unique_ptr<PreparedStatement> own_;  // when not cached
  bool executed_ = false;
  bool exhausted_ = false;         // Next() returned false
  const int uncaught_exceptions_;  // at construction, to tell unwinding apart
};

}  // namespace credflow::adapters
