#include "adapters/store/migrations.h"

#include <soci/soci.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "adapters/text/pinyin.h"

namespace credflow::adapters {
namespace {

// Dialect differences, named. Statements below write ${KEY} for text columns
// that are keys or sort keys (ids, and timestamps in FormatTimestamp's
// sortable form): PostgreSQL compares them bytewise (COLLATE "C") so that
// their order is the same on every server locale and on SQLite (whose TEXT
// compares bytewise already). ${FLAG} is a yes/no column holding 0 or 1
// (SQLite has no boolean type, and the store exchanges integers on both).
// Every other difference is a separate list.
struct SchemaDialect {
  const char* key_text;
  const char* flag;
};

constexpr SchemaDialect kSqliteSchema{"TEXT", "INTEGER"};
constexpr SchemaDialect kPostgresqlSchema{"TEXT COLLATE \"C\"", "SMALLINT"};

const SchemaDialect& SchemaDialectFor(StoreBackend backend) {
  return backend == StoreBackend::kSqlite ? kSqliteSchema : kPostgresqlSchema;
}

void ReplaceAll(std::string* text, const std::string& placeholder, const char* value) {
  for (size_t pos = text->find(placeholder); pos != std::string::npos; pos = text->find(placeholder, pos)) {
    text->replace(pos, placeholder.size(), value);
    pos += std::char_traits<char>::length(value);
  }
}

std::string Expand(std::string text, const SchemaDialect& d) {
  ReplaceAll(&text, "${KEY}", d.key_text);
  ReplaceAll(&text, "${FLAG}", d.flag);
  return text;
}

// Any lock key would do, as long as every credflow process uses the same one.
constexpr long long kMigrationLockKey = 0x6366'6d69'6772'6174LL;  // "cfmigrat"

const char* const kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " applied_at TEXT NOT NULL)";

// ---- Version 1: the initial schema. -------------------------------------

const char* const kV1Common[] = {
    "CREATE TABLE cases ("
    " id ${KEY} PRIMARY KEY,"
    " workflow TEXT NOT NULL,"
    " definition_version INTEGER NOT NULL,"
    " subject TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " outcome TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " policy_id TEXT NOT NULL,"
    " policy_version TEXT NOT NULL,"
    " policy_hash TEXT NOT NULL,"
    " data TEXT NOT NULL,"
    " parent_id ${KEY} NOT NULL,"
    " history_head TEXT NOT NULL,"
    " created_at ${KEY} NOT NULL,"
    " updated_at TEXT NOT NULL)",
    "CREATE INDEX cases_subject ON cases (subject)",
    "CREATE INDEX cases_workflow_state ON cases (workflow, state)",
    "CREATE INDEX cases_parent_id ON cases (parent_id)",

    "CREATE TABLE history ("
    " case_id ${KEY} NOT NULL REFERENCES cases (id),"
    " seq BIGINT NOT NULL,"
    " event TEXT NOT NULL,"
    " from_state TEXT NOT NULL,"
    " to_state TEXT NOT NULL,"
    " actor_user TEXT NOT NULL,"
    " actor_role TEXT NOT NULL,"
    " actor_department TEXT NOT NULL,"
    " at ${KEY} NOT NULL,"
    " payload TEXT NOT NULL,"
    " policy_id TEXT NOT NULL,"
    " policy_version TEXT NOT NULL,"
    " policy_hash TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL,"
    " PRIMARY KEY (case_id, seq))",

    "CREATE TABLE timers ("
    " id ${KEY} PRIMARY KEY,"
    " case_id ${KEY} NOT NULL,"
    " name TEXT NOT NULL,"
    " event TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " due_on TEXT NOT NULL,"
    " fire_at ${KEY} NOT NULL,"
    " UNIQUE (case_id, name))",
    "CREATE INDEX timers_fire_at ON timers (fire_at, id)",

    "CREATE TABLE subject_records ("
    " id ${KEY} PRIMARY KEY,"
    " subject TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " case_id ${KEY} NOT NULL,"
    " data TEXT NOT NULL,"
    " created_at ${KEY} NOT NULL,"
    " updated_at TEXT NOT NULL)",
    "CREATE INDEX subject_records_subject ON subject_records (subject)",

    "CREATE TABLE notices ("
    " id ${KEY} PRIMARY KEY,"
    " case_id ${KEY} NOT NULL,"
    " recipient TEXT NOT NULL,"
    " template_id TEXT NOT NULL,"
    " data TEXT NOT NULL,"
    " created_at ${KEY} NOT NULL)",
    "CREATE INDEX notices_case_id ON notices (case_id)",

    "CREATE TABLE child_outcomes ("
    " parent_id ${KEY} NOT NULL,"
    " child_id ${KEY} NOT NULL,"
    " child_workflow TEXT NOT NULL,"
    " outcome ${KEY} NOT NULL,"
    " at ${KEY} NOT NULL,"
    " PRIMARY KEY (parent_id, child_id, outcome))",

    "CREATE TABLE idempotency ("
    " key ${KEY} PRIMARY KEY,"
    " request_hash TEXT NOT NULL,"
    " case_id TEXT NOT NULL,"
    " response TEXT NOT NULL,"
    " created_at ${KEY} NOT NULL)",
};

// History is append-only: the database itself rejects UPDATE and DELETE.
const char* const kV1Sqlite[] = {
    "CREATE TRIGGER history_no_update BEFORE UPDATE ON history"
    " BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
    "CREATE TRIGGER history_no_delete BEFORE DELETE ON history"
    " BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
};

const char* const kV1Postgresql[] = {
    "CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION 'history is append-only' USING ERRCODE = 'restrict_violation';"
    " END $$",
    "CREATE TRIGGER history_no_update_delete BEFORE UPDATE OR DELETE ON history"
    " FOR EACH ROW EXECUTE FUNCTION history_append_only()",
    "CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history"
    " FOR EACH STATEMENT EXECUTE FUNCTION history_append_only()",
};

// ---- Version 2: subject profiles. ---------------------------------------

// One row per registered subject: the projection of its `subject` case.
// grade_set_on is a YYYY-MM-DD date, NULL when never graded.
const char* const kV2Common[] = {
    "CREATE TABLE subjects ("
    " code ${KEY} PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " grade ${KEY} NOT NULL,"
    " grade_set_on TEXT NULL,"
    " grade_reason TEXT NOT NULL,"
    " grade_source TEXT NOT NULL,"
    " case_id ${KEY} NOT NULL,"
    " updated_at TEXT NOT NULL)",
    // Serves "subjects of grade X, in code order, after code Y".
    "CREATE INDEX subjects_grade ON subjects (grade, code)",
};

// ---- Version 3: departments' tasks, overdue cases, API users. -----------

// cases.department: the department whose task the case is ('' for none).
// cases.overdue: 1 when the case's data holds "overdue": true (a projection
// the store writes with the data, so that the overdue query needs no JSON).
const char* const kV3CasesCommon[] = {
    "ALTER TABLE cases ADD COLUMN department TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN overdue ${FLAG} NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1))",
};

// The backfill of the projection from the data already stored (JSON text;
// only a JSON true counts, as in SociCaseStore).
const char* const kV3BackfillSqlite[] = {
    "UPDATE cases SET overdue = 1 WHERE json_type(data, '$.overdue') = 'true'",
};
// PostgreSQL: due_on becomes a bytewise key too, now that the overdue query
// compares it (as SQLite, and as the fire_at key column, already do).
const char* const kV3Postgresql[] = {
    // CAST, not '::': SOCI reads ':name' as a parameter.
    "UPDATE cases SET overdue = 1"
    " WHERE CAST(data AS jsonb) -> 'overdue' = CAST('true' AS jsonb)",
    "ALTER TABLE timers ALTER COLUMN due_on TYPE TEXT COLLATE \"C\"",
};

const char* const kV3Common[] = {
    // A department's inbox (its open tasks), in id order.
    "CREATE INDEX cases_department_outcome ON cases (department, outcome, id)",
    // Open cases in id order; the overdue query scans these.
    "CREATE INDEX cases_outcome ON cases (outcome, id)",
    // Deadlines due before a date (the overdue query's other half).
    "CREATE INDEX timers_due_on ON timers (due_on, case_id)",

    // API users (engine/user.h): the token itself is never stored, only its
    // SHA-256; the UNIQUE index serves the lookup on every request.
    "CREATE TABLE users ("
    " name ${KEY} PRIMARY KEY,"
    " role TEXT NOT NULL,"
    " department TEXT NOT NULL DEFAULT '',"
    " token_hash TEXT NOT NULL UNIQUE,"
    " disabled ${FLAG} NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    " created_at TEXT NOT NULL)",
};

// ---- Version 4: provisional deadlines. ------------------------------------

// timers.provisional: 1 when the timer's last day rests on a provisional
// calendar year (engine/deadlines.h); the recount reads these in id order.
const char* const kV4Common[] = {
    "ALTER TABLE timers ADD COLUMN provisional ${FLAG} NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1))",
    "CREATE INDEX timers_provisional ON timers (provisional, id)",
};

// ---- Version 6: open cases are the cases not in a final state. -----------
// (ApplySchemaMigrations applies whichever listed versions a store has not
// applied yet, so stores of branches that numbered them apart converge.)

// cases.closed: 1 when the case's state is final in its workflow
// (engine::Case::closed, written by the store with every case). "Open" used
// to mean outcome = 'pending', which hid a commitment whose rectification was
// ordered (outcome rectification_ordered, matter not concluded).
const char* const kV6Common[] = {
    "ALTER TABLE cases ADD COLUMN closed ${FLAG} NOT NULL DEFAULT 0 CHECK (closed IN (0, 1))",
    // The backfill keeps the old meaning (closed once it has an outcome)
    // except for the states that have an outcome and are not final when this
    // version was written (CREDFLOW_FINAL_STATE in workflows/*/..._machine.h):
    // rectification ordered, the matter suspended, not concluded.
    "UPDATE cases SET closed = 1 WHERE outcome <> 'pending'"
    " AND NOT (workflow IN ('commitment', 'false_commitment') AND state = 'RectificationOrdered')",
    // Open cases, a department's open tasks, in id order (the open and
    // overdue queries); they replace the indexes on outcome.
    "DROP INDEX cases_department_outcome",
    "DROP INDEX cases_outcome",
    "CREATE INDEX cases_department_closed ON cases (department, closed, id)",
    "CREATE INDEX cases_closed ON cases (closed, id)",
};

// ---- Version 5: document numbers. ----------------------------------------

// document_sequences: the last number issued in each (office, prefix, year);
// a number is taken by incrementing the row, which locks it until commit,
// so a sequence has no gaps (tables/document_numbers_table.h).
// document_numbers: the number each (case, document kind) was issued, kept
// for good so that a document printed again shows the same number.
const char* const kV5Common[] = {
    "CREATE TABLE document_sequences ("
    " office ${KEY} NOT NULL,"
    " prefix ${KEY} NOT NULL,"
    " year INTEGER NOT NULL,"
    " last_number BIGINT NOT NULL CHECK (last_number >= 0),"
    " PRIMARY KEY (office, prefix, year))",

    "CREATE TABLE document_numbers ("
    " case_id ${KEY} NOT NULL REFERENCES cases (id),"
    " kind ${KEY} NOT NULL,"
    " office ${KEY} NOT NULL,"
    " prefix ${KEY} NOT NULL,"
    " year INTEGER NOT NULL,"
    " number BIGINT NOT NULL CHECK (number >= 1),"
    " issued_on TEXT NOT NULL,"
    " issued_at ${KEY} NOT NULL,"
    " PRIMARY KEY (case_id, kind),"
    " UNIQUE (office, prefix, year, number))",
};

// ---- Version 7: a subject's records by kind. ------------------------------

// A transition reads only the kinds of record its workflow declares
// (WorkflowDefinition::FactKinds); the ledger's entries read two of a heavy
// subject's hundreds. (subject, kind) serves that and every query by subject.
const char* const kV7Common[] = {
    "CREATE INDEX subject_records_subject_kind ON subject_records (subject, kind)",
    "DROP INDEX subject_records_subject",
};

// ---- Version 8: console passwords and sessions. ---------------------------

// users.password_hash: the console password's Argon2id hash in libsodium's
// string form ('' = no password: the user signs in with a token only).
// sessions: signed-in console sessions, by the SHA-256 of the session id
// (the cookie's value is never stored), shared by every serve process;
// expires_at moves with each request (inactivity) and serves the purge.
const char* const kV8Common[] = {
    "ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT ''",
    "CREATE TABLE sessions ("
    " id_hash ${KEY} PRIMARY KEY,"
    " user_name ${KEY} NOT NULL REFERENCES users (name),"
    " created_at TEXT NOT NULL,"
    " last_seen TEXT NOT NULL,"
    " expires_at ${KEY} NOT NULL)",
    "CREATE INDEX sessions_expires_at ON sessions (expires_at)",
};

// ---- Version 9: subjects found by the pinyin of their name. ---------------

// subjects.search_key: "<pinyin> <initials>" of the name (text/pinyin.h),
// written with every profile; a search that looks like pinyin matches it
// with LIKE. Backfilled from the names already stored.
const char* const kV9Common[] = {
    "ALTER TABLE subjects ADD COLUMN search_key TEXT NOT NULL DEFAULT ''",
};

void BackfillSearchKeys(soci::session& sql) {
  std::vector<std::pair<std::string, std::string>> names;  // code, name
  {
    std::string code;
    std::string name;
    soci::statement st = (sql.prepare << "SELECT code, name FROM subjects", soci::into(code), soci::into(name));
    st.execute();
    while (st.fetch()) names.emplace_back(code, name);
  }
  for (const auto& [code, name] : names) {
    std::string key = text::PinyinSearchKey(name);
    std::string c = code;
    sql << "UPDATE subjects SET search_key = :key WHERE code = :code", soci::use(key), soci::use(c);
  }
}

// ---- Version 10: indexes that hold only the rows they serve. -------------

// A case's parent and department are '' unless it is a child or a
// department's task, and a timer is provisional only while the calendar of
// its last day is: the three indexes held every row version anyway, and a
// case's every transition wrote new entries into both of its own (about
// 5% of the WAL of a request). Each query through them states its index's
// condition (tables/cases_table.cc, tables/timers_table.cc).
const char* const kV10Common[] = {
    "DROP INDEX cases_parent_id",
    "CREATE INDEX cases_parent_id ON cases (parent_id) WHERE parent_id <> ''",
    "DROP INDEX cases_department_closed",
    "CREATE INDEX cases_department_closed ON cases (department, closed, id) WHERE department <> ''",
    "DROP INDEX timers_provisional",
    "CREATE INDEX timers_provisional ON timers (id) WHERE provisional = 1",
};

template <size_t N>
void AppendAll(std::vector<std::string>* out, const char* const (&statements)[N], const SchemaDialect& d) {
  for (const char* s : statements) out->push_back(Expand(s, d));
}

// ---- Dialect-specific bookkeeping queries. --------------------------------

const char* MigrationsTableExistsQuery(StoreBackend backend) {
  return backend == StoreBackend::kSqlite
             ? "SELECT COUNT(*) FROM sqlite_master"
               " WHERE type = 'table' AND name = 'schema_migrations'"
             : "SELECT COUNT(*) FROM information_schema.tables"
               " WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";
}

// Opens a migration transaction holding the migration lock.
void BeginLocked(soci::session& sql, StoreBackend backend) {
  if (backend == StoreBackend::kSqlite) {
    sql << "BEGIN IMMEDIATE";
  } else {
    sql << "BEGIN ISOLATION LEVEL READ COMMITTED";
    long long key = kMigrationLockKey;
    int ignored = 0;
    sql << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked", soci::use(key), soci::into(ignored);
  }
}

bool IsAppliedLocked(soci::session& sql, int version) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :version", soci::use(version), soci::into(count);
  return count > 0;
}

int AppliedVersionLocked(soci::session& sql) {
  long long version = 0;
  sql << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", soci::into(version);
  return static_cast<int>(version);
}

// Rolls back the open migration transaction if an exception leaves it.
class RollbackGuard {
 public:
  explicit RollbackGuard(soci::session& sql) : sql_(sql) {}
  ~RollbackGuard() {
    if (done_) return;
    try {
      sql_ << "ROLLBACK";
    } catch (...) {
      // The connection may be gone; there is nothing left to undo then.
    }
  }
  void Commit() {
    sql_ << "COMMIT";
    done_ = true;
  }

 private:
  soci::session& sql_;
  bool done_ = false;
};

}  // namespace

std::vector<Migration> SchemaMigrations(StoreBackend backend) {
  const SchemaDialect& d = SchemaDialectFor(backend);
  std::vector<Migration> all;

  Migration v1;
  v1.version = 1;
  v1.description =
      "cases, history (append-only), timers, subject records, notices, "
      "child outcomes, idempotency";
  AppendAll(&v1.statements, kV1Common, d);
  if (backend == StoreBackend::kSqlite) {
    AppendAll(&v1.statements, kV1Sqlite, d);
  } else {
    AppendAll(&v1.statements, kV1Postgresql, d);
  }
  all.push_back(std::move(v1));

  Migration v2;
  v2.version = 2;
  v2.description = "subjects (subject profiles)";
  AppendAll(&v2.statements, kV2Common, d);
  all.push_back(std::move(v2));

  Migration v3;
  v3.version = 3;
  v3.description = "cases.department and cases.overdue (backfilled), users";
  AppendAll(&v3.statements, kV3CasesCommon, d);
  if (backend == StoreBackend::kSqlite) {
    AppendAll(&v3.statements, kV3BackfillSqlite, d);
  } else {
    AppendAll(&v3.statements, kV3Postgresql, d);
  }
  AppendAll(&v3.statements, kV3Common, d);
  all.push_back(std::move(v3));

  Migration v4;
  v4.version = 4;
  v4.description = "timers.provisional (deadlines on a provisional calendar year)";
  AppendAll(&v4.statements, kV4Common, d);
  all.push_back(std::move(v4));

  Migration v5;
  v5.version = 5;
  v5.description = "document numbers (文号) and their per-office, per-prefix, per-year sequences";
  AppendAll(&v5.statements, kV5Common, d);
  all.push_back(std::move(v5));

  Migration v6;
  v6.version = 6;
  v6.description = "cases.closed (the state is final in its workflow; backfilled), indexes on it";
  AppendAll(&v6.statements, kV6Common, d);
  all.push_back(std::move(v6));

  Migration v7;
  v7.version = 7;
  v7.description = "subject_records indexed by (subject, kind)";
  AppendAll(&v7.statements, kV7Common, d);
  all.push_back(std::move(v7));

  Migration v8;
  v8.version = 8;
  v8.description = "users.password_hash and sessions (the web console's sign-in)";
  AppendAll(&v8.statements, kV8Common, d);
  all.push_back(std::move(v8));

  Migration v9;
  v9.version = 9;
  v9.description = "subjects.search_key (the name's pinyin and initials; backfilled)";
  AppendAll(&v9.statements, kV9Common, d);
  v9.backfill = &BackfillSearchKeys;
  all.push_back(std::move(v9));

  Migration v10;
  v10.version = 10;
  v10.description = "partial indexes: cases by parent and by department, provisional timers";
  AppendAll(&v10.statements, kV10Common, d);
  all.push_back(std::move(v10));

  return all;
}

int SchemaTargetVersion() { return SchemaMigrations(StoreBackend::kSqlite).back().version; }

std::vector<int> ReadAppliedSchemaVersions(soci::session& sql, StoreBackend backend) {
  std::vector<int> versions;
  long long exists = 0;
  sql << MigrationsTableExistsQuery(backend), soci::into(exists);
  if (exists == 0) return versions;
  int version = 0;
  soci::statement st = (sql.prepare << "SELECT version FROM schema_migrations ORDER BY version", soci::into(version));
  st.execute();
  while (st.fetch()) versions.push_back(version);
  return versions;
}

MigrationOutcome ApplySchemaMigrations(soci::session& sql, StoreBackend backend, const engine::Clock& clock) {
  MigrationOutcome outcome;
  bool first = true;
  for (const Migration& m : SchemaMigrations(backend)) {
    BeginLocked(sql, backend);
    RollbackGuard tx(sql);
    sql << kCreateMigrationsTable;
    const int current = AppliedVersionLocked(sql);
    if (first) {
      outcome.before = current;
      first = false;
    }
    outcome.after = current;
    if (IsAppliedLocked(sql, m.version)) {
      tx.Commit();
      continue;
    }
    for (const std::string& statement : m.statements) sql << statement;
    if (m.backfill != nullptr) m.backfill(sql);
    int version = m.version;
    std::string applied_at = engine::FormatTimestamp(clock.Now());
    sql << "INSERT INTO schema_migrations (version, applied_at) VALUES (:version, :applied_at)", soci::use(version),
        soci::use(applied_at);
    tx.Commit();
    outcome.after = std::max(current, m.version);
    ++outcome.applied;
  }
  return outcome;
}

}  // namespace credflow::adapters
