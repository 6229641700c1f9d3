// CaseStore: the engine's port to durable storage. adapters/store implements it
// with SOCI for SQLite and PostgreSQL; tests/support has an in-memory fake.
// One contract suite (tests/contract) runs against all three.
//
// Threading: a CaseStore is shared by all threads; each RunInTransaction call
// uses its own connection. A StoreTransaction belongs to one thread and lives
// only inside the callback that received it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/status.h"
#include "engine/user.h"

namespace credflow::engine {

// The first answer to a command that carried an idempotency key.
struct StoredResponse {
  std::string key;
  std::string request_hash;  // SHA-256 hex of the command
  std::string case_id;
  Json response;
};

struct CaseQuery {
  std::string workflow;    // empty = any
  std::string state;       // empty = any
  std::string subject;     // empty = any
  std::string parent_id;   // empty = any
  std::string department;  // empty = any; else the department's tasks
  bool open_only = false;  // only cases whose outcome is still "pending"
  // Only overdue cases: pending, and either flagged by their workflow
  // (data.overdue is true, e.g. a verification past its window) or holding a
  // deadline (timer) whose due_on is before this date.
  std::optional<policies::Date> overdue_on;
  std::string after_id;  // keyset pagination: ids greater than this
  int limit = 100;
};

// Registered subjects, in code order (bytewise), a page at a time.
struct SubjectQuery {
  std::string grade;       // empty = any
  std::string status;      // empty = any
  std::string after_code;  // keyset pagination: codes greater than this
  int limit = 100;
};

class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;

  // NotFound("case_not_found") when there is no such case.
  virtual Result<Case> LoadCase(const std::string& id) = 0;
  // AlreadyExists("case_exists") when the id is taken.
  virtual Status InsertCase(const Case& c) = 0;
  // Writes `c` only if the stored version is `expected_version`; otherwise
  // Conflict("version_mismatch") and nothing is written. REQUIRES:
  // c.version > expected_version (a command that took the case through
  // several transitions writes it once; see engine/unit_of_work.h).
  virtual Status UpdateCase(const Case& c, int64_t expected_version) = 0;
  // Appends one history event. Conflict("history_seq_taken") when the case
  // already has an event with that seq.
  virtual Status AppendHistory(const HistoryEvent& e) = 0;
  // Appends the events in order, as AppendHistory would one by one; a store
  // may send them in fewer round trips. On failure the transaction must be
  // abandoned (some may have been written).
  virtual Status AppendHistoryBatch(const std::vector<HistoryEvent>& events) {
    for (const HistoryEvent& e : events) CREDFLOW_RETURN_IF_ERROR(AppendHistory(e));
    return Status::Ok();
  }

  // Arms a timer; a pending timer of the same case and name is replaced.
  virtual Status PutTimer(const Timer& t) = 0;
  // Removes the case's pending timer `name`; OK if there is none.
  virtual Status CancelTimer(const std::string& case_id, const std::string& name) = 0;
  // Claims the earliest timer with fire_at <= now that no other transaction
  // holds (PostgreSQL: FOR UPDATE SKIP LOCKED), or nullopt when none is due.
  // The claim lasts until the transaction ends.
  virtual Result<std::optional<Timer>> ClaimDueTimer(Timestamp now) = 0;
  // Deletes a timer (after it fired, or was found stale).
  virtual Status DeleteTimer(const std::string& timer_id) = 0;

  // The subject's profile (if registered) and every record about it.
  virtual Result<SubjectFacts> LoadSubjectFacts(const std::string& subject) = 0;
  // Inserts the profile, or replaces the one with the same code.
  virtual Status PutSubjectProfile(const SubjectProfile& p) = 0;
  // Inserts the record, or replaces the one with the same id.
  virtual Status PutSubjectRecord(const SubjectRecord& r) = 0;
  virtual Status PutNotice(const Notice& n) = 0;
  virtual Status PutChildOutcome(const ChildOutcome& o) = 0;

  // The stored answer for `key`, or nullopt.
  virtual Result<std::optional<StoredResponse>> FindResponse(const std::string& key) = 0;
  // AlreadyExists("idempotency_key_exists") when the key is taken.
  virtual Status PutResponse(const StoredResponse& r) = 0;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Runs `fn` in one transaction and commits iff it returns OK; otherwise
  // rolls back and returns fn's Status. Returns Unavailable when the store
  // cannot be reached and Conflict when the database itself detected a
  // conflicting concurrent write (a retry may succeed).
  virtual Status RunInTransaction(const std::function<Status(StoreTransaction&)>& fn) = 0;

  // Reads. Each sees committed data only.
  virtual Result<Case> GetCase(const std::string& id) = 0;
  virtual Result<std::vector<Case>> FindCases(const CaseQuery& query) = 0;
  // The case's history in seq order (empty when the case is unknown).
  virtual Result<std::vector<HistoryEvent>> GetHistory(const std::string& case_id) = 0;
  // The case's pending timers, earliest first.
  virtual Result<std::vector<Timer>> GetTimers(const std::string& case_id) = 0;
  virtual Result<SubjectFacts> GetSubjectFacts(const std::string& subject) = 0;
  // The subject's profile, or nullopt when it was never registered.
  virtual Result<std::optional<SubjectProfile>> GetSubjectProfile(const std::string& code) = 0;
  // Profiles matching every non-empty filter, with code > after_code, in code
  // order, at most `limit`. InvalidArgument("invalid_limit") for limit <= 0.
  virtual Result<std::vector<SubjectProfile>> ListSubjects(const SubjectQuery& query) = 0;
  virtual Result<std::vector<ChildOutcome>> GetChildOutcomes(const std::string& parent_id) = 0;
  virtual Result<std::vector<Notice>> GetNotices(const std::string& case_id) = 0;
  // Every case id, in id order (for audit of all cases).
  virtual Result<std::vector<std::string>> ListCaseIds() = 0;
  // How many timers are due at `now` and not yet fired (for /metrics).
  virtual Result<int64_t> CountDueTimers(Timestamp now) = 0;
  // OK when the store answers a trivial query (for /readyz).
  virtual Status Ping() = 0;

  // API users. Tokens are never stored, only their SHA-256 (engine/user.h).
  // AlreadyExists("user_exists") when the name is taken,
  // AlreadyExists("token_exists") when the token hash is.
  virtual Status PutUser(const User& user) = 0;
  // The user holding this token hash, disabled or not; nullopt when none.
  virtual Result<std::optional<User>> FindUserByTokenHash(const std::string& token_hash) = 0;
  // Every user, in name order.
  virtual Result<std::vector<User>> ListUsers() = 0;
  // NotFound("user_not_found") when there is no such user.
  virtual Status SetUserDisabled(const std::string& name, bool disabled) = 0;
};

}  // namespace credflow::engine
