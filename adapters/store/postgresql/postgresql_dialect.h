// PostgresqlDialect: the SOCI store on a PostgreSQL server. Transactions run
// at READ COMMITTED and rely on optimistic version checks; a due timer is
// claimed with FOR UPDATE SKIP LOCKED, so that concurrent schedulers take
// different timers. Key columns are COLLATE "C" (migrations.cc), so a key
// compared with a plain TEXT value names that collation. A session sends the
// server's notices to the debug log instead of libpq's stderr, and asks only
// for warnings and worse.
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
  const char* begin_transaction() const override { return "BEGIN ISOLATION LEVEL READ COMMITTED"; }
  const char* claim_lock() const override { return " FOR UPDATE SKIP LOCKED"; }
  const char* key_collate() const override { return " COLLATE \"C\""; }
  bool one_writer_at_a_time() const override { return false; }
};

}  // namespace credflow::adapters
