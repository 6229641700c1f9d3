#include "adapters/store/prepared_statement.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <stdexcept>

namespace credflow::adapters {
namespace {

// The one use of soci::details in the store. Prepares `st` as a one-time
// statement: on PostgreSQL an unnamed statement that PQexecParams runs, which
// leaves nothing behind on the server. SOCI's public ways to prepare a
// statement whose rows a caller steps through (session::prepare, and
// statement::prepare with its default argument) all make a repeatable one,
// which on PostgreSQL is a named server-side statement, PREPAREd on creation
// and DEALLOCATEd when the object dies; in a transaction that the database
// aborted, that DEALLOCATE fails and the statement stays on the server for
// the connection's life. SOCI runs its own one-off statements this way
// (session::once), but offers the choice only through the statement_type
// enum of soci::details. Only statements the cache cannot hold come here (a
// nested use of one text, or a full cache: see Query::Execute).
// tests/contract/soci_backend_test.cc fails if an upgrade changes this.
void PrepareOneTime(soci::statement& st, const std::string& text) {
  st.prepare(text, soci::details::st_one_time_query);
}

}  // namespace

// ---- PreparedStatement --------------------------------------------------------

PreparedStatement::PreparedStatement(soci::session& sql, const std::string& text, const std::vector<ValueKind>& params,
                                     const std::vector<ValueKind>& columns, bool repeatable)
    : st_(sql) {
  for (ValueKind kind : params) {
    BoundValue& b = params_.emplace_back();
    b.kind = kind;
    switch (kind) {
      case ValueKind::kString: st_.exchange(soci::use(b.text, b.ind)); break;
      case ValueKind::kInt64: st_.exchange(soci::use(b.int64, b.ind)); break;
      case ValueKind::kInt32: st_.exchange(soci::use(b.int32, b.ind)); break;
    }
  }
  for (ValueKind kind : columns) {
    BoundValue& b = columns_.emplace_back();
    b.kind = kind;
    switch (kind) {
      case ValueKind::kString: st_.exchange(soci::into(b.text, b.ind)); break;
      case ValueKind::kInt64: st_.exchange(soci::into(b.int64, b.ind)); break;
      case ValueKind::kInt32: st_.exchange(soci::into(b.int32, b.ind)); break;
    }
  }
  st_.alloc();
  if (repeatable) {
    st_.prepare(text);  // SOCI's documented default: prepared once, run many times
  } else {
    PrepareOneTime(st_, text);
  }
  st_.define_and_bind();
}

bool PreparedStatement::Fits(const std::vector<BoundValue>& params, const std::vector<ValueKind>& columns) const {
  if (params.size() != params_.size() || columns.size() != columns_.size()) return false;
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].kind != params_[i].kind) return false;
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] != columns_[i].kind) return false;
  }
  return true;
}

// ---- StatementCache -----------------------------------------------------------

PreparedStatement* StatementCache::Find(const std::string& text) {
  auto it = statements_.find(text);
  return it == statements_.end() ? nullptr : it->second.get();
}

PreparedStatement* StatementCache::Add(const std::string& text, std::unique_ptr<PreparedStatement> st) {
  if (prepared_ != nullptr) prepared_->fetch_add(1, std::memory_order_relaxed);
  return statements_.emplace(text, std::move(st)).first->second.get();
}

const std::string* StatementCache::PipelineName(const std::string& text) const {
  auto it = pipeline_names_.find(text);
  return it == pipeline_names_.end() ? nullptr : &it->second;
}

void StatementCache::AddPipelineName(const std::string& text, std::string name) {
  if (pipeline_names_.size() < kMaxStatements) pipeline_names_.emplace(text, std::move(name));
}

// ---- Query --------------------------------------------------------------------

Query::~Query() {
  if (st_ == nullptr) return;
  st_->set_in_use(false);
  if (!executed_) return;
  try {
    // A cursor left before its end keeps SQLite's read transaction, and with
    // it the connection's snapshot, open: later reads on the connection would
    // not see newer commits. Running it to its end closes it; the callers
    // that stop early (a lookup by key, LIMIT 1) have at most one step left.
    // Not while an exception unwinds: the connection is then suspect, and
    // its statements are dropped before its next use (connection_pool.h).
    if (!exhausted_ && !targets_.empty() && std::uncaught_exceptions() == uncaught_exceptions_) {
      while (st_->statement().fetch()) {
      }
    }
    conn_.dialect.ReleaseResult(st_->statement());
  } catch (...) {
    // Nothing to do: the next execution resets the statement anyway.
  }
}

Query& Query::Use(std::string v) {
  BoundValue& b = params_.emplace_back();
  b.kind = ValueKind::kString;
  b.text = std::move(v);
  return *this;
}

Query& Query::Use(long long v) {
  BoundValue& b = params_.emplace_back();
  b.kind = ValueKind::kInt64;
  b.int64 = v;
  return *this;
}

Query& Query::Use(std::optional<std::string> v) {
  Use(v.value_or(std::string()));
  if (!v) params_.back().ind = soci::i_null;
  return *this;
}

long long Query::Run() {
  Execute(true);
  return st_->statement().get_affected_rows();
}

bool Query::Write(long long min_rows, long long max_rows) {
  if (conn_.gather != nullptr) {
    // This query is done with: its text and values move into the batch.
    conn_.gather->writes.push_back({std::move(text_), std::move(params_), min_rows, max_rows, conn_.gather->label});
    params_.clear();
    return true;
  }
  const long long n = Run();
  return n >= min_rows && n <= max_rows;
}

long long Query::RunDeferred(Connection& conn, const DeferredWrite& w) {
  Query q(conn, w.text);
  q.params_ = w.params;
  return q.Run();
}

bool Query::Next() {
  if (!st_->statement().fetch()) {
    exhausted_ = true;
    return false;
  }
  std::deque<BoundValue>& columns = st_->columns();
  for (size_t i = 0; i < targets_.size(); ++i) {
    BoundValue& b = columns[i];
    const Destination& t = targets_[i];
    if (t.ind != nullptr) {
      *t.ind = b.ind;
      if (b.ind == soci::i_null) continue;
    } else if (b.ind == soci::i_null) {
      throw std::runtime_error("NULL in a NOT NULL column");
    }
    switch (t.kind) {
      case ValueKind::kString: *static_cast<std::string*>(t.var) = std::move(b.text); break;
      case ValueKind::kInt64: *static_cast<long long*>(t.var) = b.int64; break;
      case ValueKind::kInt32: *static_cast<int*>(t.var) = b.int32; break;
    }
  }
  return true;
}

void Query::Execute(bool with_data_exchange) {
  std::vector<ValueKind> columns;
  columns.reserve(targets_.size());
  for (const Destination& t : targets_) columns.push_back(t.kind);

  PreparedStatement* st = conn_.cache.Find(text_);
  if (st != nullptr && (st->in_use() || !st->Fits(params_, columns))) {
    // Nested use of one text, or a caller bug: run it unprepared.
    spdlog::warn("store: statement {} not reused ({})", text_.substr(0, 40),
                 st->in_use() ? "in use" : "other parameter types");
    st = nullptr;
    own_ = MakeStatement(columns, false);
  } else if (st == nullptr && !conn_.cache.full()) {
    st = conn_.cache.Add(text_, MakeStatement(columns, true));
  } else if (st == nullptr) {
    own_ = MakeStatement(columns, false);
  }
  st_ = st != nullptr ? st : own_.get();
  st_->set_in_use(true);

  std::deque<BoundValue>& bound = st_->params();
  for (size_t i = 0; i < params_.size(); ++i) {
    BoundValue& b = bound[i];
    BoundValue& v = params_[i];
    b.ind = v.ind;
    switch (v.kind) {
      case ValueKind::kString: b.text = std::move(v.text); break;
      case ValueKind::kInt64: b.int64 = v.int64; break;
      case ValueKind::kInt32: b.int32 = v.int32; break;
    }
  }
  executed_ = true;
  st_->statement().execute(with_data_exchange);
}

std::unique_ptr<PreparedStatement> Query::MakeStatement(const std::vector<ValueKind>& columns, bool repeatable) {
  std::vector<ValueKind> params;
  params.reserve(params_.size());
  for (const BoundValue& v : params_) params.push_back(v.kind);
  return std::make_unique<PreparedStatement>(conn_.sql, text_, params, columns, repeatable);
}

}  // namespace credflow::adapters
