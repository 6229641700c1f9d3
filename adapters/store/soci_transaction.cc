#include "adapters/store/soci_transaction.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

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

// Releases the in-process writer lock when a transaction ends.
class WriterLock {
 public:
  explicit WriterLock(FifoMutex* mu) : mu_(mu) {}
  ~WriterLock() { mu_->Unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  FifoMutex* mu_;
};

// Resets the in-process writer owner when a transaction ends.
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

// ---- SociTransaction ----------------------------------------------------------

SociTransaction::SociTransaction(ConnectionPool& pool, ConnectionPool::Lease& lease, const engine::Clock& clock)
    : pool_(pool), lease_(lease), clock_(clock), tables_(lease.session(), lease.cache(), pool.dialect()) {}

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

Status SociTransaction::Write(const char* operation, const std::function<Status(Tables&)>& body) {
  return Guard<Status>(operation, [&]() { return body(tables_); });
}

// Loads the facts about the case's subject in the same statement: a
// transition asks for them next (engine/case_service.cc), and this saves
// it a round trip. LoadSubjectFacts hands them out once, unless a write to
// records or profiles came in between.
Result<Case> SociTransaction::LoadCase(const std::string& id) {
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
  return Guard<Status>("insert_case", [&]() {
    if (!tables_.cases().Insert(c)) {
      return Status::AlreadyExists("case_exists", "case " + c.id + " already exists");
    }
    return Status::Ok();
  });
}

Status SociTransaction::UpdateCase(const Case& c, int64_t expected_version) {
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

Status SociTransaction::ReplaceCase(const Case& c) {
  return Guard<Status>("replace_case", [&]() {
    if (!tables_.cases().Replace(c)) return Status::NotFound("case_not_found", "no case " + c.id);
    return Status::Ok();
  });
}

Result<std::vector<engine::ChildCase>> SociTransaction::LoadChildren(const std::string& parent_id) {
  return Guard<Result<std::vector<engine::ChildCase>>>("load_children", [&]() {
    return Result<std::vector<engine::ChildCase>>(tables_.cases().LoadChildren(parent_id));
  });
}

Status SociTransaction::AppendHistory(const engine::HistoryEvent& e) {
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
Status SociTransaction::AppendHistoryBatch(const std::vector<engine::HistoryEvent>& events) {
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

Status SociTransaction::PutTimer(const Timer& t) {
  return Guard<Status>("put_timer", [&]() {
    tables_.timers().Put(t);
    return Status::Ok();
  });
}

Status SociTransaction::CancelTimer(const std::string& case_id, const std::string& name) {
  return Guard<Status>("cancel_timer", [&]() {
    tables_.timers().Cancel(case_id, name);
    return Status::Ok();
  });
}

Result<std::optional<Timer>> SociTransaction::ClaimDueTimer(Timestamp now) {
  return Guard<Result<std::optional<Timer>>>(
      "claim_due_timer", [&]() { return Result<std::optional<Timer>>(tables_.timers().ClaimDue(now)); });
}

Status SociTransaction::DeleteTimer(const std::string& timer_id) {
  return Guard<Status>("delete_timer", [&]() {
    tables_.timers().Delete(timer_id);
    return Status::Ok();
  });
}

Status SociTransaction::UpdateTimer(const Timer& t) {
  return Guard<Status>("update_timer", [&]() {
    if (!tables_.timers().Update(t)) return Status::NotFound("timer_not_found", "no pending timer " + t.id);
    return Status::Ok();
  });
}

Result<SubjectFacts> SociTransaction::LoadSubjectFacts(const std::string& subject) {
  if (doom_.ok() && prefetched_facts_ && prefetched_facts_->subject == subject) {
    SubjectFacts facts = std::move(*prefetched_facts_);
    prefetched_facts_.reset();
    return facts;
  }
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
  return Guard<Result<SubjectFacts>>(
      "load_subject_facts", [&]() { return Result<SubjectFacts>(tables_.subjects().LoadFacts(subject, kinds)); });
}

Status SociTransaction::PutSubjectProfile(const SubjectProfile& p) {
  prefetched_facts_.reset();
  return Guard<Status>("put_subject_profile", [&]() {
    tables_.subjects().PutProfile(p);
    return Status::Ok();
  });
}

Status SociTransaction::PutSubjectRecord(const SubjectRecord& r) {
  prefetched_facts_.reset();
  return Guard<Status>("put_subject_record", [&]() {
    tables_.subjects().PutRecord(r);
    return Status::Ok();
  });
}

Status SociTransaction::DeleteSubjectProfile(const std::string& code) {
  prefetched_facts_.reset();
  return Guard<Status>("delete_subject_profile", [&]() {
    tables_.subjects().DeleteProfile(code);
    return Status::Ok();
  });
}

Status SociTransaction::DeleteSubjectRecord(const std::string& id) {
  prefetched_facts_.reset();
  return Guard<Status>("delete_subject_record", [&]() {
    tables_.subjects().DeleteRecord(id);
    return Status::Ok();
  });
}

Status SociTransaction::PutNotice(const Notice& n) {
  return Guard<Status>("put_notice", [&]() {
    if (!tables_.notices().Put(n)) {
      return Status::AlreadyExists("notice_exists", "notice " + n.id + " already exists");
    }
    return Status::Ok();
  });
}

Status SociTransaction::PutChildOutcome(const ChildOutcome& o) {
  return Guard<Status>("put_child_outcome", [&]() {
    if (!tables_.child_outcomes().Put(o)) {
      return Status::AlreadyExists("child_outcome_exists", "child " + o.child_id + " already reported " + o.outcome);
    }
    return Status::Ok();
  });
}

Result<std::optional<StoredResponse>> SociTransaction::FindResponse(const std::string& key) {
  return Guard<Result<std::optional<StoredResponse>>>(
      "find_response", [&]() { return Result<std::optional<StoredResponse>>(tables_.idempotency().Find(key)); });
}

Status SociTransaction::PutResponse(const StoredResponse& r) {
  return Guard<Status>("put_response", [&]() {
    if (!tables_.idempotency().Put(r, clock_.Now())) {
      return Status::AlreadyExists("idempotency_key_exists", "idempotency key already used");
    }
    return Status::Ok();
  });
}

// ---- TransactionRunner --------------------------------------------------------

TransactionRunner::TransactionRunner(ConnectionPool& pool, const engine::Clock& clock,
                                     std::chrono::milliseconds acquire_timeout)
    : pool_(pool), clock_(clock), acquire_timeout_(acquire_timeout) {}

Status TransactionRunner::Run(const std::function<Status(SociTransaction&)>& fn) {
  std::optional<WriterLock> writer;
  std::optional<WriterOwnerReset> owner_reset;
  if (pool_.dialect().one_writer_at_a_time()) {
    if (writer_owner_.load() == std::this_thread::get_id()) {
      return Status::Internal("store: RunInTransaction called inside a transaction");
    }
    if (!writer_.TryLockFor(acquire_timeout_)) {
      return Status::Unavailable("store busy in begin");
    }
    writer.emplace(&writer_);
    writer_owner_.store(std::this_thread::get_id());
    owner_reset.emplace(&writer_owner_);
  }

  Result<ConnectionPool::Lease> lease = pool_.Acquire("begin");
  if (!lease.ok()) return lease.status();
  soci::session& sql = lease->session();
  try {
    sql << pool_.dialect().begin_transaction();
  } catch (const std::exception& e) {
    // Nothing has happened yet: on a connection that was lost, start over.
    if (!pool_.Revive(*lease)) return pool_.MapError(e, "begin", *lease);
    try {
      sql << pool_.dialect().begin_transaction();
    } catch (const std::exception& again) {
      return pool_.MapError(again, "begin", *lease);
    }
  }
  RollbackOnExit rollback(sql);

  SociTransaction tx(pool_, *lease, clock_);
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

}  // namespace credflow::adapters
