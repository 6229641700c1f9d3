// StoreUrl: what a store URL names, in the form SOCI's backends take, and
// the same URL fit for a log line. ParseStoreUrl is the only place that
// reads store URLs; SociCaseStore::Open and ExecuteOnce call it.
//
// Threading: pure functions of their arguments; safe from any thread.
#pragma once

#include <string>

#include "adapters/store/store_backend.h"
#include "engine/status.h"

namespace credflow::adapters {

// A store URL, understood:
//   sqlite:PATH                             a database file (created if absent)
//   postgresql:KEY=VALUE KEY=VALUE ...      libpq keyword/value form
//   postgresql://user:pass@host:port/db?k=v a libpq URI (also postgres://);
//                                           percent-decoded and converted to
//                                           keyword/value form, because SOCI
//                                           4.0.3 hands URIs to libpq mangled
struct StoreUrl {
  StoreBackend backend = StoreBackend::kSqlite;
  // What SOCI's backend receives. May hold a password: never log it.
  std::string connect_string;
  // The URL with any password replaced by "***", for logs and messages.
  std::string redacted;
  // SQLite: the database file's path; empty for PostgreSQL.
  std::string sqlite_path;
};

// Success: the URL's backend, connect string and redacted form.
// InvalidArgument("invalid_store_url") for an unknown scheme, a SQLite path
// that is not a plain file, or a malformed URI; the message never repeats a
// password.
engine::Result<StoreUrl> ParseStoreUrl(const std::string& url);

}  // namespace credflow::adapters
