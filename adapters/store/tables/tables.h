// Tables: every table of the SOCI store on one connection, the thin
// aggregate that the store's reads and its transaction work through. The SQL
// lives in one file per table (tables/*_table.cc), written once for both
// databases; where they differ it asks the connection's Dialect.
//
// Threading: as each table (see cases_table.h). A Tables is cheap to make:
// one per read and one per transaction, on the leased connection.
#pragma once

#include "adapters/store/prepared_statement.h"
#include "adapters/store/tables/cases_table.h"
#include "adapters/store/tables/child_outcomes_table.h"
#include "adapters/store/tables/document_numbers_table.h"
#include "adapters/store/tables/history_table.h"
#include "adapters/store/tables/idempotency_table.h"
#include "adapters/store/tables/notices_table.h"
#include "adapters/store/tables/sessions_table.h"
#include "adapters/store/tables/subjects_table.h"
#include "adapters/store/tables/timers_table.h"
#include "adapters/store/tables/users_table.h"

namespace credflow::adapters {

class Tables {
 public:
  Tables(soci::session& sql, StatementCache& cache, const Dialect& dialect)
      : conn_{sql, cache, dialect},
        cases_(conn_),
        history_(conn_),
        timers_(conn_),
        subjects_(conn_),
        notices_(conn_),
        child_outcomes_(conn_),
        idempotency_(conn_),
        users_(conn_),
        sessions_(conn_),
        document_numbers_(conn_) {}
  // The tables refer to conn_: not copyable.
  Tables(const Tables&) = delete;
  Tables& operator=(const Tables&) = delete;

  CasesTable& cases() { return cases_; }
  HistoryTable& history() { return history_; }
  TimersTable& timers() { return timers_; }
  SubjectsTable& subjects() { return subjects_; }
  NoticesTable& notices() { return notices_; }
  ChildOutcomesTable& child_outcomes() { return child_outcomes_; }
  IdempotencyTable& idempotency() { return idempotency_; }
  UsersTable& users() { return users_; }
  SessionsTable& sessions() { return sessions_; }
  DocumentNumbersTable& document_numbers() { return document_numbers_; }

  // Returns when the database answers a trivial query; throws otherwise.
  void Ping();
  // For a statement that belongs to no table (the SQLite backup).
  Connection& conn() { return conn_; }

 private:
  Connection conn_;  // declared first: the tables below refer to it
  CasesTable cases_;
  HistoryTable history_;
  TimersTable timers_;
  SubjectsTable subjects_;
  NoticesTable notices_;
  ChildOutcomesTable child_outcomes_;
  IdempotencyTable idempotency_;
  UsersTable users_;
  SessionsTable sessions_;
  DocumentNumbersTable document_numbers_;
};

}  // namespace credflow::adapters
