#include "adapters/store/soci_transaction.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "adapters/store/postgresql/pipeline.h"
#include "adapters/store/store_errors.h"

namespace credflow::adapters {

using engine::Case;
using engine::ChildOutcome;
using engine::HistoryEvent;
using engine::Notice;
using engine::Result;
using engine::Status;
using engine::StoredResponse;
using engine::SubjectFacts;
using engine::SubjectProfile;
using engine::SubjectRecord;
using engine::Timer;
using engine::Timestamp;

namespace {

// The transactions one leader commits together, at most (each brings a
// command's writes: about ten for a filing).
constexpr std::size_t kMaxGroup = 64;

// Runs `writes` on `lease`, after sending `begin` when it is not null. On
// PostgreSQL in pipelines of at most kMaxPipelinedWrites (the first one
// carries BEGIN), elsewhere one statement at a time. Returns the first write
// that failed or changed a number of rows out of its bounds. Throws when
// BEGIN or the connection fails.
std::optional<BatchFailure> RunBatch(ConnectionPool& pool, ConnectionPool::Lease& lease, const char* begin,
                                     const std::vector<const DeferredWrite*>& writes) {
  Connection conn{lease.session(), lease.cache(), pool.dialect()};
  if (pool.dialect().backend() == StoreBackend::kPostgresql) {
    std::size_t at = 0;
    do {
      const std::size_t n = std::min(kMaxPipelinedWrites, writes.size() - at);
      std::vector<const DeferredWrite*> chunk(writes.begin() + at, writes.begin() + at + n);
      std::optional<BatchFailure> failure = RunPipelined(conn, at == 0 ? begin : nullptr, chunk);
      if (failure) {
        failure->index += at;
        return failure;
      }
      at += n;
    } while (at < writes.size());
    return std::nullopt;
  }
  if (begin != nullptr) lease.session() << begin;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const DeferredWrite& w = *writes[i];
    try {
      const long long n = Query::RunDeferred(conn, w);
      if (n < w.min_rows || n > w.max_rows) return BatchFailure{i, nullptr};
    } catch (...) {
      return BatchFailure{i, std::current_exception()};
    }
  }
  return std::nullopt;
}

}  // namespace

// ---- WriteScope ---------------------------------------------------------------

void WriteScope::Rollback() {
  if (begun_ == nullptr) return;
  try {
    *std::exchange(begun_, nullptr) << "ROLLBACK";
  } catch (const std::exception& e) {
    spdlog::warn("store: rollback failed: {}", e.what());
  }
}

WriteScope::~WriteScope() {
  Rollback();
  if (writer_owner_ != nullptr) writer_owner_->store(std::thread::id());
  if (writer_ != nullptr) writer_->Unlock();
}

// ---- SociTransaction ----------------------------------------------------------

SociTransaction::SociTransaction(ConnectionPool& pool, ConnectionPool::Lease& lease, const engine::Clock& clock,
                                 TransactionRunner* runner, WriteScope* scope)
    : pool_(pool),
      lease_(lease),
      clock_(clock),
      tables_(lease.session(), lease.cache(), pool.dialect()),
      runner_(runner),
      scope_(scope) {}

template <typename R, typename Body>
R SociTransaction::Guard(const char* operation, Body&& body, Status on_constraint) {
  if (!doom_.ok()) return R(doom_);
  try {
    return body();
  } catch (const std::exception& e) {
    Status s = pool_.MapError(e, operation, lease_);
    if (!on_constraint.ok() && ClassifyStoreError(e) == StoreErrorKind::kConstraint) s = on_constraint;
    doom_ = s;
    return R(s);
  }
}

Status SociTransaction::Apply(const char* operation, Status on_mismatch, Status on_constraint,
                              const std::function<bool(Tables&)>& body) {
  if (runner_ == nullptr) {
    return Guard<Status>(
        operation, [&]() { return body(tables_) ? Status::Ok() : on_mismatch; }, on_constraint);
  }
  if (!doom_.ok()) return doom_;
  labels_.push_back({operation, std::move(on_mismatch), std::move(on_constraint)});
  gathered_.label = labels_.size() - 1;
  tables_.conn().gather = &gathered_;
  Status st = Guard<Status>(operation, [&]() {
    body(tables_);
    return Status::Ok();
  });
  tables_.conn().gather = nullptr;
  return st;
}

Status SociTransaction::Ready(bool needs_begin) {
  if (!doom_.ok()) return doom_;
  if (runner_ == nullptr) return Status::Ok();
  if (!begun_ && (needs_begin || !gathered_.writes.empty())) {
    Status begun = runner_->Begin(lease_, scope_);
    if (!begun.ok()) return doom_ = begun;
    begun_ = true;
  }
  return begun_ ? Flush() : Status::Ok();
}

Status SociTransaction::Flush() {
  if (!doom_.ok() || gathered_.writes.empty()) return doom_;
  std::vector<const DeferredWrite*> writes;
  writes.reserve(gathered_.writes.size());
  for (const DeferredWrite& w : gathered_.writes) writes.push_back(&w);
  try {
    std::optional<BatchFailure> failure = RunBatch(pool_, lease_, nullptr, writes);
    if (failure) return doom_ = runner_->FailureStatus(lease_, *this, *writes[failure->index], failure->error);
  } catch (const std::exception& e) {
    return doom_ = pool_.MapError(e, "write", lease_);
  }
  gathered_.writes.clear();
  return Status::Ok();
}

Status SociTransaction::Write(const char* operation, const std::function<Status(Tables&)>& body) {
  CREDFLOW_RETURN_IF_ERROR(Ready(true));
  return Guard<Status>(operation, [&]() { return body(tables_); });
}

// Loads the facts about the case's subject in the same statement: a
// transition asks for them next (engine/case_service.cc), and this saves
// it a round trip. LoadSubjectFacts hands them out once, unless a write to
// records or profiles came in between.
Result<Case> SociTransaction::LoadCase(const std::string& id) {
  CREDFLOW_RETURN_IF_ERROR(Ready(false));
  return Guard<Result<Case>>("load_case", [&]() -> Result<Case> {
    prefetched_facts_.reset();
    SubjectFacts facts;
    std::optional<Case> c = tables_.cases().LoadWithFacts(id, &facts);
    if (!c) return Status::NotFound("case_not_found", "no case " + id);
    prefetched_facts_ = std::move(facts);
    return std::move(*c);
  });
}

Status SociTransaction::InsertCase(const Case& c) {
  Status st = Apply("insert_case", Status::AlreadyExists("case_exists", "case " + c.id + " already exists"),
                    Status::Ok(), [&](Tables& t) { return t.cases().Insert(c); });
  if (st.ok()) inserted_cases_.insert(c.id);
  return st;
}

Status SociTransaction::UpdateCase(const Case& c, int64_t expected_version) {
  if (c.version <= expected_version) {
    return Status::Internal("update_case: the new version must be above expected_version");
  }
  return Apply(
      "update_case",
      Status::Conflict("version_mismatch", "case " + c.id + " is not at version " + std::to_string(expected_version)),
      Status::Ok(), [&](Tables& t) { return t.cases().Update(c, expected_version); });
}

Status SociTransaction::ReplaceCase(const Case& c) {
  CREDFLOW_RETURN_IF_ERROR(Ready(true));
  return Guard<Status>("replace_case", [&]() {
    if (!tables_.cases().Replace(c)) return Status::NotFound("case_not_found", "no case " + c.id);
    return Status::Ok();
  });
}

Result<std::vector<engine::ChildCase>> SociTransaction::LoadChildren(const std::string& parent_id) {
  CREDFLOW_RETURN_IF_ERROR(Ready(false));
  return Guard<Result<std::vector<engine::ChildCase>>>("load_children", [&]() {
    return Result<std::vector<engine::ChildCase>>(tables_.cases().LoadChildren(parent_id));
  });
}

// Sequence clashes are caught by ON CONFLICT; the one constraint left is the
// reference to the case.
Status SociTransaction::AppendHistory(const engine::HistoryEvent& e) {
  return Apply("append_history",
               Status::Conflict("history_seq_taken",
                                "case " + e.case_id + " already has history event " + std::to_string(e.seq)),
               Status::NotFound("case_not_found", "history for unknown case " + e.case_id),
               [&](Tables& t) { return t.history().Append(&e, 1); });
}

// A command's history goes in multi-row INSERTs of at most
// kHistoryRowsPerInsert rows (a filing: 5 rows, one statement).
Status SociTransaction::AppendHistoryBatch(const std::vector<engine::HistoryEvent>& events) {
  constexpr size_t kHistoryRowsPerInsert = 8;
  for (size_t at = 0; at < events.size(); at += kHistoryRowsPerInsert) {
    const size_t n = std::min(kHistoryRowsPerInsert, events.size() - at);
    CREDFLOW_RETURN_IF_ERROR(
        Apply("append_history",
              Status::Conflict("history_seq_taken",
                               "case " + events[at].case_id + " already has one of these history events"),
              Status::NotFound("case_not_found", "history for unknown case " + events[at].case_id),
              [&](Tables& t) { return t.history().Append(&events[at], n); }));
  }
  return Status::Ok();
}

bool SociTransaction::TimerMayExist(const Timer& t) {
  const bool id_new = timer_ids_written_.insert(t.id).second;
  const bool name_new = timer_names_written_.emplace(t.case_id, t.name).second;
  return !(id_new && name_new && inserted_cases_.count(t.case_id) != 0);
}

Status SociTransaction::PutTimer(const Timer& t) {
  const bool may_replace = TimerMayExist(t);
  return Apply("put_timer", Status::Ok(), Status::Ok(), [&](Tables& tables) {
    tables.timers().Put(t, may_replace);
    return true;
  });
}

Status SociTransaction::CancelTimer(const std::string& case_id, const std::string& name) {
  return Apply("cancel_timer", Status::Ok(), Status::Ok(), [&](Tables& t) {
    t.timers().Cancel(case_id, name);
    return true;
  });
}

// A claim holds its timers until the transaction ends: it needs one begun.
Result<std::vector<Timer>> SociTransaction::ClaimDueTimers(Timestamp now, int limit) {
  CREDFLOW_RETURN_IF_ERROR(Ready(true));
  return Guard<Result<std::vector<Timer>>>(
      "claim_due_timers", [&]() { return Result<std::vector<Timer>>(tables_.timers().ClaimDue(now, limit)); });
}

Status SociTransaction::DeleteTimer(const std::string& timer_id) {
  return Apply("delete_timer", Status::Ok(), Status::Ok(), [&](Tables& t) {
    t.timers().Delete(timer_id);
    return true;
  });
}

Status SociTransaction::UpdateTimer(const Timer& t) {
  TimerMayExist(t);  // records its id and name
  return Apply("update_timer", Status::NotFound("timer_not_found", "no pending timer " + t.id), Status::Ok(),
               [&](Tables& tables) { return tables.timers().Update(t); });
}

Result<SubjectFacts> SociTransaction::LoadSubjectFacts(const std::string& subject) {
  if (doom_.ok() && prefetched_facts_ && prefetched_facts_->subject == subject) {
    SubjectFacts facts = std::move(*prefetched_facts_);
    prefetched_facts_.reset();
    return facts;
  }
  CREDFLOW_RETURN_IF_ERROR(Ready(false));
  return Guard<Result<SubjectFacts>>("load_subject_facts",
                                     [&]() { return Result<SubjectFacts>(tables_.subjects().LoadFacts(subject)); });
}

Result<SubjectFacts> SociTransaction::LoadSubjectFactsOfKinds(const std::string& subject,
                                                              const std::vector<std::string>& kinds) {
  if (doom_.ok() && prefetched_facts_ && prefetched_facts_->subject == subject) {
    SubjectFacts facts = std::move(*prefetched_facts_);
    prefetched_facts_.reset();
    engine::KeepKinds(kinds, &facts.records);
    return facts;
  }
  CREDFLOW_RETURN_IF_ERROR(Ready(false));
  return Guard<Result<SubjectFacts>>(
      "load_subject_facts", [&]() { return Result<SubjectFacts>(tables_.subjects().LoadFacts(subject, kinds)); });
}

Status SociTransaction::PutSubjectProfile(const SubjectProfile& p) {
  prefetched_facts_.reset();
  return Apply("put_subject_profile", Status::Ok(), Status::Ok(), [&](Tables& t) {
    t.subjects().PutProfile(p);
    return true;
  });
}

Status SociTransaction::PutSubjectRecord(const SubjectRecord& r) {
  prefetched_facts_.reset();
  return Apply("put_subject_record", Status::Ok(), Status::Ok(), [&](Tables& t) {
    t.subjects().PutRecord(r);
    return true;
  });
}

// The auditor's rebuild (engine/projections.h): in a transaction begun.
Status SociTransaction::DeleteSubjectProfile(const std::string& code) {
  prefetched_facts_.reset();
  CREDFLOW_RETURN_IF_ERROR(Ready(true));
  return Guard<Status>("delete_subject_profile", [&]() {
    tables_.subjects().DeleteProfile(code);
    return Status::Ok();
  });
}

Status SociTransaction::DeleteSubjectRecord(const std::string& id) {
  prefetched_facts_.reset();
  CREDFLOW_RETURN_IF_ERROR(Ready(true));
  return Guard<Status>("delete_subject_record", [&]() {
    tables_.subjects().DeleteRecord(id);
    return Status::Ok();
  });
}

Status SociTransaction::PutNotice(const Notice& n) {
  return Apply("put_notice", Status::AlreadyExists("notice_exists", "notice " + n.id + " already exists"), Status::Ok(),
               [&](Tables& t) { return t.notices().Put(n); });
}

Status SociTransaction::PutChildOutcome(const ChildOutcome& o) {
  return Apply("put_child_outcome",
               Status::AlreadyExists("child_outcome_exists", "child " + o.child_id + " already reported " + o.outcome),
               Status::Ok(), [&](Tables& t) { return t.child_outcomes().Put(o); });
}

Result<std::optional<StoredResponse>> SociTransaction::FindResponse(const std::string& key) {
  CREDFLOW_RETURN_IF_ERROR(Ready(false));
  return Guard<Result<std::optional<StoredResponse>>>(
      "find_response", [&]() { return Result<std::optional<StoredResponse>>(tables_.idempotency().Find(key)); });
}

Status SociTransaction::PutResponse(const StoredResponse& r) {
  const Timestamp now = clock_.Now();
  return Apply("put_response", Status::AlreadyExists("idempotency_key_exists", "idempotency key already used"),
               Status::Ok(), [&](Tables& t) { return t.idempotency().Put(r, now); });
}

// ---- TransactionRunner --------------------------------------------------------

TransactionRunner::TransactionRunner(ConnectionPool& pool, const engine::Clock& clock,
                                     std::chrono::milliseconds acquire_timeout,
                                     std::function<void()> before_group_commit)
    : pool_(pool),
      clock_(clock),
      acquire_timeout_(acquire_timeout),
      before_group_commit_(std::move(before_group_commit)) {}

std::size_t TransactionRunner::queued() {
  std::lock_guard<std::mutex> lock(queue_mu_);
  return queue_.size();
}

Status TransactionRunner::LockWriter(WriteScope* scope) {
  if (!pool_.dialect().one_writer_at_a_time()) return Status::Ok();
  if (writer_owner_.load() == std::this_thread::get_id()) {
    return Status::Internal("store: RunInTransaction called inside a transaction");
  }
  if (!writer_.TryLockFor(acquire_timeout_)) return Status::Unavailable("store busy in begin");
  scope->writer_ = &writer_;
  writer_owner_.store(std::this_thread::get_id());
  scope->writer_owner_ = &writer_owner_;
  return Status::Ok();
}

Status TransactionRunner::SendBegin(ConnectionPool::Lease& lease, WriteScope* scope) {
  soci::session& sql = lease.session();
  try {
    sql << pool_.dialect().begin_transaction();
  } catch (const std::exception& e) {
    // Nothing has happened yet: on a connection that was lost, start over.
    if (!pool_.Revive(lease)) return pool_.MapError(e, "begin", lease);
    try {
      sql << pool_.dialect().begin_transaction();
    } catch (const std::exception& again) {
      return pool_.MapError(again, "begin", lease);
    }
  }
  scope->begun_ = &sql;
  return Status::Ok();
}

Status TransactionRunner::Begin(ConnectionPool::Lease& lease, WriteScope* scope) {
  CREDFLOW_RETURN_IF_ERROR(LockWriter(scope));
  return SendBegin(lease, scope);
}

Status TransactionRunner::Commit(ConnectionPool::Lease& lease, WriteScope* scope) {
  try {
    lease.session() << "COMMIT";
    scope->begun_ = nullptr;
    return Status::Ok();
  } catch (const std::exception& e) {
    // SQLite keeps the transaction open after a failed COMMIT (the scope
    // rolls it back); PostgreSQL has ended it (the ROLLBACK then only warns).
    return pool_.MapError(e, "commit", lease);
  }
}

Status TransactionRunner::Run(const std::function<Status(SociTransaction&)>& fn) {
  WriteScope scope;  // the writer lock first, then a connection: see fifo_mutex.h
  CREDFLOW_RETURN_IF_ERROR(LockWriter(&scope));
  Result<ConnectionPool::Lease> lease = pool_.Acquire("begin");
  if (!lease.ok()) return lease.status();
  // Declared after the lease, so destroyed before it: a transaction left
  // open is rolled back while this thread still holds its connection.
  struct RollbackFirst {
    WriteScope* scope;
    ~RollbackFirst() { scope->Rollback(); }
  } rollback_first{&scope};
  CREDFLOW_RETURN_IF_ERROR(SendBegin(*lease, &scope));

  SociTransaction tx(pool_, *lease, clock_);
  Status status = fn(tx);
  if (status.ok() && !tx.doom().ok()) {
    spdlog::warn("store: a transaction ignored a store error; rolling back");
    status = tx.doom();
  }
  if (!status.ok()) return status;  // ~WriteScope rolls back
  return Commit(*lease, &scope);
}

Status TransactionRunner::RunGathered(const std::function<Status(SociTransaction&)>& fn, bool group) {
  if (!group) return Run(fn);
  if (pool_.dialect().one_writer_at_a_time() && writer_owner_.load() == std::this_thread::get_id()) {
    return Status::Internal("store: RunInTransaction called inside a transaction");
  }
  Result<ConnectionPool::Lease> lease = pool_.Acquire("begin");
  if (!lease.ok()) return lease.status();
  WriteScope scope;  // used when the transaction must begin early
  SociTransaction tx(pool_, *lease, clock_, this, &scope);
  Status status = fn(tx);
  if (status.ok() && !tx.doom().ok()) {
    spdlog::warn("store: a transaction ignored a store error; rolling back");
    status = tx.doom();
  }
  if (!status.ok()) return status;
  if (tx.begun()) {  // it began a transaction of its own: it commits alone
    CREDFLOW_RETURN_IF_ERROR(tx.Flush());
    return Commit(*lease, &scope);
  }
  if (tx.gathered().empty()) return Status::Ok();  // it only read
  return CommitInGroup(*lease, &tx);
}

Status TransactionRunner::CommitInGroup(ConnectionPool::Lease& lease, SociTransaction* tx) {
  Member self;
  self.tx = tx;
  std::unique_lock<std::mutex> lock(queue_mu_);
  queue_.push_back(&self);
  while (!self.done && queue_.front() != &self) self.cv.wait(lock);
  if (self.done) return self.status;

  // This thread leads: it commits what has queued, itself first.
  if (before_group_commit_) {
    lock.unlock();
    before_group_commit_();
    lock.lock();
  }
  std::vector<Member*> group;
  std::size_t writes = 0;
  for (Member* m : queue_) {
    const std::size_t n = m->tx->gathered().size();
    if (!group.empty() && (group.size() >= kMaxGroup || writes + n > kMaxPipelinedWrites)) break;
    group.push_back(m);
    writes += n;
  }
  lock.unlock();
  CommitGroup(lease, group);
  lock.lock();
  for (Member* m : group) {
    queue_.pop_front();  // the group is the front of the queue, in order
    m->done = true;
    if (m != &self) m->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
  return self.status;
}

void TransactionRunner::CommitGroup(ConnectionPool::Lease& lease, std::vector<Member*> group) {
  groups_.fetch_add(1, std::memory_order_relaxed);
  auto answer_all = [&](const Status& st) {
    for (Member* m : group) m->status = st;
  };
  const char* begin = pool_.dialect().begin_transaction();
  while (!group.empty()) {
    WriteScope scope;
    Status locked = LockWriter(&scope);
    if (!locked.ok()) return answer_all(locked);
    std::vector<const DeferredWrite*> writes;
    std::vector<std::size_t> owner;  // per write: its member in `group`
    for (std::size_t i = 0; i < group.size(); ++i) {
      for (const DeferredWrite& w : group[i]->tx->gathered()) {
        writes.push_back(&w);
        owner.push_back(i);
      }
    }
    std::optional<BatchFailure> failure;
    for (int attempt = 0;; ++attempt) {
      try {
        scope.begun_ = &lease.session();  // BEGIN goes out with the writes
        failure = RunBatch(pool_, lease, begin, writes);
        break;
      } catch (const std::exception& e) {
        // Nothing was committed: on a connection that was lost (and with it
        // the transaction), start over. Otherwise ~WriteScope rolls back.
        if (attempt == 0 && pool_.Revive(lease)) {
          scope.begun_ = nullptr;
          continue;
        }
        return answer_all(pool_.MapError(e, "commit", lease));
      }
    }
    if (failure) {
      // One transaction's write failed: it alone is answered with its
      // error; the others go again without it (~WriteScope rolls back).
      const std::size_t culprit = owner[failure->index];
      Status st = FailureStatus(lease, *group[culprit]->tx, *writes[failure->index], failure->error);
      if (st.code() == engine::Status::Code::kUnavailable) return answer_all(st);  // the database, not the write
      group[culprit]->status = std::move(st);
      group.erase(group.begin() + static_cast<std::ptrdiff_t>(culprit));
      continue;
    }
    const Status committed = Commit(lease, &scope);
    if (committed.ok()) grouped_.fetch_add(group.size(), std::memory_order_relaxed);
    return answer_all(committed);
  }
}

Status TransactionRunner::FailureStatus(ConnectionPool::Lease& lease, const SociTransaction& tx, const DeferredWrite& w,
                                        const std::exception_ptr& error) {
  const WriteLabel& label = tx.labels()[w.label];
  if (!error) return label.on_mismatch;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    Status st = pool_.MapError(e, label.operation, lease);
    if (!label.on_constraint.ok() && ClassifyStoreError(e) == StoreErrorKind::kConstraint) st = label.on_constraint;
    return st;
  } catch (...) {
    return Status::Internal("store error in " + std::string(label.operation));
  }
}

}  // namespace credflow::adapters
