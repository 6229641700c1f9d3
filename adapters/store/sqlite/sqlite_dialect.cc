#include "adapters/store/sqlite/sqlite_dialect.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>
#include <string>

namespace credflow::adapters {
namespace {

const char* SynchronousPragma(SqliteSynchronous s) {
  switch (s) {
    case SqliteSynchronous::kOff: return "PRAGMA synchronous = OFF";
    case SqliteSynchronous::kNormal: return "PRAGMA synchronous = NORMAL";
    case SqliteSynchronous::kFull: return "PRAGMA synchronous = FULL";
    case SqliteSynchronous::kExtra: return "PRAGMA synchronous = EXTRA";
  }
  return "PRAGMA synchronous = FULL";
}

}  // namespace

const soci::backend_factory& SqliteDialect::factory() const { return soci::sqlite3; }

void SqliteDialect::SetUpSession(soci::session& sql, const StoreOptions& options) const {
  const long long timeout_ms = options.sqlite_busy_timeout.count();
  // PRAGMA takes no bound parameters; the value is our own integer.
  sql << "PRAGMA busy_timeout = " + std::to_string(timeout_ms);
  std::string mode;
  sql << "PRAGMA journal_mode = WAL", soci::into(mode);
  if (mode != "wal") throw std::runtime_error("SQLite refused WAL mode (got " + mode + ")");
  sql << SynchronousPragma(options.sqlite_synchronous);
  sql << "PRAGMA foreign_keys = ON";
}

}  // namespace credflow::adapters
