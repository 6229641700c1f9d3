// Dialect: what differs between the databases the SOCI store runs on, and
// nothing else. The store is written once over SQL (the layout of Temporal's
// common/persistence/sql with its sqlplugin dialects); each backend folder
// (sqlite/, postgresql/, as in SOCI's src/backends/) holds one small Dialect:
// how a new session is set up, how a write transaction begins, how a due
// timer is claimed, how keys compare, whether writers queue in process, and
// what a statement's result holds on to after its last row.
// Every other statement is the same SQL on both databases.
//
// Threading: a Dialect holds no state. One instance per backend lives for
// the whole process and is shared by every connection; SetUpSession touches
// only the session it is given.
#pragma once

#include "adapters/store/store_backend.h"
#include "adapters/store/store_options.h"

namespace soci {
class backend_factory;
class session;
class statement;
}  // namespace soci

namespace credflow::adapters {

class Dialect {
 public:
  virtual ~Dialect() = default;

  virtual StoreBackend backend() const = 0;
  // The SOCI backend sessions of this dialect open.
  virtual const soci::backend_factory& factory() const = 0;

  // Configures a session just opened, or reopened after a lost connection.
  // Throws what SOCI throws (the caller maps it, see store_errors.h).
  virtual void SetUpSession(soci::session& sql, const StoreOptions& options) const = 0;

  // Whether the session's connection can run statements: SOCI's
  // is_connected() (a round trip to the server) and, for PostgreSQL, not
  // stuck in libpq's pipeline mode. False makes the pool reopen it.
  virtual bool Connected(soci::session& sql) const = 0;

  // The statement that starts a write transaction.
  virtual const char* begin_transaction() const = 0;
  // Appended to the due-timer query, so that two transactions never claim
  // the same timer.
  virtual const char* claim_lock() const = 0;
  // Appended to a key column compared with a plain TEXT value or column, so
  // that keys compare bytewise.
  virtual const char* key_collate() const = 0;
  // An SQL expression for the member of the cases row's JSON text column
  // `data` whose path (names joined by dots, checked by
  // CheckCaseCountQuery) is the column `p.member` of a derived table p: its
  // text when it is a JSON string, '' when it is absent or of another type.
  virtual const char* data_member_text() const = 0;
  // True when the database admits one writer at a time: the store then
  // queues its own writers in process, first come first served (see
  // fifo_mutex.h), before they BEGIN.
  virtual bool one_writer_at_a_time() const = 0;

  // Lets go of what the backend still holds of a statement's last result
  // once its caller is done with it (the statement stays prepared). Called
  // after the cursor was run to its end; never throws.
  virtual void ReleaseResult(soci::statement& st) const = 0;
};

// The dialect of `backend`; lives as long as the process.
const Dialect& DialectFor(StoreBackend backend);

}  // namespace credflow::adapters
