// Store errors: what a SOCI exception means for the engine. SOCI throws;
// the engine's port speaks Status (STYLE.md, decision 1). Every catch in the
// store maps what it caught here, so that the mapping is one table:
//
//   constraint  a unique, foreign-key or check constraint, or the history
//               guard's trigger            -> Conflict("store_constraint")
//   conflict    serialization failure or deadlock (PostgreSQL 40001, 40P01):
//               a retry may succeed        -> Conflict("store_conflict")
//   unavailable the database cannot be reached or is busy beyond our
//               patience (PostgreSQL classes 08, 53, 57P; SQLite BUSY,
//               LOCKED, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL)
//                                          -> Unavailable
//   internal    anything else              -> Internal
//
// The Status names only the store operation ("store error in update_case"):
// no SQL, no driver text, no connection secrets reach a caller. The log gets
// the driver's text without the bound values SOCI appends to it.
//
// Threading: pure functions, plus spdlog (itself thread-safe); safe from any
// thread.
#pragma once

#include <exception>
#include <string>

#include "engine/status.h"

namespace credflow::adapters {

enum class StoreErrorKind {
  kConstraint,
  kConflict,
  kUnavailable,
  kInternal,
};

// What `e` (a SOCI exception or any other) means; see the table above.
StoreErrorKind ClassifyStoreError(const std::exception& e);

// The Status a caller sees for an error of `kind` in `operation`.
engine::Status StoreErrorStatus(StoreErrorKind kind, const std::string& operation);

// Logs `e`, caught in `operation`: conflicts and constraints at info (a
// caller expects and handles them), the rest at error.
void LogStoreError(StoreErrorKind kind, const std::string& operation, const std::exception& e);

}  // namespace credflow::adapters
