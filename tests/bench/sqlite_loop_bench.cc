// The plain SQLite loop that credflow's SQLite requests/s are measured
// against (issue 14: at least 0.8x of it), run by run_http_benchmarks.sh
// right after credflow's own SQLite run.
//
//   credflow_sqlite_loop_bench --source CREDFLOW_DB --target NEW_DB --requests K
//
// It writes the same rows with the same durability and no engine: it copies
// the schema of the database credflow wrote during its run (tables, indexes,
// triggers) into a fresh file in WAL mode with synchronous=FULL, as credflow
// opens it; reads every row credflow left in every table; and inserts them
// again in K transactions (K = the requests credflow answered), each
// BEGIN IMMEDIATE, a K-th of every table's rows through prepared
// statements, and COMMIT, one after another on one connection. Each
// transition on an existing case also updated its case row: one UPDATE per
// history event beyond the cases' first, spread the same way, on cases
// already inserted. Rows credflow wrote and deleted again (fired timers)
// are not redone, and nothing is read back: the loop does a little less than
// credflow did, never more. Prints one JSON object.
#include <sqlite3.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

namespace {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string, std::vector<unsigned char>>;
using Row = std::vector<Value>;

struct Table {
  std::string name;
  std::vector<Row> rows;
  sqlite3_stmt* insert = nullptr;
};

[[noreturn]] void Die(sqlite3* db, const std::string& what) {
  std::cerr << "credflow_sqlite_loop_bench: " << what << ": " << (db ? sqlite3_errmsg(db) : "") << "\n";
  std::exit(1);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "";
    sqlite3_free(error);
    std::cerr << "credflow_sqlite_loop_bench: " << sql.substr(0, 80) << ": " << message << "\n";
    std::exit(1);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) Die(db, "prepare " + sql);
  return stmt;
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

std::vector<Row> ReadRows(sqlite3* db, const std::string& table) {
  sqlite3_stmt* stmt = Prepare(db, "SELECT * FROM " + Quoted(table));
  std::vector<Row> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    Row row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER: row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, i))); break;
        case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(stmt, i)); break;
        case SQLITE_TEXT:
          row.emplace_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                                       static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
          break;
        case SQLITE_BLOB: {
          const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, i));
          row.emplace_back(std::vector<unsigned char>(p, p + sqlite3_column_bytes(stmt, i)));
          break;
        }
        default: row.emplace_back(nullptr);
      }
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  return rows;
}

void Bind(sqlite3_stmt* stmt, int index, const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    sqlite3_bind_int64(stmt, index, *i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    sqlite3_bind_double(stmt, index, *d);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
  } else if (const auto* b = std::get_if<std::vector<unsigned char>>(&v)) {
    sqlite3_bind_blob(stmt, index, b->data(), static_cast<int>(b->size()), SQLITE_STATIC);
  } else {
    sqlite3_bind_null(stmt, index);
  }
}

void Step(sqlite3* db, sqlite3_stmt* stmt) {
  if (sqlite3_step(stmt) != SQLITE_DONE) Die(db, "step");
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("credflow_sqlite_loop_bench: credflow's rows again, in a plain SQLite loop");
  std::string source_path, target_path;
  int64_t requests = 0;
  app.add_option("--source", source_path, "the SQLite file credflow serve wrote")->required()->check(CLI::ExistingFile);
  app.add_option("--target", target_path, "the file to create (must not exist)")->required();
  app.add_option("--requests", requests, "transactions: the requests credflow answered")
      ->required()
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  sqlite3* source = nullptr;
  if (sqlite3_open_v2(source_path.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Die(source, "open " + source_path);
  }
  sqlite3* target = nullptr;
  if (sqlite3_open_v2(target_path.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE,
                      nullptr) != SQLITE_OK) {
    Die(target, "create " + target_path);
  }
  Exec(target, "PRAGMA journal_mode=WAL");
  Exec(target, "PRAGMA synchronous=FULL");

  // Tables first, then their indexes and triggers, as credflow made them.
  std::vector<Table> tables;
  std::vector<std::string> after_tables;
  sqlite3_stmt* schema = Prepare(source,
                                 "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE "
                                 "'sqlite_%' ORDER BY type = 'table' DESC, rowid");
  while (sqlite3_step(schema) == SQLITE_ROW) {
    const std::string type = reinterpret_cast<const char*>(sqlite3_column_text(schema, 0));
    const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(schema, 1));
    const std::string sql = reinterpret_cast<const char*>(sqlite3_column_text(schema, 2));
    if (type == "table") {
      Exec(target, sql);
      tables.push_back({name, ReadRows(source, name)});
    } else {
      after_tables.push_back(sql);
    }
  }
  sqlite3_finalize(schema);
  for (const std::string& sql : after_tables) Exec(target, sql);

  int64_t rows_total = 0;
  const Table* cases = nullptr;
  const Table* history = nullptr;
  for (Table& t : tables) {
    rows_total += static_cast<int64_t>(t.rows.size());
    if (t.rows.empty()) continue;
    std::string sql = "INSERT INTO " + Quoted(t.name) + " VALUES (";
    for (size_t i = 0; i < t.rows.front().size(); ++i) sql += i == 0 ? "?" : ", ?";
    t.insert = Prepare(target, sql + ")");
    if (t.name == "cases") cases = &t;
    if (t.name == "history") history = &t;
  }
  // A transition on an existing case rewrote its row: history events beyond
  // each case's first.
  const int64_t updates = cases != nullptr && history != nullptr
                              ? std::max<int64_t>(0, static_cast<int64_t>(history->rows.size() - cases->rows.size()))
                              : 0;
  sqlite3_stmt* update =
      cases != nullptr ? Prepare(target, "UPDATE cases SET version = version + 1 WHERE id = ?") : nullptr;
  sqlite3_stmt* begin = Prepare(target, "BEGIN IMMEDIATE");
  sqlite3_stmt* commit = Prepare(target, "COMMIT");

  auto share = [&](int64_t n, int64_t k) { return n * k / requests; };  // rows [share(n,k), share(n,k+1))
  const auto started = std::chrono::steady_clock::now();
  for (int64_t k = 0; k < requests; ++k) {
    Step(target, begin);
    for (const Table& t : tables) {
      const int64_t n = static_cast<int64_t>(t.rows.size());
      for (int64_t r = share(n, k); r < share(n, k + 1); ++r) {
        const Row& row = t.rows[static_cast<size_t>(r)];
        for (size_t c = 0; c < row.size(); ++c) Bind(t.insert, static_cast<int>(c) + 1, row[c]);
        Step(target, t.insert);
      }
    }
    if (update != nullptr) {
      const int64_t inserted = share(static_cast<int64_t>(cases->rows.size()), k + 1);
      for (int64_t u = share(updates, k); u < share(updates, k + 1) && inserted > 0; ++u) {
        Bind(update, 1, cases->rows[static_cast<size_t>(inserted - 1 - u % inserted)][0]);
        Step(target, update);
      }
    }
    Step(target, commit);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  for (Table& t : tables) sqlite3_finalize(t.insert);
  sqlite3_finalize(update);
  sqlite3_finalize(begin);
  sqlite3_finalize(commit);
  sqlite3_close(target);
  sqlite3_close(source);
  std::printf(
      "{\"transactions\": %lld, \"rows\": %lld, \"case_updates\": %lld, \"seconds\": %.3f, "
      "\"transactions_per_s\": %.1f}\n",
      static_cast<long long>(requests), static_cast<long long>(rows_total), static_cast<long long>(updates), seconds,
      static_cast<double>(requests) / seconds);
  return 0;
}
