#include "adapters/store/soci_case_store.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>
#include <filesystem>

#include <algorithm>
#include <tuple>
#include <utility>

#include "adapters/store/connection_pool.h"
#include "adapters/store/dialect.h"
#include "adapters/store/soci_transaction.h"
#include "adapters/store/store_errors.h"
#include "adapters/store/tables/tables.h"

namespace credflow::adapters {

using engine::Case;
using engine::CaseQuery;
using engine::ChildOutcome;
using engine::HistoryEvent;
using engine::Notice;
using engine::Result;
using engine::Status;
using engine::SubjectFacts;
using engine::SubjectProfile;
using engine::SubjectQuery;
using engine::SubjectRecord;
using engine::Timer;
using engine::Timestamp;
using engine::User;

namespace {

class SystemClockHolder {
 public:
  static const engine::Clock& Get() {
    static const engine::SystemClock clock;
    return clock;
  }
};

}  // namespace

// ---- ExecuteOnce -------------------------------------------------------------

Status ExecuteOnce(const std::string& url, const std::string& statement) {
  Result<StoreUrl> parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.status();
  const Dialect& dialect = DialectFor(parsed->backend);
  std::unique_ptr<soci::session> sql;
  try {
    sql = std::make_unique<soci::session>(dialect.factory(), parsed->connect_string);
  } catch (const std::exception& e) {
    spdlog::error("store: cannot connect to {}: {}", parsed->redacted, e.what());
    return Status::Unavailable("cannot connect to the store");
  }
  try {
    StoreOptions defaults;
    dialect.SetUpSession(*sql, defaults);
    *sql << statement;
    return Status::Ok();
  } catch (const std::exception& e) {
    StoreErrorKind kind = ClassifyStoreError(e);
    LogStoreError(kind, "execute_once", e);
    return StoreErrorStatus(kind, "execute_once");
  }
}

// ---- SociCaseStore::Impl ----------------------------------------------------------

class SociCaseStore::Impl {
 public:
  using Lease = ConnectionPool::Lease;

  Impl(StoreUrl url, StoreOptions options, std::size_t pool_size)
      : options_(options),
        pool_(url, options, DialectFor(url.backend), pool_size),
        transactions_(pool_, clock(), options.acquire_timeout, options.before_group_commit) {}

  Status Connect() { return pool_.Connect(); }

  // Runs `body(Tables&)` on a leased connection, outside any transaction.
  template <typename R, typename Body>
  R Read(const char* operation, Body&& body) {
    Result<Lease> lease = pool_.Acquire(operation);
    if (!lease.ok()) return R(lease.status());
    for (int attempt = 0;; ++attempt) {
      try {
        Tables tables(lease->session(), lease->cache(), pool_.dialect());
        return body(tables);
      } catch (const std::exception& e) {
        // A read changes nothing, so it may run again on a new connection.
        if (attempt == 0 && pool_.Revive(*lease)) continue;
        return R(pool_.MapError(e, operation, *lease));
      }
    }
  }

  Status RunInTransaction(const std::function<Status(engine::StoreTransaction&)>& fn) {
    return transactions_.Run([&](SociTransaction& tx) { return fn(tx); });
  }

  Status RunOptimistic(const std::function<Status(engine::StoreTransaction&)>& fn) {
    return transactions_.RunGathered([&](SociTransaction& tx) { return fn(tx); }, options_.group_commit);
  }
  TransactionRunner& transactions() { return transactions_; }

  // Runs `body(Tables&)` in a write transaction of its own, for the
  // store's writes that are not the engine's (users). Errors map as in any
  // transaction.
  Status Write(const char* operation, const std::function<Status(Tables&)>& body) {
    return transactions_.Run([&](SociTransaction& tx) { return tx.Write(operation, body); });
  }

  Status Migrate() {
    Result<Lease> lease = pool_.Acquire("migrate");
    if (!lease.ok()) return lease.status();
    try {
      MigrationOutcome outcome = ApplySchemaMigrations(lease->session(), url().backend, clock());
      if (outcome.after > SchemaTargetVersion()) {
        spdlog::error("store: {} is at schema version {}, newer than this build's {}", url().redacted, outcome.after,
                      SchemaTargetVersion());
        return Status::FailedPrecondition("schema_too_new",
                                          "the store's schema is version " + std::to_string(outcome.after) +
                                              ", newer than this build's " + std::to_string(SchemaTargetVersion()));
      }
      if (outcome.applied > 0) {
        spdlog::info("store: migrated {} from schema version {} to {}", url().redacted, outcome.before, outcome.after);
      }
      return Status::Ok();
    } catch (const std::exception& e) {
      return pool_.MapError(e, "migrate", *lease);
    }
  }

  Status Execute(const std::string& statement) {
    Result<Lease> lease = pool_.Acquire("execute");
    if (!lease.ok()) return lease.status();
    try {
      lease->session() << statement;
      return Status::Ok();
    } catch (const std::exception& e) {
      return pool_.MapError(e, "execute", *lease);
    }
  }

  Result<std::vector<int>> ReadAppliedVersions() {
    Result<Lease> lease = pool_.Acquire("schema_version");
    if (!lease.ok()) return lease.status();
    try {
      return ReadAppliedSchemaVersions(lease->session(), url().backend);
    } catch (const std::exception& e) {
      return pool_.MapError(e, "schema_version", *lease);
    }
  }

  const StoreUrl& url() const { return pool_.url(); }
  const Dialect& dialect() const { return pool_.dialect(); }
  ConnectionPool& pool() { return pool_; }
  uint64_t StatementsPrepared() const { return pool_.StatementsPrepared(); }
  const engine::Clock& clock() const { return options_.clock != nullptr ? *options_.clock : SystemClockHolder::Get(); }

 private:
  const StoreOptions options_;
  ConnectionPool pool_;
  TransactionRunner transactions_;
};

// ---- SociCaseStore ----------------------------------------------------------

SociCaseStore::SociCaseStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SociCaseStore::~SociCaseStore() = default;

Result<std::unique_ptr<SociCaseStore>> SociCaseStore::Open(const std::string& url, const StoreOptions& options) {
  Result<StoreUrl> parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.status();
  const std::size_t pool_size = options.pool_size > 0 ? options.pool_size : 4;
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(std::move(parsed).value(), options, pool_size);
  } catch (const std::exception& e) {
    spdlog::error("store: cannot create a connection pool: {}", e.what());
    return Status::Internal("store error in open");
  }
  CREDFLOW_RETURN_IF_ERROR(impl->Connect());
  if (options.migrate) {
    CREDFLOW_RETURN_IF_ERROR(impl->Migrate());
  } else {
    Result<std::vector<int>> applied = impl->ReadAppliedVersions();
    if (!applied.ok()) return applied.status();
    if (!applied->empty() && applied->back() > SchemaTargetVersion()) {
      return Status::FailedPrecondition("schema_too_new", "the store's schema is newer than this build's");
    }
  }
  return std::unique_ptr<SociCaseStore>(new SociCaseStore(std::move(impl)));
}

Status SociCaseStore::RunInTransaction(const std::function<Status(engine::StoreTransaction&)>& fn) {
  return impl_->RunInTransaction(fn);
}

Status SociCaseStore::RunOptimistic(const std::function<Status(engine::StoreTransaction&)>& fn) {
  return impl_->RunOptimistic(fn);
}

uint64_t SociCaseStore::GroupsCommitted() const { return impl_->transactions().groups_committed(); }
uint64_t SociCaseStore::TransactionsGrouped() const { return impl_->transactions().transactions_grouped(); }
std::size_t SociCaseStore::GroupCommitQueue() const { return impl_->transactions().queued(); }

Result<Case> SociCaseStore::GetCase(const std::string& id) {
  return impl_->Read<Result<Case>>("get_case", [&](Tables& s) -> Result<Case> {
    std::optional<Case> c = s.cases().Load(id);
    if (!c) return Status::NotFound("case_not_found", "no case " + id);
    return std::move(*c);
  });
}

Result<std::vector<Case>> SociCaseStore::FindCases(const CaseQuery& query) {
  if (query.limit <= 0) {
    return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  }
  return impl_->Read<Result<std::vector<Case>>>(
      "find_cases", [&](Tables& s) { return Result<std::vector<Case>>(s.cases().Find(query)); });
}

Result<std::vector<HistoryEvent>> SociCaseStore::GetHistory(const std::string& case_id) {
  return impl_->Read<Result<std::vector<HistoryEvent>>>(
      "get_history", [&](Tables& s) { return Result<std::vector<HistoryEvent>>(s.history().List(case_id)); });
}

Result<std::vector<Timer>> SociCaseStore::GetTimers(const std::string& case_id) {
  return impl_->Read<Result<std::vector<Timer>>>(
      "get_timers", [&](Tables& s) { return Result<std::vector<Timer>>(s.timers().List(case_id)); });
}

Result<SubjectFacts> SociCaseStore::GetSubjectFacts(const std::string& subject) {
  return impl_->Read<Result<SubjectFacts>>(
      "get_subject_facts", [&](Tables& s) { return Result<SubjectFacts>(s.subjects().LoadFacts(subject)); });
}

Result<std::vector<SubjectFacts>> SociCaseStore::GetSubjectFactsOf(const std::vector<std::string>& subjects) {
  if (subjects.size() > kMaxFactsBatch) {
    return Status::InvalidArgument("batch_too_large",
                                   "at most " + std::to_string(kMaxFactsBatch) + " subjects' facts are read at once");
  }
  if (subjects.empty()) return std::vector<SubjectFacts>{};
  return impl_->Read<Result<std::vector<SubjectFacts>>>("get_subject_facts_of", [&](Tables& s) {
    return Result<std::vector<SubjectFacts>>(s.subjects().LoadFactsOf(subjects));
  });
}

Result<std::optional<SubjectProfile>> SociCaseStore::GetSubjectProfile(const std::string& code) {
  return impl_->Read<Result<std::optional<SubjectProfile>>>("get_subject_profile", [&](Tables& s) {
    return Result<std::optional<SubjectProfile>>(s.subjects().LoadProfile(code));
  });
}

Result<std::vector<SubjectProfile>> SociCaseStore::ListSubjects(const SubjectQuery& query) {
  if (query.limit <= 0) {
    return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  }
  return impl_->Read<Result<std::vector<SubjectProfile>>>("list_subjects", [&](Tables& s) {
    return Result<std::vector<SubjectProfile>>(s.subjects().ListProfiles(query));
  });
}

Result<std::vector<SubjectRecord>> SociCaseStore::ListSubjectRecords(const std::string& after_id, int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  return impl_->Read<Result<std::vector<SubjectRecord>>>("list_subject_records", [&](Tables& s) {
    return Result<std::vector<SubjectRecord>>(s.subjects().ListRecords(after_id, limit));
  });
}

Result<std::vector<Timer>> SociCaseStore::ListProvisionalTimers(const std::string& after_id, int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  return impl_->Read<Result<std::vector<Timer>>>("list_provisional_timers", [&](Tables& s) {
    return Result<std::vector<Timer>>(s.timers().ListProvisional(after_id, limit));
  });
}

Result<std::vector<ChildOutcome>> SociCaseStore::GetChildOutcomes(const std::string& parent_id) {
  return impl_->Read<Result<std::vector<ChildOutcome>>>("get_child_outcomes", [&](Tables& s) {
    return Result<std::vector<ChildOutcome>>(s.child_outcomes().List(parent_id));
  });
}

Result<std::vector<Notice>> SociCaseStore::GetNotices(const std::string& case_id) {
  return impl_->Read<Result<std::vector<Notice>>>(
      "get_notices", [&](Tables& s) { return Result<std::vector<Notice>>(s.notices().List(case_id)); });
}

Result<std::vector<std::string>> SociCaseStore::ListCaseIds() {
  return impl_->Read<Result<std::vector<std::string>>>(
      "list_case_ids", [&](Tables& s) { return Result<std::vector<std::string>>(s.cases().ListIds()); });
}

Result<int64_t> SociCaseStore::CountAllCases() {
  return impl_->Read<Result<int64_t>>("count_all_cases", [&](Tables& s) { return Result<int64_t>(s.cases().Count()); });
}

Result<std::optional<std::string>> SociCaseStore::CaseIdAt(int64_t position) {
  using Answer = Result<std::optional<std::string>>;
  if (position < 0) return std::optional<std::string>();
  return impl_->Read<Answer>("case_id_at", [&](Tables& s) { return Answer(s.cases().IdAt(position)); });
}

Result<std::vector<engine::CaseHead>> SociCaseStore::ScanCaseHeads(const std::string& after, const std::string& through,
                                                                   int limit) {
  using Answer = Result<std::vector<engine::CaseHead>>;
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  return impl_->Read<Answer>("scan_case_heads",
                             [&](Tables& s) { return Answer(s.cases().ScanHeads(after, through, limit)); });
}

Result<std::vector<engine::StoredEvent>> SociCaseStore::ScanHistory(const std::string& after_case, int64_t after_seq,
                                                                    const std::string& through, int limit) {
  using Answer = Result<std::vector<engine::StoredEvent>>;
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  return impl_->Read<Answer>(
      "scan_history", [&](Tables& s) { return Answer(s.history().Scan(after_case, after_seq, through, limit)); });
}

Result<int64_t> SociCaseStore::CountDueTimers(Timestamp now) {
  return impl_->Read<Result<int64_t>>("count_due_timers",
                                      [&](Tables& s) { return Result<int64_t>(s.timers().CountDue(now)); });
}

Result<std::map<std::string, int64_t>> SociCaseStore::CountOverdueCases(const std::string& workflow,
                                                                        policies::Date today) {
  return impl_->Read<Result<std::map<std::string, int64_t>>>("count_overdue_cases", [&](Tables& s) {
    return Result<std::map<std::string, int64_t>>(s.cases().CountOverdue(workflow, today));
  });
}

Result<std::vector<engine::CaseCount>> SociCaseStore::CountCases(const engine::CaseCountQuery& query) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCaseCountQuery(query));
  Result<std::vector<engine::CaseCount>> counted = impl_->Read<Result<std::vector<engine::CaseCount>>>(
      "count_cases", [&](Tables& s) { return Result<std::vector<engine::CaseCount>>(s.cases().CountCreated(query)); });
  // Sorted here, so that the order is bytewise on both databases.
  if (counted.ok()) {
    std::sort(counted->begin(), counted->end(), [](const engine::CaseCount& a, const engine::CaseCount& b) {
      return std::tie(a.created_hour, a.outcome, a.data_value) < std::tie(b.created_hour, b.outcome, b.data_value);
    });
  }
  return counted;
}

Result<std::vector<std::string>> SociCaseStore::FindSubjectsByRecords(const engine::RecordCountQuery& query) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckRecordCountQuery(query));
  return impl_->Read<Result<std::vector<std::string>>>("find_subjects_by_records", [&](Tables& s) {
    return Result<std::vector<std::string>>(s.subjects().FindByRecords(query));
  });
}

Status SociCaseStore::Ping() {
  return impl_->Read<Status>("ping", [&](Tables& s) {
    s.Ping();
    return Status::Ok();
  });
}

Result<std::string> SociCaseStore::WalPosition() {
  if (impl_->dialect().backend() != StoreBackend::kPostgresql) {
    return Status::FailedPrecondition("not_postgresql", "a WAL position needs PostgreSQL");
  }
  return impl_->Read<Result<std::string>>("wal_position", [&](Tables& s) -> Result<std::string> {
    std::string lsn;
    Query q(s.conn(), "SELECT CAST(pg_current_wal_lsn() AS TEXT)");
    q.Into(lsn).Start();
    if (!q.Next()) return Status::Internal("no WAL position");
    return lsn;
  });
}

Result<bool> SociCaseStore::HasWalUpTo(const std::string& lsn) {
  if (impl_->dialect().backend() != StoreBackend::kPostgresql) {
    return Status::FailedPrecondition("not_postgresql", "a WAL position needs PostgreSQL");
  }
  return impl_->Read<Result<bool>>("wal_replayed", [&](Tables& s) -> Result<bool> {
    int reached = 0;
    Query q(s.conn(),
            "SELECT CASE WHEN COALESCE(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
            " ELSE pg_current_wal_lsn() END >= CAST(:lsn AS pg_lsn), FALSE) THEN 1 ELSE 0 END");
    q.Into(reached).Use(lsn).Start();
    if (!q.Next()) return Status::Internal("no WAL position");
    return reached == 1;
  });
}

Status SociCaseStore::PutUser(const User& user) {
  CREDFLOW_RETURN_IF_ERROR(engine::ValidateUser(user));
  return impl_->Write("put_user", [&](Tables& s) {
    if (s.users().Insert(user)) return Status::Ok();
    if (s.users().Exists(user.name)) {
      return Status::AlreadyExists("user_exists", "user " + user.name + " already exists");
    }
    return Status::AlreadyExists("token_exists", "another user holds this token");
  });
}

Result<std::optional<User>> SociCaseStore::FindUserByTokenHash(const std::string& token_hash) {
  return impl_->Read<Result<std::optional<User>>>(
      "find_user", [&](Tables& s) { return Result<std::optional<User>>(s.users().FindByTokenHash(token_hash)); });
}

Result<std::vector<User>> SociCaseStore::ListUsers() {
  return impl_->Read<Result<std::vector<User>>>("list_users",
                                                [&](Tables& s) { return Result<std::vector<User>>(s.users().List()); });
}

Status SociCaseStore::SetUserDisabled(const std::string& name, bool disabled) {
  return impl_->Write("set_user_disabled", [&](Tables& s) {
    if (!s.users().SetDisabled(name, disabled)) {
      return Status::NotFound("user_not_found", "no user " + name);
    }
    return Status::Ok();
  });
}

Result<std::optional<User>> SociCaseStore::FindUserByName(const std::string& name) {
  return impl_->Read<Result<std::optional<User>>>(
      "find_user_by_name", [&](Tables& s) { return Result<std::optional<User>>(s.users().FindByName(name)); });
}

Status SociCaseStore::SetUserPassword(const std::string& name, const std::string& password_hash) {
  return impl_->Write("set_user_password", [&](Tables& s) {
    if (!s.users().SetPassword(name, password_hash)) return Status::NotFound("user_not_found", "no user " + name);
    return Status::Ok();
  });
}

Status SociCaseStore::PutSession(const engine::Session& session) {
  return impl_->Write("put_session", [&](Tables& s) {
    s.sessions().DeleteExpired(session.created_at);
    if (!s.sessions().Insert(session)) return Status::AlreadyExists("session_exists", "the session id is taken");
    return Status::Ok();
  });
}

Result<std::optional<engine::Session>> SociCaseStore::FindSession(const std::string& id_hash) {
  return impl_->Read<Result<std::optional<engine::Session>>>(
      "find_session", [&](Tables& s) { return Result<std::optional<engine::Session>>(s.sessions().Find(id_hash)); });
}

Status SociCaseStore::TouchSession(const std::string& id_hash, engine::Timestamp last_seen,
                                   engine::Timestamp expires_at) {
  return impl_->Write("touch_session", [&](Tables& s) {
    s.sessions().Touch(id_hash, last_seen, expires_at);
    return Status::Ok();
  });
}

Status SociCaseStore::DeleteSession(const std::string& id_hash) {
  return impl_->Write("delete_session", [&](Tables& s) {
    s.sessions().Delete(id_hash);
    return Status::Ok();
  });
}

Result<engine::DocumentNumber> SociCaseStore::IssueDocumentNumber(const engine::DocumentNumber& request) {
  CREDFLOW_RETURN_IF_ERROR(engine::ValidateDocumentNumberRequest(request));
  engine::DocumentNumber issued;
  Status st = impl_->Write("issue_document_number", [&](Tables& s) {
    if (std::optional<engine::DocumentNumber> earlier = s.document_numbers().Find(request.case_id, request.kind)) {
      issued = std::move(*earlier);
      return Status::Ok();
    }
    if (!s.cases().Exists(request.case_id)) return Status::NotFound("case_not_found", "no case " + request.case_id);
    issued = request;
    issued.year = request.issued_on.year();
    issued.number = s.document_numbers().TakeNext(issued.office, issued.prefix, issued.year);
    if (s.document_numbers().Insert(issued)) return Status::Ok();
    // Another transaction issued this document meanwhile (PostgreSQL: it
    // committed while this one waited for the row lock): this number goes
    // back, and the document keeps the one it was issued.
    s.document_numbers().GiveBack(issued.office, issued.prefix, issued.year, issued.number);
    std::optional<engine::DocumentNumber> winner = s.document_numbers().Find(request.case_id, request.kind);
    if (!winner) return Status::Internal("issue_document_number: the concurrent number vanished");
    issued = std::move(*winner);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return issued;
}

Result<std::vector<engine::DocumentNumber>> SociCaseStore::GetDocumentNumbers(const std::string& case_id) {
  return impl_->Read<Result<std::vector<engine::DocumentNumber>>>("get_document_numbers", [&](Tables& s) {
    return Result<std::vector<engine::DocumentNumber>>(s.document_numbers().ForCase(case_id));
  });
}

Status SociCaseStore::Migrate() { return impl_->Migrate(); }

Result<int> SociCaseStore::CurrentSchemaVersion() {
  Result<std::vector<int>> applied = impl_->ReadAppliedVersions();
  if (!applied.ok()) return applied.status();
  return applied->empty() ? 0 : applied->back();
}

Result<std::vector<int>> SociCaseStore::AppliedSchemaVersions() { return impl_->ReadAppliedVersions(); }

int SociCaseStore::TargetSchemaVersion() { return SchemaTargetVersion(); }

StoreBackend SociCaseStore::backend() const { return impl_->url().backend; }

const std::string& SociCaseStore::redacted_url() const { return impl_->url().redacted; }

Status SociCaseStore::BackupTo(const std::string& file) {
  if (backend() != StoreBackend::kSqlite) {
    return Status::FailedPrecondition("backup_not_supported",
                                      "credflow backup copies a SQLite store; back up PostgreSQL with pg_dump "
                                      "--format=custom or pg_basebackup (README, Backups)");
  }
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    return Status::AlreadyExists("backup_exists", file + " already exists; a backup never overwrites a file");
  }
  return impl_->Read<Status>("backup", [&](Tables& s) {
    Query q(s.conn(), "VACUUM INTO :file");
    q.Use(file).Run();
    return Status::Ok();
  });
}

Status SociCaseStore::ExecuteForTesting(const std::string& statement) { return impl_->Execute(statement); }

uint64_t SociCaseStore::StatementsPreparedForTesting() const { return impl_->StatementsPrepared(); }

}  // namespace credflow::adapters
