// StoreOptions: how SociCaseStore::Open sets up a store (pool size,
// SQLite's durability and lock wait, migration on open). A plain value.
#pragma once

#include <chrono>
#include <cstddef>

#include "engine/clock.h"

namespace credflow::adapters {

enum class SqliteSynchronous { kOff, kNormal, kFull, kExtra };

struct StoreOptions {
  // Connections in the pool; 0 = the default, 4 (PostgreSQL and SQLite alike:
  // in WAL mode SQLite readers run beside the single writer).
  std::size_t pool_size = 0;
  // SQLite only. FULL makes every commit durable when it returns (the project
  // promise); NORMAL may lose the last commits on power loss.
  SqliteSynchronous sqlite_synchronous = SqliteSynchronous::kFull;
  // SQLite only: how long a writer waits for another process's write lock.
  std::chrono::milliseconds sqlite_busy_timeout{10000};
  // How long a caller waits for a free pooled connection before Unavailable.
  std::chrono::milliseconds acquire_timeout{30000};
  // Apply missing schema migrations in Open(). `credflow migrate` sets false
  // and calls Migrate() itself.
  bool migrate = true;
  // Stamps schema_migrations.applied_at; nullptr = the system clock.
  const engine::Clock* clock = nullptr;
};

}  // namespace credflow::adapters
