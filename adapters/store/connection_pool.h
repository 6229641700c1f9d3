// ConnectionPool: the SOCI store's connections to one database, each with
// the statement cache of the statements prepared on it (prepared_statement.h).
// A caller leases one connection for a read or a transaction and gives it
// back when the Lease dies.
//
// A connection that saw an error is suspect: before its next lease its
// statements are dropped (a failed statement may be left half-run) and, if
// the connection was lost, it is reopened and set up again. A caller whose
// work failed on a lost connection may ask Revive() to reopen it at once and
// retry work that cannot have changed anything (a read, a BEGIN).
//
// Threading: safe for concurrent use. A Lease, the session and the cache it
// gives access to belong to the thread holding it; a slot's suspect flag and
// cache are touched only by the thread holding that slot's lease.
#pragma once

#include <soci/soci.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "adapters/store/dialect.h"
#include "adapters/store/prepared_statement.h"
#include "adapters/store/store_options.h"
#include "adapters/store/store_url.h"
#include "engine/status.h"

namespace credflow::adapters {

class ConnectionPool {
 public:
  // A pooled connection, given back on destruction.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::size_t pos) : pool_(&pool), pos_(pos) {}
    Lease(Lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), pos_(other.pos_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->pool_.give_back(pos_);
    }
    soci::session& session() { return pool_->pool_.at(pos_); }
    // The slot's prepared statements; they belong to its current connection.
    StatementCache& cache() { return pool_->caches_[pos_]; }
    // After an error: check the connection before its next use.
    void MarkSuspect() { pool_->suspect_[pos_] = 1; }
    void ClearSuspect() { pool_->suspect_[pos_] = 0; }

   private:
    ConnectionPool* pool_;
    std::size_t pos_;
  };

  // `size` connections to `url`, set up by `dialect` with `options`; none is
  // opened before Connect(). Throws what soci::connection_pool throws.
  ConnectionPool(StoreUrl url, const StoreOptions& options, const Dialect& dialect, std::size_t size);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Opens and sets up every connection. Unavailable when the database cannot
  // be reached (the message names the redacted URL only).
  engine::Status Connect();

  // Success: a connection, after a suspect one was made ready again.
  // Unavailable("store busy in <operation>") when none is free within
  // options.acquire_timeout, Unavailable when a lost connection cannot be
  // reopened.
  engine::Result<Lease> Acquire(const char* operation);

  // After a failed statement: when the leased connection itself is gone (a
  // server restart, a dropped idle connection), opens it again. True when it
  // did, so that work which cannot have changed anything may be retried once.
  bool Revive(Lease& lease);

  // The Status for `e`, caught in `operation` while `lease` was in use
  // (store_errors.h); marks the connection suspect. On PostgreSQL an
  // unclassified error on a connection that is gone is Unavailable.
  engine::Status MapError(const std::exception& e, const std::string& operation, Lease& lease);

  const Dialect& dialect() const { return dialect_; }
  const StoreUrl& url() const { return url_; }
  // How many statements were prepared for the caches, on every slot, ever.
  uint64_t StatementsPrepared() const { return statements_prepared_.load(); }

 private:
  // Reopens the session after a lost connection. Its statements must be
  // dropped first: SOCI's statement objects refer to the old connection.
  void Reopen(Lease& lease);

  const StoreUrl url_;
  const StoreOptions options_;
  const Dialect& dialect_;
  soci::connection_pool pool_;
  const std::size_t size_;
  // Per pool slot; only the thread holding the slot's lease touches it.
  std::vector<char> suspect_;
  // Per pool slot, like suspect_. Declared after pool_, so destroyed before
  // the connections its statements belong to.
  std::vector<StatementCache> caches_;
  std::atomic<uint64_t> statements_prepared_{0};
};

}  // namespace credflow::adapters
