// Schema migrations of the SOCI store: a versioned list, applied in order,
// each version in its own transaction, recorded in
// schema_migrations(version, applied_at).
//
// Concurrency: several processes may start at once against one database.
// Each migration transaction first takes a lock (SQLite: BEGIN IMMEDIATE;
// PostgreSQL: pg_advisory_xact_lock) and re-reads the applied version, so
// every version is applied exactly once.
//
// These functions work on a raw soci::session and let SOCI exceptions
// propagate; SociCaseStore (the adapter's edge) catches and maps them.
#pragma once

#include <string>
#include <vector>

#include "adapters/store/store_backend.h"
#include "engine/clock.h"

namespace soci {
class session;
}

namespace credflow::adapters {

struct Migration {
  int version = 0;
  std::string description;
  // The statements for one backend, in order. One statement each: SOCI's
  // PostgreSQL backend runs a single statement per call.
  std::vector<std::string> statements;
  // Run after the statements, in the same transaction: what SQL cannot
  // compute (a name's pinyin). Null: none.
  void (*backfill)(soci::session& sql) = nullptr;
};

// The schema's versions for `backend`, ascending from 1. A number may be
// missing (one branch's versions can land before another's); each version is
// applied when the store has not recorded it, so a store that has 1-3 and 6
// still gets 4 and 5 once they are listed.
std::vector<Migration> SchemaMigrations(StoreBackend backend);
// The version this build migrates to (the last of SchemaMigrations).
int SchemaTargetVersion();

// The versions recorded in schema_migrations, ascending; empty when the table
// does not exist yet. Throws soci::soci_error.
std::vector<int> ReadAppliedSchemaVersions(soci::session& sql, StoreBackend backend);

struct MigrationOutcome {
  int before = 0;   // the applied version found first
  int after = 0;    // the applied version at the end
  int applied = 0;  // how many versions this call applied
};

// Applies the missing versions. Applies nothing when the database is already
// newer than this build (after > SchemaTargetVersion(): the caller decides).
// Must be called outside a transaction. Throws soci::soci_error; a failed
// version is rolled back and the versions before it stay applied.
MigrationOutcome ApplySchemaMigrations(soci::session& sql, StoreBackend backend, const engine::Clock& clock);

}  // namespace credflow::adapters
