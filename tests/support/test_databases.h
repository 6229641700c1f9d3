// Throwaway databases for tests: a fresh PostgreSQL database per test on the
// fixture server (tests/support/pg_server.sh), a fresh SQLite file per test.
//
// PostgreSQL is never optional: when no server is configured, the test that
// asks for one fails with a message that says how to get one.
#pragma once

#include <string>

#include "engine/status.h"

namespace credflow::testing {

// The admin conninfo (libpq keyword/value form) of the test server: the
// environment variable CREDFLOW_TEST_PG, else the file
// $CREDFLOW_TEST_PG_DIR/conninfo written by pg_server.sh. When neither is
// there, records a test failure (ADD_FAILURE) that says so and returns "".
std::string TestPgConninfo();

// CREATE DATABASE cf_test_<random> on construction, DROP DATABASE ... WITH
// (FORCE) on destruction. Not copyable or movable.
class ScratchPgDatabase {
 public:
  ScratchPgDatabase();
  ~ScratchPgDatabase();
  ScratchPgDatabase(const ScratchPgDatabase&) = delete;
  ScratchPgDatabase& operator=(const ScratchPgDatabase&) = delete;

  // Whether the database exists; status() says why not.
  bool ok() const { return status_.ok(); }
  const engine::Status& status() const { return status_; }
  const std::string& name() const { return name_; }
  // A store URL for SociCaseStore::Open: "postgresql:<conninfo> dbname=<name>".
  const std::string& url() const { return url_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
  engine::Status status_;
};

// A unique path for a SQLite file in the temporary directory; the file and
// its -wal, -shm and -journal companions are removed on destruction.
class ScratchSqliteFile {
 public:
  ScratchSqliteFile();
  ~ScratchSqliteFile();
  ScratchSqliteFile(const ScratchSqliteFile&) = delete;
  ScratchSqliteFile& operator=(const ScratchSqliteFile&) = delete;

  const std::string& path() const { return path_; }
  // "sqlite:<path>".
  std::string url() const { return "sqlite:" + path_; }

 private:
  std::string dir_;
  std::string path_;
};

}  // namespace credflow::testing
