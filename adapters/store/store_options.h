// StoreOptions: how SociCaseStore::Open sets up a store (pool size,
// SQLite's durability and lock wait, migration on open). A plain value.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>

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
  // Commands (engine::CaseStore::RunOptimistic) read outside a transaction
  // and hand their writes to a group committer, which commits the writes of
  // concurrent commands in one transaction (soci_transaction.h). Off: every
  // command is one transaction of its own, begun before its first read.
  bool group_commit = true;
  // Tests only: a group's leader calls this before it takes the queued
  // transactions (with the queue unlocked), so that a test can let a group
  // form; see SociCaseStore::GroupCommitQueue().
  std::function<void()> before_group_commit;
  // Apply missing schema migrations in Open(). `credflow migrate` sets false
  // and calls Migrate() itself.
  bool migrate = true;
  // Stamps schema_migrations.applied_at; nullptr = the system clock.
  const engine::Clock* clock = nullptr;
};

}  // namespace credflow::adapters
