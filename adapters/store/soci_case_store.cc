#include "adapters/store/soci_case_store.h"

#include "adapters/store/connection_pool.h"
#include "adapters/store/dialect.h"
#include "adapters/store/fifo_mutex.h"
#include "adapters/store/prepared_statement.h"
#include "adapters/store/store_errors.h"
#include "adapters/store/tables/tables.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

namespace credflow::adapters {

using engine::Case;
using engine::CaseQuery;
using engine::ChildOutcome;
using engine::HistoryEvent;
using engine::Json;
using engine::Notice;
using engine::Result;
using engine::Status;
using engine::StoredResponse;
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
  std::unique_ptr<soci::session> sql;
  try {
    const Dialect& dialect = DialectFor(parsed->backend);
    sql = std::make_unique<soci::session>(dialect.factory(), parsed->connect_string);
  } catch (const std::exception& e) {
    spdlog::error("store: cannot connect to {}: {}", parsed->redacted, e.what());
    return Status::Unavailable("cannot connect to the store");
  }
  try {
    StoreOptions defaults;
    DialectFor(parsed->backend).SetUpSession(*sql, defaults);
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
      : options_(options), pool_(url, options, DialectFor(url.backend), pool_size) {}

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

  Status RunInTransaction(const std::function<Status(engine::StoreTransaction&)>& fn);
  // Runs `body(Tables&)` in a write transaction of its own, for the
  // store's writes that are not the engine's (users). Errors map as in any
  // transaction.
  Status Write(const char* operation, const std::function<Status(Tables&)>& body);
  // What both run: `fn(SociTransaction&)` in one transaction (defined below,
  // with SociTransaction).
  template <typename Fn>
  Status RunTransaction(Fn&& fn);

  Status Migrate() {
    Result<Lease> lease = pool_.Acquire("migrate");
    if (!lease.ok()) return lease.status();
    try {
      const engine::Clock& clock = options_.clock != nullptr ? *options_.clock : SystemClockHolder::Get();
      MigrationOutcome outcome = ApplySchemaMigrations(lease->session(), url().backend, clock);
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

  // SQLite: one writer at a time in this process, so writers queue on a
  // lock instead of polling the file lock (busy_timeout still covers other
  // processes). First come, first served: see fifo_mutex.h.
  FifoMutex sqlite_writer_;
  std::atomic<std::thread::id> sqlite_writer_owner_{};
};

namespace {

// One transaction on one leased connection. A database error dooms it: the
// first such error is returned by every later call and by RunInTransaction.
class SociTransaction final : public engine::StoreTransaction {
 public:
  using Lease = ConnectionPool::Lease;

  SociTransaction(SociCaseStore::Impl& impl, Lease& lease)
      : impl_(impl), lease_(lease), tables_(lease.session(), lease.cache(), impl.dialect()) {}

  const Status& doom() const { return doom_; }

  // Runs `body` on this transaction's tables (Impl::Write).
  Status Write(const char* operation, const std::function<Status(Tables&)>& body) {
    return Guard<Status>(operation, [&]() { return body(tables_); });
  }

  // Loads the facts about the case's subject in the same statement: a
  // transition asks for them next (engine/case_service.cc), and this saves
  // it a round trip. LoadSubjectFacts hands them out once, unless a write to
  // records or profiles came in between.
  Result<Case> LoadCase(const std::string& id) override {
    return Guard<Result<Case>>("load_case", [&]() -> Result<Case> {
      prefetched_facts_.reset();
      SubjectFacts facts;
      std::optional<Case> c = tables_.cases().LoadWithFacts(id, &facts);
      if (!c) return Status::NotFound("case_not_found", "no case " + id);
      prefetched_facts_ = std::move(facts);
      return std::move(*c);
    });
  }

  Status InsertCase(const Case& c) override {
    return Guard<Status>("insert_case", [&]() {
      if (!tables_.cases().Insert(c)) {
        return Status::AlreadyExists("case_exists", "case " + c.id + " already exists");
      }
      return Status::Ok();
    });
  }

  Status UpdateCase(const Case& c, int64_t expected_version) override {
    if (c.version <= expected_version) {
      return Status::Internal("update_case: the new version must be above expected_version");
    }
    return Guard<Status>("update_case", [&]() {
      if (!tables_.cases().Update(c, expected_version)) {
        return Status::Conflict("version_mismatch",
                                "case " + c.id + " is not at version " + std::to_string(expected_version));
      }
      return Status::Ok();
    });
  }

  Status ReplaceCase(const Case& c) override {
    return Guard<Status>("replace_case", [&]() {
      if (!tables_.cases().Replace(c)) return Status::NotFound("case_not_found", "no case " + c.id);
      return Status::Ok();
    });
  }

  Result<std::vector<engine::ChildCase>> LoadChildren(const std::string& parent_id) override {
    return Guard<Result<std::vector<engine::ChildCase>>>("load_children", [&]() {
      return Result<std::vector<engine::ChildCase>>(tables_.cases().LoadChildren(parent_id));
    });
  }

  Status AppendHistory(const engine::HistoryEvent& e) override {
    // Sequence clashes are caught by ON CONFLICT; the one constraint left is
    // the reference to the case.
    return Guard<Status>(
        "append_history",
        [&]() {
          if (!tables_.history().Append(&e, 1)) {
            return Status::Conflict("history_seq_taken",
                                    "case " + e.case_id + " already has history event " + std::to_string(e.seq));
          }
          return Status::Ok();
        },
        Status::NotFound("case_not_found", "history for unknown case " + e.case_id));
  }

  // A command's history goes in multi-row INSERTs of at most
  // kHistoryRowsPerInsert rows (a filing: 5 rows, one round trip).
  Status AppendHistoryBatch(const std::vector<engine::HistoryEvent>& events) override {
    constexpr size_t kHistoryRowsPerInsert = 8;
    for (size_t at = 0; at < events.size(); at += kHistoryRowsPerInsert) {
      const size_t n = std::min(kHistoryRowsPerInsert, events.size() - at);
      Status st = Guard<Status>(
          "append_history",
          [&]() {
            if (!tables_.history().Append(&events[at], n)) {
              return Status::Conflict("history_seq_taken",
                                      "case " + events[at].case_id + " already has one of these history events");
            }
            return Status::Ok();
          },
          Status::NotFound("case_not_found", "history for unknown case " + events[at].case_id));
      CREDFLOW_RETURN_IF_ERROR(st);
    }
    return Status::Ok();
  }

  Status PutTimer(const Timer& t) override {
    return Guard<Status>("put_timer", [&]() {
      tables_.timers().Put(t);
      return Status::Ok();
    });
  }

  Status CancelTimer(const std::string& case_id, const std::string& name) override {
    return Guard<Status>("cancel_timer", [&]() {
      tables_.timers().Cancel(case_id, name);
      return Status::Ok();
    });
  }

  Result<std::optional<Timer>> ClaimDueTimer(Timestamp now) override {
    return Guard<Result<std::optional<Timer>>>(
        "claim_due_timer", [&]() { return Result<std::optional<Timer>>(tables_.timers().ClaimDue(now)); });
  }

  Status DeleteTimer(const std::string& timer_id) override {
    return Guard<Status>("delete_timer", [&]() {
      tables_.timers().Delete(timer_id);
      return Status::Ok();
    });
  }

  Result<SubjectFacts> LoadSubjectFacts(const std::string& subject) override {
    if (doom_.ok() && prefetched_facts_ && prefetched_facts_->subject == subject) {
      SubjectFacts facts = std::move(*prefetched_facts_);
      prefetched_facts_.reset();
      return facts;
    }
    return Guard<Result<SubjectFacts>>("load_subject_facts",
                                       [&]() { return Result<SubjectFacts>(tables_.subjects().LoadFacts(subject)); });
  }

  Status PutSubjectProfile(const SubjectProfile& p) override {
    prefetched_facts_.reset();
    return Guard<Status>("put_subject_profile", [&]() {
      tables_.subjects().PutProfile(p);
      return Status::Ok();
    });
  }

  Status PutSubjectRecord(const SubjectRecord& r) override {
    prefetched_facts_.reset();
    return Guard<Status>("put_subject_record", [&]() {
      tables_.subjects().PutRecord(r);
      return Status::Ok();
    });
  }

  Status DeleteSubjectProfile(const std::string& code) override {
    prefetched_facts_.reset();
    return Guard<Status>("delete_subject_profile", [&]() {
      tables_.subjects().DeleteProfile(code);
      return Status::Ok();
    });
  }

  Status DeleteSubjectRecord(const std::string& id) override {
    prefetched_facts_.reset();
    return Guard<Status>("delete_subject_record", [&]() {
      tables_.subjects().DeleteRecord(id);
      return Status::Ok();
    });
  }

  Status PutNotice(const Notice& n) override {
    return Guard<Status>("put_notice", [&]() {
      if (!tables_.notices().Put(n)) {
        return Status::AlreadyExists("notice_exists", "notice " + n.id + " already exists");
      }
      return Status::Ok();
    });
  }

  Status PutChildOutcome(const ChildOutcome& o) override {
    return Guard<Status>("put_child_outcome", [&]() {
      if (!tables_.child_outcomes().Put(o)) {
        return Status::AlreadyExists("child_outcome_exists", "child " + o.child_id + " already reported " + o.outcome);
      }
      return Status::Ok();
    });
  }

  Result<std::optional<StoredResponse>> FindResponse(const std::string& key) override {
    return Guard<Result<std::optional<StoredResponse>>>(
        "find_response", [&]() { return Result<std::optional<StoredResponse>>(tables_.idempotency().Find(key)); });
  }

  Status PutResponse(const StoredResponse& r) override {
    return Guard<Status>("put_response", [&]() {
      if (!tables_.idempotency().Put(r, impl_.clock().Now())) {
        return Status::AlreadyExists("idempotency_key_exists", "idempotency key already used");
      }
      return Status::Ok();
    });
  }

 private:
  // Runs `body`, mapping what it throws. `on_constraint`, when not OK, is
  // what a constraint violation means for this operation.
  template <typename R, typename Body>
  R Guard(const char* operation, Body&& body, Status on_constraint = Status::Ok()) {
    if (!doom_.ok()) return R(doom_);
    try {
      return body();
    } catch (const std::exception& e) {
      Status s = impl_.pool().MapError(e, operation, lease_);
      if (!on_constraint.ok() && ClassifyStoreError(e) == StoreErrorKind::kConstraint) s = on_constraint;
      doom_ = s;
      return R(s);
    }
  }

  SociCaseStore::Impl& impl_;
  Lease& lease_;
  Tables tables_;
  Status doom_;
  // The facts LoadCase read with the case, until used or made stale.
  std::optional<SubjectFacts> prefetched_facts_;
};

// Releases the in-process SQLite writer lock when a transaction ends.
class WriterLock {
 public:
  explicit WriterLock(FifoMutex* mu) : mu_(mu) {}
  ~WriterLock() { mu_->Unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  FifoMutex* mu_;
};

// Resets the in-process SQLite writer owner when a transaction ends.
class WriterOwnerReset {
 public:
  explicit WriterOwnerReset(std::atomic<std::thread::id>* owner) : owner_(owner) {}
  ~WriterOwnerReset() {
    if (owner_ != nullptr) owner_->store(std::thread::id());
  }
  WriterOwnerReset(const WriterOwnerReset&) = delete;
  WriterOwnerReset& operator=(const WriterOwnerReset&) = delete;

 private:
  std::atomic<std::thread::id>* owner_;
};

// Rolls back a transaction that did not commit (also when fn throws).
class RollbackOnExit {
 public:
  explicit RollbackOnExit(soci::session& sql) : sql_(sql) {}
  ~RollbackOnExit() {
    if (done_) return;
    try {
      sql_ << "ROLLBACK";
    } catch (const std::exception& e) {
      spdlog::warn("store: rollback failed: {}", e.what());
    }
  }
  RollbackOnExit(const RollbackOnExit&) = delete;
  RollbackOnExit& operator=(const RollbackOnExit&) = delete;
  void Done() { done_ = true; }

 private:
  soci::session& sql_;
  bool done_ = false;
};

}  // namespace

template <typename Fn>
Status SociCaseStore::Impl::RunTransaction(Fn&& fn) {
  std::optional<WriterLock> writer;
  std::optional<WriterOwnerReset> owner_reset;
  if (dialect().one_writer_at_a_time()) {
    if (sqlite_writer_owner_.load() == std::this_thread::get_id()) {
      return Status::Internal("store: RunInTransaction called inside a transaction");
    }
    if (!sqlite_writer_.TryLockFor(options_.acquire_timeout)) {
      return Status::Unavailable("store busy in begin");
    }
    writer.emplace(&sqlite_writer_);
    sqlite_writer_owner_.store(std::this_thread::get_id());
    owner_reset.emplace(&sqlite_writer_owner_);
  }

  Result<Lease> lease = pool_.Acquire("begin");
  if (!lease.ok()) return lease.status();
  soci::session& sql = lease->session();
  try {
    sql << dialect().begin_transaction();
  } catch (const std::exception& e) {
    // Nothing has happened yet: on a connection that was lost, start over.
    if (!pool_.Revive(*lease)) return pool_.MapError(e, "begin", *lease);
    try {
      sql << dialect().begin_transaction();
    } catch (const std::exception& again) {
      return pool_.MapError(again, "begin", *lease);
    }
  }
  RollbackOnExit rollback(sql);

  SociTransaction tx(*this, *lease);
  Status status = fn(tx);
  if (status.ok() && !tx.doom().ok()) {
    spdlog::warn("store: a transaction ignored a store error; rolling back");
    status = tx.doom();
  }
  if (!status.ok()) return status;  // ~RollbackOnExit rolls back

  try {
    sql << "COMMIT";
    rollback.Done();
  } catch (const std::exception& e) {
    // SQLite keeps the transaction open after a failed COMMIT; PostgreSQL
    // has ended it (the ROLLBACK then only warns).
    return pool_.MapError(e, "commit", *lease);
  }
  return Status::Ok();
}

Status SociCaseStore::Impl::RunInTransaction(const std::function<Status(engine::StoreTransaction&)>& fn) {
  return RunTransaction([&](SociTransaction& tx) { return fn(tx); });
}

Status SociCaseStore::Impl::Write(const char* operation, const std::function<Status(Tables&)>& body) {
  return RunTransaction([&](SociTransaction& tx) { return tx.Write(operation, body); });
}

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

Result<int64_t> SociCaseStore::CountDueTimers(Timestamp now) {
  return impl_->Read<Result<int64_t>>("count_due_timers",
                                      [&](Tables& s) { return Result<int64_t>(s.timers().CountDue(now)); });
}

Status SociCaseStore::Ping() {
  return impl_->Read<Status>("ping", [&](Tables& s) {
    s.Ping();
    return Status::Ok();
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

Status SociCaseStore::ExecuteForTesting(const std::string& statement) { return impl_->Execute(statement); }

uint64_t SociCaseStore::StatementsPreparedForTesting() const { return impl_->StatementsPrepared(); }

}  // namespace credflow::adapters
