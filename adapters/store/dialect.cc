#include "adapters/store/dialect.h"

#include "adapters/store/postgresql/postgresql_dialect.h"
#include "adapters/store/sqlite/sqlite_dialect.h"

namespace credflow::adapters {

const Dialect& DialectFor(StoreBackend backend) {
  static const SqliteDialect sqlite;
  static const PostgresqlDialect postgresql;
  if (backend == StoreBackend::kSqlite) return sqlite;
  return postgresql;
}

}  // namespace credflow::adapters
