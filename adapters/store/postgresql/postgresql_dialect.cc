#include "adapters/store/postgresql/postgresql_dialect.h"

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

}  // namespace

const soci::backend_factory& PostgresqlDialect::factory() const { return soci::postgresql; }

void PostgresqlDialect::SetUpSession(soci::session& sql, const StoreOptions& /*options*/) const {
  auto* backend_session = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  if (backend_session != nullptr && backend_session->conn_ != nullptr) {
    PQsetNoticeProcessor(backend_session->conn_, &OnPostgresqlNotice, nullptr);
  }
  sql << "SET client_min_messages TO warning";
}

}  // namespace credflow::adapters
