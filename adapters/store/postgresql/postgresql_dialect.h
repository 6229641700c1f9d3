// PostgresqlDialect: the SOCI store on a PostgreSQL server. Transactions run
// at READ COMMITTED and rely on optimistic version checks; a due timer is
// claimed with FOR UPDATE SKIP LOCKED, so that concurrent schedulers take
// different timers. Key columns are COLLATE "C" (migrations.cc), so a key
// compared with a plain TEXT value names that collation. A session sends the
// server's notices to the debug log instead of libpq's stderr, and asks only
// for warnings and worse. A statement's result rows (all of them: libpq reads
// a whole result at once) are freed as soon as its caller is done with them
// instead of when the cached statement next runs.
//
// Threading: see dialect.h.
#pragma once

#include "adapters/store/dialect.h"

namespace credflow::adapters {

class PostgresqlDialect final : public Dialect {
 public:
  StoreBackend backend() const override { return StoreBackend::kPostgresql; }
  const soci::backend_factory& factory() const override;
  void SetUpSession(soci::session& sql, const StoreOptions& options) const override;
  bool Connected(soci::session& sql) const override;
  const char* begin_transaction() const override { return "BEGIN ISOLATION LEVEL READ COMMITTED"; }
  const char* claim_lock() const override { return " FOR UPDATE SKIP LOCKED"; }
  const char* key_collate() const override { return " COLLATE \"C\""; }
  const char* data_member_text() const override {
    // {draw,grade}: the path as the member's dotted name reads.
    return "CASE WHEN jsonb_typeof(data::jsonb #> string_to_array(p.member, '.')) = 'string' THEN data::jsonb #>> "
           "string_to_array(p.member, '.') ELSE '' END";
  }
  bool one_writer_at_a_time() const override { return false; }
  // Frees the client-side copy of the result rows (see the .cc for why this
  // reaches past SOCI's public API).
  void ReleaseResult(soci::statement& st) const override;
};

}  // namespace credflow::adapters
