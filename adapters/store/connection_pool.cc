#include "adapters/store/connection_pool.h"

#include <spdlog/spdlog.h>

#include <cstdint>

#include "adapters/store/store_errors.h"

namespace credflow::adapters {

using engine::Result;
using engine::Status;

ConnectionPool::ConnectionPool(StoreUrl url, const StoreOptions& options, const Dialect& dialect, std::size_t size)
    : url_(std::move(url)),
      options_(options),
      dialect_(dialect),
      pool_(size),
      size_(size),
      suspect_(size, 0),
      caches_(size) {
  for (StatementCache& cache : caches_) cache.CountPreparesIn(&statements_prepared_);
}

Status ConnectionPool::Connect() {
  for (std::size_t i = 0; i < size_; ++i) {
    try {
      soci::session& sql = pool_.at(i);
      sql.open(dialect_.factory(), url_.connect_string);
      dialect_.SetUpSession(sql, options_);
    } catch (const std::exception& e) {
      StoreErrorKind kind = ClassifyStoreError(e);
      spdlog::error("store: cannot open {}: {}", url_.redacted, e.what());
      if (kind == StoreErrorKind::kInternal || kind == StoreErrorKind::kUnavailable) {
        return Status::Unavailable("cannot open the store at " + url_.redacted);
      }
      return StoreErrorStatus(kind, "open");
    }
  }
  return Status::Ok();
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire(const char* operation) {
  std::size_t pos = 0;
  const auto timeout_ms = options_.acquire_timeout.count();
  const int timeout = timeout_ms > INT32_MAX ? INT32_MAX : static_cast<int>(timeout_ms);
  if (!pool_.try_lease(pos, timeout)) {
    spdlog::error("store: no free connection for {} within {} ms", operation, timeout);
    return Status::Unavailable(std::string("store busy in ") + operation);
  }
  Lease lease(*this, pos);
  if (suspect_[pos]) {
    soci::session& sql = lease.session();
    try {
      // A statement that failed may be left half-run (SOCI keeps per-run
      // state in it): start this connection again with none. The
      // connection is idle here, so this also works before a reconnect.
      lease.cache().Clear();
      if (!dialect_.Connected(sql)) {
        spdlog::warn("store: reconnecting to {}", url_.redacted);
        Reopen(lease);
      }
      suspect_[pos] = 0;
    } catch (const std::exception& e) {
      spdlog::error("store: reconnect to {} failed: {}", url_.redacted, e.what());
      return Status::Unavailable(std::string("store unavailable in ") + operation);
    }
  }
  return lease;
}

bool ConnectionPool::Revive(Lease& lease) {
  soci::session& sql = lease.session();
  try {
    if (dialect_.Connected(sql)) return false;
    spdlog::warn("store: connection to {} lost; reconnecting", url_.redacted);
    Reopen(lease);
    lease.ClearSuspect();
    return true;
  } catch (const std::exception& e) {
    spdlog::error("store: reconnect to {} failed: {}", url_.redacted, e.what());
    lease.MarkSuspect();
    return false;
  }
}

void ConnectionPool::Reopen(Lease& lease) {
  // The prepared statements died with the connection; SOCI's statement
  // objects refer to it, so they must go before reconnect() replaces it.
  lease.cache().Clear();
  lease.cache().ForgetPipelineNames();
  soci::session& sql = lease.session();
  sql.reconnect();
  dialect_.SetUpSession(sql, options_);
}

Status ConnectionPool::MapError(const std::exception& e, const std::string& operation, Lease& lease) {
  StoreErrorKind kind = ClassifyStoreError(e);
  lease.MarkSuspect();
  if (kind == StoreErrorKind::kInternal && dialect_.backend() == StoreBackend::kPostgresql) {
    // A dropped connection often surfaces without a SQLSTATE.
    bool connected = true;
    try {
      connected = dialect_.Connected(lease.session());
    } catch (...) {
      connected = false;
    }
    if (!connected) kind = StoreErrorKind::kUnavailable;
  }
  LogStoreError(kind, operation, e);
  return StoreErrorStatus(kind, operation);
}

}  // namespace credflow::adapters
