#include "adapters/store/store_errors.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <cstddef>
#include <string_view>

namespace credflow::adapters {

using engine::Status;

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

const char* KindName(StoreErrorKind kind) {
  switch (kind) {
    case StoreErrorKind::kConstraint: return "constraint";
    case StoreErrorKind::kConflict: return "conflict";
    case StoreErrorKind::kUnavailable: return "unavailable";
    case StoreErrorKind::kInternal: return "internal";
  }
  return "internal";
}

StoreErrorKind ClassifyPostgresql(const soci::postgresql_soci_error& e) {
  const std::string state = e.sqlstate();
  if (state == "40001" || state == "40P01") return StoreErrorKind::kConflict;
  if (StartsWith(state, "23")) return StoreErrorKind::kConstraint;
  // 08 connection exception, 53 insufficient resources (too many
  // connections, disk full), 57P0x the server is shutting down or starting.
  if (StartsWith(state, "08") || StartsWith(state, "53") || StartsWith(state, "57P")) {
    return StoreErrorKind::kUnavailable;
  }
  switch (e.get_error_category()) {
    case soci::soci_error::connection_error: return StoreErrorKind::kUnavailable;
    case soci::soci_error::constraint_violation: return StoreErrorKind::kConstraint;
    default: return StoreErrorKind::kInternal;
  }
}

StoreErrorKind ClassifySqlite(const soci::sqlite3_soci_error& e) {
  switch (e.result() & 0xff) {  // the primary result code
    case 19:                    // SQLITE_CONSTRAINT (also RAISE(ABORT) in a trigger)
      return StoreErrorKind::kConstraint;
    case 5:   // SQLITE_BUSY: another process held the lock past busy_timeout
    case 6:   // SQLITE_LOCKED
    case 8:   // SQLITE_READONLY
    case 10:  // SQLITE_IOERR
    case 13:  // SQLITE_FULL
    case 14:  // SQLITE_CANTOPEN
    case 15:  // SQLITE_PROTOCOL
      return StoreErrorKind::kUnavailable;
    default: return StoreErrorKind::kInternal;
  }
}

// The driver's message for the log, without the bound values SOCI appends
// (case data, payloads): the statement and the database's words are enough.
std::string LoggableText(const std::exception& e) {
  std::string text = e.what();
  if (size_t with = text.find("\" with :"); with != std::string::npos) {
    text.erase(with + 1);
    text += " (values omitted)";
  }
  return text;
}

}  // namespace

StoreErrorKind ClassifyStoreError(const std::exception& e) {
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    return ClassifyPostgresql(*pg);
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return ClassifySqlite(*lite);
  }
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e)) {
    switch (soci_error->get_error_category()) {
      case soci::soci_error::connection_error: return StoreErrorKind::kUnavailable;
      case soci::soci_error::constraint_violation: return StoreErrorKind::kConstraint;
      default: return StoreErrorKind::kInternal;
    }
  }
  return StoreErrorKind::kInternal;
}

Status StoreErrorStatus(StoreErrorKind kind, const std::string& operation) {
  switch (kind) {
    case StoreErrorKind::kConstraint:
      return Status::Conflict("store_constraint", "store constraint violated in " + operation);
    case StoreErrorKind::kConflict:
      return Status::Conflict("store_conflict", "concurrent write conflict in " + operation + "; retry");
    case StoreErrorKind::kUnavailable: return Status::Unavailable("store unavailable in " + operation);
    case StoreErrorKind::kInternal: break;
  }
  return Status::Internal("store error in " + operation);
}

void LogStoreError(StoreErrorKind kind, const std::string& operation, const std::exception& e) {
  if (kind == StoreErrorKind::kConflict || kind == StoreErrorKind::kConstraint) {
    spdlog::info("store: {} in {}: {}", KindName(kind), operation, LoggableText(e));
  } else {
    spdlog::error("store: {} in {}: {}", KindName(kind), operation, LoggableText(e));
  }
}

}  // namespace credflow::adapters
