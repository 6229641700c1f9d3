#include "tests/support/test_databases.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include "adapters/store/soci_case_store.h"

namespace credflow::testing {
namespace {

std::string RandomHex(int digits) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<int> dist(0, 15);
  std::string out;
  for (int i = 0; i < digits; ++i) out.push_back("0123456789abcdef"[dist(rng)]);
  return out;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  size_t start = s.find_first_not_of(' ');
  return start == std::string::npos ? std::string() : s.substr(start);
}

// Drops every dbname=... from a keyword/value conninfo, so that ours wins.
std::string WithoutDbname(const std::string& conninfo) {
  std::istringstream in(conninfo);
  std::string token, out;
  while (in >> token) {
    if (token.rfind("dbname=", 0) == 0) continue;
    if (!out.empty()) out += ' ';
    out += token;
  }
  return out;
}

}  // namespace

std::string TestPgConninfo() {
  if (const char* env = std::getenv("CREDFLOW_TEST_PG"); env != nullptr && *env != '\0') {
    return Trim(env);
  }
  const char* dir = std::getenv("CREDFLOW_TEST_PG_DIR");
  if (dir != nullptr && *dir != '\0') {
    const std::string file = std::string(dir) + "/conninfo";
    std::ifstream in(file);
    std::string conninfo;
    if (in && std::getline(in, conninfo) && !Trim(conninfo).empty()) return Trim(conninfo);
    ADD_FAILURE() << "No PostgreSQL test server: " << file
                  << " is missing or empty. Run the tests through ctest (the `postgresql` "
                     "fixture starts one), or start one with `bash tests/support/pg_server.sh "
                     "start "
                  << dir << "`.";
    return "";
  }
  ADD_FAILURE() << "No PostgreSQL test server configured. Run the tests through ctest (the "
                   "`postgresql` fixture starts one and sets CREDFLOW_TEST_PG_DIR), or set "
                   "CREDFLOW_TEST_PG to a libpq keyword/value conninfo of a server you own "
                   "(e.g. \"host=127.0.0.1 port=5432 user=postgres dbname=postgres\").";
  return "";
}

ScratchPgDatabase::ScratchPgDatabase() {
  const std::string conninfo = TestPgConninfo();
  if (conninfo.empty()) {
    status_ = engine::Status::Unavailable("no PostgreSQL test server configured");
    return;
  }
  admin_url_ = "postgresql:" + conninfo;
  name_ = "cf_test_" + RandomHex(16);
  // The name is ours (letters and digits): identifiers cannot be bound.
  status_ = adapters::ExecuteOnce(admin_url_, "CREATE DATABASE " + name_);
  if (!status_.ok()) {
    ADD_FAILURE() << "cannot create the scratch database " << name_ << ": " << status_.ToString();
    return;
  }
  url_ = "postgresql:" + WithoutDbname(conninfo) + " dbname=" + name_;
}

ScratchPgDatabase::~ScratchPgDatabase() {
  if (!status_.ok()) return;
  engine::Status dropped = adapters::ExecuteOnce(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  if (!dropped.ok()) {
    ADD_FAILURE() << "cannot drop the scratch database " << name_ << ": " << dropped.ToString();
  }
}

ScratchSqliteFile::ScratchSqliteFile() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  // A private directory per file: nothing else can collide with the -wal and
  // -shm names.
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::filesystem::path dir = base / ("cf-sqlite-" + RandomHex(12));
    if (std::filesystem::create_directory(dir, ec)) {
      dir_ = dir.string();
      break;
    }
  }
  if (dir_.empty()) {
    ADD_FAILURE() << "cannot create a temporary directory under " << base;
    dir_ = base.string();
  }
  path_ = dir_ + "/store.db";
}

ScratchSqliteFile::~ScratchSqliteFile() {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path_ + suffix, ec);
  }
  if (dir_.find("cf-sqlite-") != std::string::npos) std::filesystem::remove(dir_, ec);
}

}  // namespace credflow::testing
