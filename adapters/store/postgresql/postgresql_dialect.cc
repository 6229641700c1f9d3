#include "adapters/store/postgresql/postgresql_dialect.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <string>

namespace credflow::adapters {
namespace {

void OnPostgresqlNotice(void* /*arg*/, const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  spdlog::debug("store: postgresql: {}", text);
}

// Sends the session's notices (RAISE WARNING in a function, a server's
// warnings) to OnPostgresqlNotice. Without it libpq prints them to stderr,
// around the service's structured log. SOCI 4.0.3 has no API for a notice
// processor, nor another way to reach the session's PGconn than the conn_
// member of its PostgreSQL session backend (public in soci-postgresql.h, not
// documented API). tests/contract/soci_backend_test.cc fails if an upgrade
// breaks this.
void RouteNoticesToTheLog(soci::session& sql) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  if (backend != nullptr && backend->conn_ != nullptr) {
    PQsetNoticeProcessor(backend->conn_, &OnPostgresqlNotice, nullptr);
  }
}

}  // namespace

const soci::backend_factory& PostgresqlDialect::factory() const { return soci::postgresql; }

void PostgresqlDialect::SetUpSession(soci::session& sql, const StoreOptions& /*options*/) const {
  RouteNoticesToTheLog(sql);
  sql << "SET client_min_messages TO warning";
}

// A pipeline the server cut short can leave its connection in pipeline mode
// with results owed (pipeline.cc cannot leave it then). libpq refuses every
// synchronous statement in that mode without touching the socket: PQexec
// returns no result and PQstatus stays CONNECTION_OK. SOCI's is_connected()
// pings with PQexec and then asks PQstatus, so it calls such a connection
// connected, and each later statement on it failed with a bare "Fatal error"
// and no SQLSTATE. tests/integration/connection_pool_test.cc.
bool PostgresqlDialect::Connected(soci::session& sql) const {
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  if (backend == nullptr || backend->conn_ == nullptr) return false;
  if (PQpipelineStatus(backend->conn_) != PQ_PIPELINE_OFF) return false;
  return sql.is_connected();
}

// SOCI 4.0.3 keeps a statement's last PGresult, every row of it in client
// memory, until the statement runs again or is destroyed. No public API frees
// it and keeps the statement prepared: statement::clean_up() destroys the
// backend statement, and with it the server's prepared statement. So this
// resets the result_ member of SOCI's PostgreSQL statement backend (public in
// soci-postgresql.h, not documented API); a cached statement would otherwise
// hold its last result, a FindCases page say, for as long as its connection
// lives. tests/contract/soci_backend_test.cc fails if an upgrade breaks this.
void PostgresqlDialect::ReleaseResult(soci::statement& st) const {
  auto* backend = static_cast<soci::postgresql_statement_backend*>(st.get_backend());
  if (backend != nullptr) backend->result_.reset();
}

}  // namespace credflow::adapters
