// SqliteDialect: the SOCI store on a SQLite file. Sessions run in WAL mode
// (readers never wait for the writer) with foreign keys on, the durability
// StoreOptions asks for, and a busy timeout for other processes' writers.
// A write transaction starts with BEGIN IMMEDIATE, taking the write lock at
// once, so that two writers queue instead of deadlocking on a read-to-write
// upgrade; in process they queue before that on the store's FIFO lock.
// SQLite has no row locks and needs none to claim a timer (the claiming
// transaction is the only writer), and compares TEXT bytewise already.
//
// Threading: see dialect.h.
#pragma once

#include <soci/session.h>

#include "adapters/store/dialect.h"

namespace credflow::adapters {

class SqliteDialect final : public Dialect {
 public:
  StoreBackend backend() const override { return StoreBackend::kSqlite; }
  const soci::backend_factory& factory() const override;
  // Throws std::runtime_error when SQLite refuses WAL mode.
  void SetUpSession(soci::session& sql, const StoreOptions& options) const override;
  bool Connected(soci::session& sql) const override { return sql.is_connected(); }
  const char* begin_transaction() const override { return "BEGIN IMMEDIATE"; }
  const char* claim_lock() const override { return ""; }
  const char* key_collate() const override { return ""; }
  const char* data_member_text() const override {
    // '$.draw.grade': the path as the member's dotted name reads.
    return "CASE json_type(data, '$.' || p.member) WHEN 'text' THEN json_extract(data, '$.' || p.member) ELSE '' END";
  }
  bool one_writer_at_a_time() const override { return true; }
  // Nothing: a statement run to its end has released its read snapshot, and
  // SOCI's SQLite backend copies each row out as it steps.
  void ReleaseResult(soci::statement& /*st*/) const override {}
};

}  // namespace credflow::adapters
