#include "adapters/store/postgresql/pipeline.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <string>
#include <utility>

namespace credflow::adapters {
namespace {

// Names of pipeline statements, unique in the process: a name is never
// reused, so a statement left on the server by a connection whose cache was
// cleared cannot clash with a new one.
std::atomic<unsigned long long> next_statement{0};

[[noreturn]] void ThrowConnectionError(PGconn* conn, const char* what) {
  std::string message = std::string("pipeline: ") + what;
  if (const char* m = PQerrorMessage(conn); m != nullptr && *m != '\0') message += std::string(": ") + m;
  throw soci::postgresql_soci_error(message, "08006");  // connection_failure
}

// The server's errors carry a SQLSTATE; libpq's own (the connection was
// lost: "server closed the connection unexpectedly") carry none, and are
// connection failures.
soci::postgresql_soci_error ErrorOf(const PGresult* r) {
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* message = PQresultErrorMessage(r);
  return soci::postgresql_soci_error(message != nullptr ? message : "pipeline: statement failed",
                                     state != nullptr && *state != '\0' ? state : "08006");
}

// Leaves pipeline mode whatever happened: reads what the server still owes
// (up to the Sync) so that the connection can run SOCI's statements again.
class PipelineMode {
 public:
  explicit PipelineMode(PGconn* conn) : conn_(conn) {
    if (PQenterPipelineMode(conn_) != 1) ThrowConnectionError(conn_, "cannot enter pipeline mode");
  }
  ~PipelineMode() {
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return;
    if (!synced_ && PQpipelineSync(conn_) != 1) return;  // the connection is gone: nothing to read
    for (int nulls = 0; nulls < 2;) {
      PGresult* r = PQgetResult(conn_);
      if (r == nullptr) {
        ++nulls;
        continue;
      }
      nulls = 0;
      const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      PQclear(r);
      if (sync) break;
    }
    if (PQexitPipelineMode(conn_) != 1) {
      // Results are still owed (the connection broke mid-pipeline): libpq
      // refuses every later statement on it while PQstatus still says
      // CONNECTION_OK. The pool sees it in pipeline mode and reopens it
      // (PostgresqlDialect::Connected).
      spdlog::warn("store: a pipeline could not be ended; its connection will be reopened");
    }
  }
  PipelineMode(const PipelineMode&) = delete;
  PipelineMode& operator=(const PipelineMode&) = delete;

  void Sync() {
    if (PQpipelineSync(conn_) != 1) ThrowConnectionError(conn_, "cannot send the sync");
    synced_ = true;
  }

 private:
  PGconn* conn_;
  bool synced_ = false;
};

// What each result of the pipeline answers, in the order sent.
struct Pending {
  enum Kind { kBegin, kPrepare, kWrite } kind;
  std::size_t index;  // the write (kPrepare, kWrite)
  std::string name;   // kPrepare: the name to keep once the server has it
};

// The next result of the pipeline, and the NULL that ends a statement's
// results. Throws when the connection gives none.
PGresult* NextResult(PGconn* conn) {
  PGresult* r = PQgetResult(conn);
  if (r == nullptr) ThrowConnectionError(conn, "no result");
  return r;
}

void EndOfResults(PGconn* conn) {
  while (PGresult* extra = PQgetResult(conn)) PQclear(extra);
}

}  // namespace

std::string PositionalPlaceholders(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  int n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'' || c == '"') {  // a quoted literal or identifier, as is
      const std::size_t end = text.find(c, i + 1);
      const std::size_t stop = end == std::string::npos ? text.size() : end + 1;
      out.append(text, i, stop - i);
      i = stop - 1;
    } else if (c == ':' && i + 1 < text.size() && text[i + 1] == ':') {  // a cast
      out += "::";
      ++i;
    } else if (c == ':' && i + 1 < text.size() &&
               (std::isalpha(static_cast<unsigned char>(text[i + 1])) != 0 || text[i + 1] == '_')) {
      std::size_t j = i + 1;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) != 0 || text[j] == '_')) ++j;
      out += "$" + std::to_string(++n);
      i = j - 1;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<BatchFailure> RunPipelined(Connection& conn, const char* begin,
                                         const std::vector<const DeferredWrite*>& writes) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(conn.sql.get_backend());
  PGconn* pg = backend != nullptr ? backend->conn_ : nullptr;
  if (pg == nullptr) throw soci::postgresql_soci_error("pipeline: no connection", "08003");

  std::vector<Pending> pending;
  pending.reserve(writes.size() + 1);
  PipelineMode mode(pg);
  if (begin != nullptr) {
    if (PQsendQueryParams(pg, begin, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
      ThrowConnectionError(pg, "cannot send BEGIN");
    }
    pending.push_back({Pending::kBegin, 0, {}});
  }
  std::vector<std::string> numbers;  // the text of integer values, for one write at a time
  std::vector<const char*> values;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const DeferredWrite& w = *writes[i];
    std::string fresh;
    const std::string* name = conn.cache.PipelineName(w.text);
    if (name == nullptr) {
      fresh = "cfp_" + std::to_string(next_statement.fetch_add(1, std::memory_order_relaxed));
      const std::string positional = PositionalPlaceholders(w.text);
      if (PQsendPrepare(pg, fresh.c_str(), positional.c_str(), static_cast<int>(w.params.size()), nullptr) != 1) {
        ThrowConnectionError(pg, "cannot send a statement to prepare");
      }
      pending.push_back({Pending::kPrepare, i, fresh});
      name = &fresh;
    }
    numbers.clear();
    numbers.reserve(w.params.size());  // no reallocation below: values point into it
    values.clear();
    for (const BoundValue& v : w.params) {
      if (v.ind == soci::i_null) {
        values.push_back(nullptr);
        continue;
      }
      switch (v.kind) {
        case ValueKind::kString: values.push_back(v.text.c_str()); break;
        case ValueKind::kInt64: values.push_back(numbers.emplace_back(std::to_string(v.int64)).c_str()); break;
        case ValueKind::kInt32: values.push_back(numbers.emplace_back(std::to_string(v.int32)).c_str()); break;
      }
    }
    if (PQsendQueryPrepared(pg, name->c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0) !=
        1) {
      ThrowConnectionError(pg, "cannot send a write");
    }
    pending.push_back({Pending::kWrite, i, {}});
  }
  mode.Sync();

  std::optional<BatchFailure> failure;
  for (Pending& p : pending) {
    PGresult* r = NextResult(pg);
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_FATAL_ERROR) {
      soci::postgresql_soci_error error = ErrorOf(r);
      PQclear(r);
      EndOfResults(pg);
      if (p.kind == Pending::kBegin) throw error;
      if (!failure) failure = BatchFailure{p.index, std::make_exception_ptr(error)};
      continue;
    }
    if (status == PGRES_PIPELINE_ABORTED) {  // skipped after an earlier error
      PQclear(r);
      EndOfResults(pg);
      continue;
    }
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      PQclear(r);
      ThrowConnectionError(pg, "unexpected result");
    }
    if (p.kind == Pending::kPrepare) {
      conn.cache.AddPipelineName(writes[p.index]->text, std::move(p.name));
    } else if (p.kind == Pending::kWrite && !failure) {
      const long long rows = std::atoll(PQcmdTuples(r));
      const DeferredWrite& w = *writes[p.index];
      if (rows < w.min_rows || rows > w.max_rows) failure = BatchFailure{p.index, nullptr};
    }
    PQclear(r);
    EndOfResults(pg);
  }
  PGresult* sync = NextResult(pg);
  const bool synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!synced) ThrowConnectionError(pg, "no sync");
  return failure;  // ~PipelineMode leaves pipeline mode
}

}  // namespace credflow::adapters
