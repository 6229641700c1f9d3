// SociTransaction: one engine::StoreTransaction of the SOCI store, on one
// leased connection, working through the store's Tables. A database error
// dooms it (PostgreSQL aborts the transaction anyway): that first error is
// returned by every later call, and by the run even when the callback
// returns OK.
//
// LoadCase reads the facts about the case's subject in the same statement (a
// transition asks for them next) and LoadSubjectFacts hands them out once,
// unless a write to records or profiles came in between.
//
// TransactionRunner: runs a callback in one such transaction, and commits iff
// it returns OK. On a dialect with one writer at a time (SQLite) writers
// first queue in process on a first-come-first-served lock (fifo_mutex.h);
// a nested run on the same thread is refused instead of waiting for itself.
// A BEGIN that fails on a lost connection is retried once on a reopened one.
//
// Group commit (RunGathered, for engine::CaseStore::RunOptimistic). A
// command's unit of work reads first and writes everything at its end, and
// every write it makes is checked optimistically: a case is updated only at
// the version it was read at, and history, notices, answers and cases are
// unique by key. Such a transaction
//  * reads outside any database transaction (each read sees what is
//    committed, as under READ COMMITTED), with no writer lock held;
//  * gathers its writes (prepared_statement.h: DeferredWrite) instead of
//    running them;
//  * at its end, joins the committer's queue (the write queue of LevelDB's
//    DBImpl::Write): the writer at the front leads; it takes the queued
//    transactions' writes, sends BEGIN and all of them in one batch (on
//    PostgreSQL one libpq pipeline, postgresql/pipeline.h; on SQLite under
//    the writer lock), checks every row count, and COMMITs once: one WAL
//    flush for the group. While it does, newcomers queue and form the next
//    group, so a group is whatever arrived during the previous commit.
//  * When one transaction's write fails (a version moved, a key taken), the
//    leader rolls back, answers that transaction alone with its error and
//    commits the others without it. Nobody is answered before the COMMIT that
//    holds their writes has returned.
// A gathering transaction that needs more than this (a claim FOR UPDATE, a
// read after one of its own writes, a write of the store's own) begins a
// transaction of its own at that point and runs what it has gathered. It
// goes on gathering: its later writes run together (one pipeline) before
// its next read or before its COMMIT, which it makes alone. The scheduler's
// delivery of a due timer takes this path (its claim holds the timer).
//
// Threading: a SociTransaction belongs to the thread running the callback
// that received it, for the callback's duration. A TransactionRunner is safe
// for concurrent use: each run leases its own connection.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "adapters/store/connection_pool.h"
#include "adapters/store/fifo_mutex.h"
#include "adapters/store/tables/tables.h"
#include "engine/case_store.h"
#include "engine/clock.h"
#include "engine/status.h"

namespace credflow::adapters {

class TransactionRunner;

// What a write transaction holds while it runs: the in-process writer lock
// (SQLite) and whether BEGIN was sent. Rolls back on destruction unless
// committed.
class WriteScope {
 public:
  WriteScope() = default;
  ~WriteScope();
  // Rolls back now if BEGIN was sent and nothing ended it. Must run before
  // the connection goes back to the pool (a scope that outlives its lease
  // calls it first: see TransactionRunner::Run).
  void Rollback();
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

 private:
  friend class TransactionRunner;
  FifoMutex* writer_ = nullptr;  // held, when set
  std::atomic<std::thread::id>* writer_owner_ = nullptr;
  soci::session* begun_ = nullptr;  // BEGIN sent on it, not yet ended
};

// What one gathered write stands for: the call that made it and what its
// failure means to that call.
struct WriteLabel {
  const char* operation;
  engine::Status on_mismatch;    // it changed a number of rows out of bounds
  engine::Status on_constraint;  // it broke a constraint (OK: as mapped)
};

class SociTransaction final : public engine::StoreTransaction {
 public:
  // `clock` stamps stored responses. REQUIRES: `lease` holds an open
  // transaction for as long as this object lives; or, when `runner` is not
  // null, the transaction gathers its writes and begins one through
  // `runner` into `scope` only when it must (see the top of this file).
  SociTransaction(ConnectionPool& pool, ConnectionPool::Lease& lease, const engine::Clock& clock,
                  TransactionRunner* runner = nullptr, WriteScope* scope = nullptr);

  // The error that doomed this transaction, or OK.
  const engine::Status& doom() const { return doom_; }
  // Whether it may still commit in a group: it gathers its writes and has
  // begun no transaction of its own.
  bool grouping() const { return runner_ != nullptr && !begun_; }
  // Whether it began a transaction of its own (through its runner).
  bool begun() const { return begun_; }
  // The writes gathered and not yet run.
  const std::vector<DeferredWrite>& gathered() const { return gathered_.writes; }
  // Runs the gathered writes in the transaction it has begun, in one
  // pipeline on PostgreSQL. REQUIRES: begun().
  engine::Status Flush();
  const std::vector<WriteLabel>& labels() const { return labels_; }

  // Runs `body` on this transaction's tables, for the store's own writes that
  // are not the engine's (users); errors map and doom as in any call.
  engine::Status Write(const char* operation, const std::function<engine::Status(Tables&)>& body);

  engine::Result<engine::Case> LoadCase(const std::string& id) override;
  engine::Status InsertCase(const engine::Case& c) override;
  engine::Status UpdateCase(const engine::Case& c, int64_t expected_version) override;
  engine::Status ReplaceCase(const engine::Case& c) override;
  engine::Result<std::vector<engine::ChildCase>> LoadChildren(const std::string& parent_id) override;
  engine::Status AppendHistory(const engine::HistoryEvent& e) override;
  // In multi-row INSERTs of at most 8 rows (a filing: 5 rows, one round trip).
  engine::Status AppendHistoryBatch(const std::vector<engine::HistoryEvent>& events) override;
  engine::Status PutTimer(const engine::Timer& t) override;
  engine::Status CancelTimer(const std::string& case_id, const std::string& name) override;
  engine::Result<std::vector<engine::Timer>> ClaimDueTimers(engine::Timestamp now, int limit) override;
  engine::Status DeleteTimer(const std::string& timer_id) override;
  engine::Status UpdateTimer(const engine::Timer& t) override;
  engine::Result<engine::SubjectFacts> LoadSubjectFacts(const std::string& subject) override;
  engine::Result<engine::SubjectFacts> LoadSubjectFactsOfKinds(const std::string& subject,
                                                               const std::vector<std::string>& kinds) override;
  engine::Status PutSubjectProfile(const engine::SubjectProfile& p) override;
  engine::Status DeleteSubjectProfile(const std::string& code) override;
  engine::Status PutSubjectRecord(const engine::SubjectRecord& r) override;
  engine::Status DeleteSubjectRecord(const std::string& id) override;
  engine::Status PutNotice(const engine::Notice& n) override;
  engine::Status PutChildOutcome(const engine::ChildOutcome& o) override;
  engine::Result<std::optional<engine::StoredResponse>> FindResponse(const std::string& key) override;
  engine::Status PutResponse(const engine::StoredResponse& r) override;

 private:
  // Runs `body`, mapping what it throws and dooming the transaction.
  // `on_constraint`, when not OK, is what a constraint violation means for
  // this operation.
  template <typename R, typename Body>
  R Guard(const char* operation, Body&& body, engine::Status on_constraint = engine::Status::Ok());
  // A write: `body` returns false when its row counts were not as required,
  // which is `on_mismatch`. Gathered while the transaction gathers, else run.
  engine::Status Apply(const char* operation, engine::Status on_mismatch, engine::Status on_constraint,
                       const std::function<bool(Tables&)>& body);
  // Before a read (or anything that needs a transaction: `needs_begin`): a
  // gathering transaction with writes held, or asked for a lock, begins a
  // transaction of its own now, and runs what it gathered so far. Its later
  // writes are gathered again, and run before its next read or its COMMIT.
  engine::Status Ready(bool needs_begin);

  ConnectionPool& pool_;
  ConnectionPool::Lease& lease_;
  const engine::Clock& clock_;
  Tables tables_;
  engine::Status doom_;
  TransactionRunner* runner_;  // gathering its writes, when set
  WriteScope* scope_;
  bool begun_ = false;  // through runner_, into scope_
  WriteBatch gathered_;
  std::vector<WriteLabel> labels_;
  // The facts LoadCase read with the case, until used or made stale.
  std::optional<engine::SubjectFacts> prefetched_facts_;
  // Whether a timer row with t's id or case and name may exist: not when
  // this transaction inserted the case and has written no such timer (a
  // case's timers come after the case: its id is new, and a failed insert
  // fails the transaction). Records t as written.
  bool TimerMayExist(const engine::Timer& t);
  std::unordered_set<std::string> inserted_cases_;
  std::unordered_set<std::string> timer_ids_written_;
  std::set<std::pair<std::string, std::string>> timer_names_written_;  // (case, name)
};

class TransactionRunner {
 public:
  // `acquire_timeout`: how long a writer waits in the in-process queue.
  // `before_group_commit`: StoreOptions' test hook, or empty.
  TransactionRunner(ConnectionPool& pool, const engine::Clock& clock, std::chrono::milliseconds acquire_timeout,
                    std::function<void()> before_group_commit = {});
  TransactionRunner(const TransactionRunner&) = delete;
  TransactionRunner& operator=(const TransactionRunner&) = delete;

  // Runs `fn` in one transaction; commits iff it returns OK and the
  // transaction is not doomed, else rolls back and returns fn's Status (or
  // the doom). Unavailable("store busy in begin") when the writer queue or
  // the pool has no room within the timeout; Internal when called inside a
  // transaction on the same thread (one writer at a time only); the mapped
  // error when BEGIN or COMMIT fails.
  engine::Status Run(const std::function<engine::Status(SociTransaction&)>& fn);
  // As Run, for a callback whose writes are all checked optimistically (a
  // command's unit of work): its writes are committed in a group with those
  // of concurrent calls (see the top of this file). As Run when `group` is
  // false.
  engine::Status RunGathered(const std::function<engine::Status(SociTransaction&)>& fn, bool group);

  // How many group commits ran, and how many transactions they committed
  // (for tests).
  uint64_t groups_committed() const { return groups_.load(); }
  uint64_t transactions_grouped() const { return grouped_.load(); }
  // Transactions waiting in the committer's queue, its leader included.
  std::size_t queued();

 private:
  friend class SociTransaction;
  // One transaction waiting in the committer's queue.
  struct Member {
    SociTransaction* tx = nullptr;
    engine::Status status;
    bool done = false;
    std::condition_variable cv;
  };

  // Takes the writer lock (SQLite) into `scope`; Internal when this thread
  // holds it already.
  engine::Status LockWriter(WriteScope* scope);
  // Sends BEGIN on `lease` into `scope`, again on a reopened connection once.
  engine::Status SendBegin(ConnectionPool::Lease& lease, WriteScope* scope);
  // Both, for a transaction that must begin early.
  engine::Status Begin(ConnectionPool::Lease& lease, WriteScope* scope);
  engine::Status Commit(ConnectionPool::Lease& lease, WriteScope* scope);
  // Queues `tx`'s gathered writes and returns once a group holding them has
  // committed, or failed.
  engine::Status CommitInGroup(ConnectionPool::Lease& lease, SociTransaction* tx);
  // The leader's work: commits the writes of `group` on `lease`, setting
  // each member's status.
  void CommitGroup(ConnectionPool::Lease& lease, std::vector<Member*> group);
  // The Status a failed gathered write means to its transaction.
  engine::Status FailureStatus(ConnectionPool::Lease& lease, const SociTransaction& tx, const DeferredWrite& w,
                               const std::exception_ptr& error);

  ConnectionPool& pool_;
  const engine::Clock& clock_;
  const std::chrono::milliseconds acquire_timeout_;
  const std::function<void()> before_group_commit_;
  std::mutex queue_mu_;
  std::deque<Member*> queue_;  // guarded by queue_mu_; the front one leads
  std::atomic<uint64_t> groups_{0};
  std::atomic<uint64_t> grouped_{0};
  // One writer at a time in this process (SQLite), so writers queue on a
  // lock instead of polling the file lock (busy_timeout still covers other
  // processes). First come, first served: see fifo_mutex.h.
  FifoMutex writer_;
  std::atomic<std::thread::id> writer_owner_{};
};

}  // namespace credflow::adapters
