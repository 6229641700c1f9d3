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
// Threading: a SociTransaction belongs to the thread running the callback
// that received it, for the callback's duration. A TransactionRunner is safe
// for concurrent use: each run leases its own connection.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/connection_pool.h"
#include "adapters/store/fifo_mutex.h"
#include "adapters/store/tables/tables.h"
#include "engine/case_store.h"
#include "engine/clock.h"
#include "engine/status.h"

namespace credflow::adapters {

class SociTransaction final : public engine::StoreTransaction {
 public:
  // `clock` stamps stored responses. REQUIRES: `lease` holds an open
  // transaction for as long as this object lives.
  SociTransaction(ConnectionPool& pool, ConnectionPool::Lease& lease, const engine::Clock& clock);

  // The error that doomed this transaction, or OK.
  const engine::Status& doom() const { return doom_; }

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
  engine::Result<std::optional<engine::Timer>> ClaimDueTimer(engine::Timestamp now) override;
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

  ConnectionPool& pool_;
  ConnectionPool::Lease& lease_;
  const engine::Clock& clock_;
  Tables tables_;
  engine::Status doom_;
  // The facts LoadCase read with the case, until used or made stale.
  std::optional<engine::SubjectFacts> prefetched_facts_;
};

class TransactionRunner {
 public:
  // `acquire_timeout`: how long a writer waits in the in-process queue.
  TransactionRunner(ConnectionPool& pool, const engine::Clock& clock, std::chrono::milliseconds acquire_timeout);
  TransactionRunner(const TransactionRunner&) = delete;
  TransactionRunner& operator=(const TransactionRunner&) = delete;

  // Runs `fn` in one transaction; commits iff it returns OK and the
  // transaction is not doomed, else rolls back and returns fn's Status (or
  // the doom). Unavailable("store busy in begin") when the writer queue or
  // the pool has no room within the timeout; Internal when called inside a
  // transaction on the same thread (one writer at a time only); the mapped
  // error when BEGIN or COMMIT fails.
  engine::Status Run(const std::function<engine::Status(SociTransaction&)>& fn);

 private:
  ConnectionPool& pool_;
  const engine::Clock& clock_;
  const std::chrono::milliseconds acquire_timeout_;
  // One writer at a time in this process (SQLite), so writers queue on a
  // lock instead of polling the file lock (busy_timeout still covers other
  // processes). First come, first served: see fifo_mutex.h.
  FifoMutex writer_;
  std::atomic<std::thread::id> writer_owner_{};
};

}  // namespace credflow::adapters
