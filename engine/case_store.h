// CaseStore: the engine's port to durable storage. adapters/store implements it
// with SOCI for SQLite and PostgreSQL; tests/support has an in-memory fake.
// One contract suite (tests/contract) runs against all three.
//
// Threading: a CaseStore is shared by all threads; each RunInTransaction call
// uses its own connection. A StoreTransaction belongs to one thread and lives
// only inside the callback that received it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/status.h"
#include "engine/user.h"

namespace credflow::engine {

// An event as the store keeps it, for the whole-store chain check
// (engine/chain_scan.h): the payload is its stored JSON text, unparsed
// (event.payload is left empty).
struct StoredEvent {
  HistoryEvent event;
  std::string payload_text;
};

// A case's id and the hash its row names as its history's last.
struct CaseHead {
  std::string id;
  std::string history_head;
};

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
  // empty = any; else subjects whose code starts with it (ASCII letters
  // compared upper-case, as credit codes are written) or whose name
  // contains it. At most kMaxSubjectSearchBytes.
  std::string text;
  int limit = 100;
};
inline constexpr size_t kMaxSubjectSearchBytes = 200;

// Subjects by the records held about them (a ledger draw's candidates):
// those with at least `min_count` records of one of `kinds` whose status is
// in `statuses` (empty: any) and not in `excluded_statuses`. At most 16
// kinds and 16 statuses each.
struct RecordCountQuery {
  std::vector<std::string> kinds;
  std::vector<std::string> statuses;
  std::vector<std::string> excluded_statuses;
  int min_count = 1;
};

// Cases of one workflow opened in [created_from, created_to), counted (for
// the statistics of heads of office) by the UTC hour they were opened in, a
// coarse key the caller shifts to its own time zone, by outcome, and by one
// top-level member of their data.
struct CaseCountQuery {
  std::string workflow;  // required
  Timestamp created_from{};
  Timestamp created_to{};
  // Empty: none. Else the path of a member of data: a top-level member
  // (commitment_type) or one nested in objects (draw.grade), up to 4 names
  // of [a-z0-9_] joined by dots, at most 64 characters.
  std::string data_member;
};
struct CaseCount {
  std::string created_hour;  // "2026-01-31T17": the first 13 characters of created_at (UTC)
  std::string outcome;
  // data[data_member] when the query names a member and it is a JSON string
  // in the case's data; "" otherwise.
  std::string data_value;
  int64_t count = 0;
};
// InvalidArgument("invalid_query") unless `query` names a workflow, a
// non-empty period (created_from < created_to) and at most a well-formed
// data member.
Status CheckCaseCountQuery(const CaseCountQuery& query);

// A case as its parent's join sees it: the child's own row, read in the
// parent's transaction (see TransitionContext::children).
struct ChildCase {
  std::string id;
  std::string workflow;
  std::string state;
  std::string outcome;
  std::string reason;
  std::string department;
};

// A document number (文号) issued to one document of one case: the `number`th
// of the sequence of (office, prefix, year), printed
// {prefix}〔{year}〕{number}号. Each (case, kind) has at most one, for good.
struct DocumentNumber {
  std::string case_id;
  std::string kind;          // the document kind: rectification_order, ...
  std::string office;        // the issuing office's id (its sequences' key)
  std::string prefix;        // e.g. 苏市监承改
  int year = 0;              // of issued_on
  int64_t number = 0;        // 1, 2, ... within (office, prefix, year)
  policies::Date issued_on;  // the office's calendar day of issue
  Timestamp issued_at{};

  // 苏市监承改〔2026〕17号
  std::string Text() const;
};

// OK, or InvalidArgument("invalid_document_number") when the request to
// issue a number lacks its case, kind, office or prefix. Every store checks
// requests with it.
Status ValidateDocumentNumberRequest(const DocumentNumber& request);
// InvalidArgument("invalid_query") unless `query` names 1 to 16 kinds, at
// most 16 statuses of each list, and min_count >= 1.
Status CheckRecordCountQuery(const RecordCountQuery& query);

// One store transaction. Every method below says what it returns on success
// and every failure reason it may return besides the two any method may
// return: Unavailable("store_unavailable") when the database cannot be
// reached, and Internal("internal") for a store error it cannot classify.
// After a failure the caller must abandon the transaction (return the
// failure from the RunInTransaction callback): the store may have doomed it.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;

  // Success: the case as stored (committed, or written earlier in this
  // transaction). NotFound("case_not_found") when there is no such case.
  virtual Result<Case> LoadCase(const std::string& id) = 0;
  // Success: the case is written with every field of `c`.
  // AlreadyExists("case_exists") when the id is taken.
  virtual Status InsertCase(const Case& c) = 0;
  // Success: `c` replaces the stored case, every field. Conflict
  // ("version_mismatch") when the stored version is not `expected_version`
  // or there is no such case; nothing is written then. REQUIRES:
  // c.version > expected_version (a command that took the case through
  // several transitions writes it once; see engine/unit_of_work.h).
  virtual Status UpdateCase(const Case& c, int64_t expected_version) = 0;
  // Success: the case row is `c`, whatever its version was. For the
  // auditor's rebuild of projections only (engine/projections.h); the hot
  // path never calls it. NotFound("case_not_found") when there is no such case.
  virtual Status ReplaceCase(const Case& c) = 0;
  // Success: every case whose parent_id is `parent_id`, in (created_at, id)
  // order; empty when there is none.
  virtual Result<std::vector<ChildCase>> LoadChildren(const std::string& parent_id) = 0;

  // Success: the event is appended. Conflict("history_seq_taken") when the
  // case already has an event with that seq; NotFound("case_not_found")
  // when the case does not exist.
  virtual Status AppendHistory(const HistoryEvent& e) = 0;
  // Success: the events are appended in order, as AppendHistory would one by
  // one; a store may send them in fewer round trips. Fails as AppendHistory.
  virtual Status AppendHistoryBatch(const std::vector<HistoryEvent>& events) {
    for (const HistoryEvent& e : events) CREDFLOW_RETURN_IF_ERROR(AppendHistory(e));
    return Status::Ok();
  }

  // Success: the timer is armed; a pending timer of the same case and name
  // (or the same id) is replaced.
  virtual Status PutTimer(const Timer& t) = 0;
  // Success: the case's pending timer `name` is gone (also when there was none).
  virtual Status CancelTimer(const std::string& case_id, const std::string& name) = 0;
  // Success: the earliest `limit` (at least 1) timers with fire_at <= now
  // that no other transaction holds (PostgreSQL: FOR UPDATE SKIP LOCKED),
  // earliest first (ties by id); empty when none is due. The claim lasts
  // until the transaction ends.
  virtual Result<std::vector<Timer>> ClaimDueTimers(Timestamp now, int limit) = 0;
  // The earliest of them, or nullopt.
  Result<std::optional<Timer>> ClaimDueTimer(Timestamp now) {
    Result<std::vector<Timer>> due = ClaimDueTimers(now, 1);
    if (!due.ok()) return due.status();
    if (due->empty()) return std::optional<Timer>();
    return std::optional<Timer>(std::move(due->front()));
  }
  // Success: the timer is gone (also when there was none).
  virtual Status DeleteTimer(const std::string& timer_id) = 0;
  // Success: the pending timer with t.id now has every field of `t` (a
  // deadline counted again, engine/deadlines.h). NotFound("timer_not_found")
  // when no pending timer has that id (it fired, or was re-armed or
  // cancelled); nothing is written then. On PostgreSQL the update waits for
  // a transaction that claimed the timer.
  virtual Status UpdateTimer(const Timer& t) = 0;

  // Success: the subject's profile (nullopt when never registered) and every
  // record about it, in (created_at, id) order; empty for an unknown subject.
  virtual Result<SubjectFacts> LoadSubjectFacts(const std::string& subject) = 0;
  // Success: as LoadSubjectFacts, with only the records whose kind is one of
  // `kinds` (all of them when `kinds` is empty). A store may answer from an
  // index instead of reading every record (a subject of a city's heavy tail
  // holds hundreds); this default reads them all and filters.
  virtual Result<SubjectFacts> LoadSubjectFactsOfKinds(const std::string& subject,
                                                       const std::vector<std::string>& kinds) {
    Result<SubjectFacts> facts = LoadSubjectFacts(subject);
    if (facts.ok()) KeepKinds(kinds, &facts->records);
    return facts;
  }
  // Success: the profile is inserted, or replaces the one with the same code
  // (every field).
  virtual Status PutSubjectProfile(const SubjectProfile& p) = 0;
  // Success: the profile of `code` is gone (also when there was none). For
  // the auditor's rebuild only.
  virtual Status DeleteSubjectProfile(const std::string& code) = 0;
  // Success: the record is inserted, or replaces the one with the same id
  // (every field).
  virtual Status PutSubjectRecord(const SubjectRecord& r) = 0;
  // Success: the record is gone (also when there was none). For the
  // auditor's rebuild only.
  virtual Status DeleteSubjectRecord(const std::string& id) = 0;
  // Success: the notice is queued. AlreadyExists("notice_exists") for a
  // taken id.
  virtual Status PutNotice(const Notice& n) = 0;
  // Success: the outcome is recorded. AlreadyExists("child_outcome_exists")
  // when (parent, child, outcome) is recorded already.
  virtual Status PutChildOutcome(const ChildOutcome& o) = 0;

  // Success: the stored answer for `key`, or nullopt.
  virtual Result<std::optional<StoredResponse>> FindResponse(const std::string& key) = 0;
  // Success: the answer is stored. AlreadyExists("idempotency_key_exists")
  // when the key is taken.
  virtual Status PutResponse(const StoredResponse& r) = 0;
};

// The store. Reads see committed data only. Every method may also fail with
// Unavailable("store_unavailable") or Internal("internal"), as above.
class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Runs `fn` in one transaction and commits iff it returns OK; otherwise
  // rolls back and returns fn's Status. Returns Unavailable when the store
  // cannot be reached and Conflict when the database itself detected a
  // conflicting concurrent write (a retry may succeed).
  virtual Status RunInTransaction(const std::function<Status(StoreTransaction&)>& fn) = 0;
  // As RunInTransaction, for a command's unit of work (unit_of_work.h): `fn`
  // writes only after it has read, and every write it makes is checked
  // optimistically (a case at the version it was read at, a unique key), so
  // its reads need no lock and no snapshot shared with its writes. A store
  // may then read outside the write transaction and commit the writes
  // together with those of concurrent calls, one commit for many commands;
  // a call whose write fails fails alone, as it would have by itself. It
  // returns only once the writes are durable, like RunInTransaction.
  virtual Status RunOptimistic(const std::function<Status(StoreTransaction&)>& fn) { return RunInTransaction(fn); }

  // Success: the case. NotFound("case_not_found") when there is none.
  virtual Result<Case> GetCase(const std::string& id) = 0;
  // Success: the cases matching every non-empty filter with id > after_id,
  // in id order, at most `limit`. InvalidArgument("invalid_limit") for
  // limit <= 0.
  virtual Result<std::vector<Case>> FindCases(const CaseQuery& query) = 0;
  // Success: the case's history in seq order (empty when the case is unknown).
  virtual Result<std::vector<HistoryEvent>> GetHistory(const std::string& case_id) = 0;
  // Success: the case's pending timers, earliest first (empty when none).
  virtual Result<std::vector<Timer>> GetTimers(const std::string& case_id) = 0;
  // Success: as StoreTransaction::LoadSubjectFacts.
  virtual Result<SubjectFacts> GetSubjectFacts(const std::string& subject) = 0;
  // Success: the facts of each of `subjects`, in the order given (a batch
  // read for jobs over many subjects: a ledger draw). At most
  // kMaxFactsBatch subjects, else InvalidArgument("batch_too_large").
  static constexpr size_t kMaxFactsBatch = 512;
  virtual Result<std::vector<SubjectFacts>> GetSubjectFactsOf(const std::vector<std::string>& subjects) = 0;
  // Success: the subject's profile, or nullopt when it was never registered.
  virtual Result<std::optional<SubjectProfile>> GetSubjectProfile(const std::string& code) = 0;
  // Success: profiles matching every non-empty filter, with code >
  // after_code, in code order, at most `limit`.
  // InvalidArgument("invalid_limit") for limit <= 0.
  virtual Result<std::vector<SubjectProfile>> ListSubjects(const SubjectQuery& query) = 0;
  // Success: every subject record with id > after_id, in id order (bytewise),
  // at most `limit` (for the auditor's check of projections).
  // InvalidArgument("invalid_limit") for limit <= 0.
  virtual Result<std::vector<SubjectRecord>> ListSubjectRecords(const std::string& after_id, int limit) = 0;
  // Success: the outcomes the parent's children reported, in (at, child_id,
  // outcome) order.
  virtual Result<std::vector<ChildOutcome>> GetChildOutcomes(const std::string& parent_id) = 0;
  // Success: the case's notices in (created_at, id) order.
  virtual Result<std::vector<Notice>> GetNotices(const std::string& case_id) = 0;
  // Success: every case id, in id order (for audit of all cases).
  virtual Result<std::vector<std::string>> ListCaseIds() = 0;
  // Success: how many cases the store holds (the whole-store check's total).
  virtual Result<int64_t> CountAllCases() = 0;
  // The whole-store chain check's reads (engine/chain_scan.h), over a range
  // of case ids (after, through]: bytewise greater than `after` ("" for no
  // lower bound) and at most `through` ("" for no upper bound).
  // Success: the id at `position` in id order (0 is the first); nullopt
  // past the last.
  virtual Result<std::optional<std::string>> CaseIdAt(int64_t position) = 0;
  // Success: the heads of the range's cases, in id order, at most `limit`.
  // InvalidArgument("invalid_limit") for limit <= 0.
  virtual Result<std::vector<CaseHead>> ScanCaseHeads(const std::string& after, const std::string& through,
                                                      int limit) = 0;
  // Success: the events whose (case_id, seq) follows (after_case,
  // after_seq) and whose case_id is at most `through` ("" for no bound), in
  // (case_id, seq) order, at most `limit`. InvalidArgument("invalid_limit")
  // for limit <= 0.
  virtual Result<std::vector<StoredEvent>> ScanHistory(const std::string& after_case, int64_t after_seq,
                                                       const std::string& through, int limit) = 0;
  // Success: the pending timers flagged provisional with id > after_id, in
  // id order (bytewise), at most `limit`. InvalidArgument("invalid_limit")
  // for limit <= 0.
  virtual Result<std::vector<Timer>> ListProvisionalTimers(const std::string& after_id, int limit) = 0;
  // Success: how many timers are due at `now` and not yet fired (for /metrics).
  virtual Result<int64_t> CountDueTimers(Timestamp now) = 0;
  // Success: how many open cases of `workflow` are overdue on `today` (as
  // CaseQuery::overdue_on counts them), by department ("" for cases of no
  // department); departments with none are absent (for /metrics).
  virtual Result<std::map<std::string, int64_t>> CountOverdueCases(const std::string& workflow,
                                                                   policies::Date today) = 0;
  // Success: the counts of `query`'s cases, one per (created_hour, outcome,
  // data_value) that has any, in that order (bytewise).
  // InvalidArgument("invalid_query") as CheckCaseCountQuery says.
  virtual Result<std::vector<CaseCount>> CountCases(const CaseCountQuery& query) = 0;
  // Success: the subjects matching `query`, in code order (bytewise).
  // InvalidArgument("invalid_query") for no kind, more than 16 kinds or
  // statuses, or min_count < 1.
  virtual Result<std::vector<std::string>> FindSubjectsByRecords(const RecordCountQuery& query) = 0;
  // Success: the store answers a trivial query (for /readyz).
  virtual Status Ping() = 0;

  // Document numbers (文号), in a transaction of their own.
  // Success: the number of (request.case_id, request.kind). When one was
  // issued before it is returned unchanged, whatever the request's office,
  // prefix and dates say now. Otherwise the next number of the sequence
  // (request.office, request.prefix, request.issued_on's year) is issued:
  // one more than the last issued in it, or 1 for a new sequence; stored with
  // the request's issued_on and issued_at; and returned. The year is always
  // issued_on's (request.year is ignored). Sequences have no gaps, also under
  // concurrent issues from several processes: a number is taken and stored
  // in one transaction, and a transaction that rolls back takes none.
  // NotFound("case_not_found") when the case does not exist;
  // InvalidArgument("invalid_document_number") for an empty kind, office or
  // prefix.
  virtual Result<DocumentNumber> IssueDocumentNumber(const DocumentNumber& request) = 0;
  // Success: the numbers issued to the case's documents, in (issued_at,
  // kind) order; empty when none (or no such case).
  virtual Result<std::vector<DocumentNumber>> GetDocumentNumbers(const std::string& case_id) = 0;

  // API users. Tokens are never stored, only their SHA-256 (engine/user.h).
  // Success: the user is stored. AlreadyExists("user_exists") when the name
  // is taken, AlreadyExists("token_exists") when the token hash is.
  virtual Status PutUser(const User& user) = 0;
  // Success: the user holding this token hash, disabled or not; nullopt when none.
  virtual Result<std::optional<User>> FindUserByTokenHash(const std::string& token_hash) = 0;
  // Success: every user, in name order.
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Success: the user's disabled flag is set. NotFound("user_not_found")
  // when there is no such user.
  virtual Status SetUserDisabled(const std::string& name, bool disabled) = 0;
  // Success: the user of that name, disabled or not, with its password
  // hash; nullopt when none.
  virtual Result<std::optional<User>> FindUserByName(const std::string& name) = 0;
  // Success: the user's password hash is `password_hash` (empty: no
  // password). NotFound("user_not_found") when there is no such user.
  virtual Status SetUserPassword(const std::string& name, const std::string& password_hash) = 0;

  // Console sessions (engine::Session); only the id's hash is stored.
  // Success: the session is stored, and every session that expired before
  // session.created_at is deleted (so the table holds live sessions only,
  // plus those that expired since the last sign-in).
  // AlreadyExists("session_exists") when the id hash is taken.
  virtual Status PutSession(const Session& session) = 0;
  // Success: the session with this id hash, expired or not; nullopt when none.
  virtual Result<std::optional<Session>> FindSession(const std::string& id_hash) = 0;
  // Success: the session's last_seen and expires_at are set (a session
  // that is gone is no error: a concurrent sign-out may have removed it).
  virtual Status TouchSession(const std::string& id_hash, Timestamp last_seen, Timestamp expires_at) = 0;
  // Success: the session is gone (whether or not it existed).
  virtual Status DeleteSession(const std::string& id_hash) = 0;
};

}  // namespace credflow::engine
