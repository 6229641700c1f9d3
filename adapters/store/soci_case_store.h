// SociCaseStore: the durable engine::CaseStore, one implementation for SQLite
// and PostgreSQL on SOCI. This header is its facade. Behind it the store is
// laid out as SOCI lays out itself (a core, one folder per backend) and as
// Temporal lays out its SQL persistence (the store written once over SQL,
// each database's differences a small dialect, SQL per table):
//   store_url.h           reading a store URL (libpq URIs, redaction)
//   store_errors.h        SOCI exceptions -> Status, and what is logged
//   dialect.h             what differs per database: sqlite/, postgresql/
//   prepared_statement.h  each connection's statement cache, and Query
//   rows.h                columns <-> the engine's types
//   tables/               the SQL, one file per table; Tables holds them all
//   connection_pool.h     leased connections, reconnects
//   soci_transaction.h    the StoreTransaction and the run around it
//   migrations.h          the versioned schema
//
// Threading: safe for concurrent use. The store holds a pool of connections;
// every RunInTransaction call and every read leases one for its duration.
// PostgreSQL runs transactions at READ COMMITTED and relies on optimistic
// version checks and row locks (FOR UPDATE SKIP LOCKED for timers). SQLite runs
// in WAL mode and starts every transaction with BEGIN IMMEDIATE, so writers
// queue (in-process on a first-come-first-served lock, across processes on
// busy_timeout) instead of deadlocking on a lock upgrade; readers never wait
// for writers.
//
// Prepared statements: each pooled connection keeps its own cache of
// statements, each prepared once (PostgreSQL: a named prepared statement;
// SQLite: a compiled statement) and run again with new bound values. The
// cache follows its connection: only the thread holding the connection uses
// it, it is emptied before a lost connection is reopened (the server's
// statements died with it), and after any error on that connection. Every
// value is bound; SQL texts are built from fixed fragments only.
//
// Errors: SOCI exceptions stop at this adapter. They are logged (spdlog) with
// their details and turned into a Status whose message names only the store
// operation ("store error in update_case"): no SQL, no driver text and no
// connection secrets reach a caller.
//
// A transaction in which the database reported an error is doomed (PostgreSQL
// aborts it anyway): later calls on it return that error, and RunInTransaction
// rolls back and returns it even when the callback returns OK.
//
// Where engine/case_store.h leaves a detail open, this store (and the
// in-memory fake, held to the same contract suite) does this:
//   UpdateCase   writes every field of `c` (created_at too); an unknown id is
//                Conflict("version_mismatch") like a stale version.
//   AppendHistory for a case that does not exist: NotFound("case_not_found"),
//                and the transaction is doomed (a foreign key in SQL).
//   PutTimer     replaces any timer with the same id or the same (case, name).
//   PutNotice    AlreadyExists("notice_exists") for a taken id.
//   PutChildOutcome AlreadyExists("child_outcome_exists") when (parent, child,
//                outcome) is recorded already.
//   FindCases, ListSubjects  InvalidArgument("invalid_limit") for limit <= 0;
//                ids and codes compare bytewise on both databases.
//   PutSubjectProfile  upserts by code: every field of the stored profile is
//                replaced (grade_set_on NULL when absent).
//   FindCases    overdue_on: data.overdue counts only as a JSON true (the
//                store keeps it in the column cases.overdue, written with the
//                data); due_on < overdue_on compares the dates.
//   PutUser, SetUserDisabled  each run in a transaction of their own (the
//                SQLite writer queue like any other write).
//   Orders       subject records and notices by (created_at, id); child
//                outcomes by (at, child_id, outcome); timers by (fire_at, id).
//   Lost connections are reopened: a read, or a transaction that has not
//                begun, is retried once on the new connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/store/migrations.h"
#include "adapters/store/store_options.h"
#include "adapters/store/store_url.h"
#include "engine/case_store.h"
#include "engine/clock.h"
#include "engine/status.h"

namespace credflow::adapters {

// Opens one connection to `url`, runs `statement` (no parameters, outside any
// transaction) and closes the connection. For administration that cannot run
// in a transaction or through a store (CREATE DATABASE in tests).
engine::Status ExecuteOnce(const std::string& url, const std::string& statement);

class SociCaseStore final : public engine::CaseStore {
 public:
  // Connects the pool, configures each connection and, unless
  // options.migrate is false, applies missing migrations. Unavailable when
  // the database cannot be reached, FailedPrecondition("schema_too_new") when
  // the database was migrated by a newer credflow.
  static engine::Result<std::unique_ptr<SociCaseStore>> Open(const std::string& url, const StoreOptions& options = {});
  ~SociCaseStore() override;
  SociCaseStore(const SociCaseStore&) = delete;
  SociCaseStore& operator=(const SociCaseStore&) = delete;

  engine::Status RunInTransaction(const std::function<engine::Status(engine::StoreTransaction&)>& fn) override;
  // Group commit (soci_transaction.h), unless StoreOptions::group_commit is off.
  engine::Status RunOptimistic(const std::function<engine::Status(engine::StoreTransaction&)>& fn) override;
  // Group commits so far, and the transactions they committed (for tests).
  uint64_t GroupsCommitted() const;
  uint64_t TransactionsGrouped() const;
  // Transactions waiting to commit in a group, its leader included (tests).
  std::size_t GroupCommitQueue() const;

  engine::Result<engine::Case> GetCase(const std::string& id) override;
  engine::Result<std::vector<engine::Case>> FindCases(const engine::CaseQuery& query) override;
  engine::Result<std::vector<engine::HistoryEvent>> GetHistory(const std::string& case_id) override;
  engine::Result<std::vector<engine::Timer>> GetTimers(const std::string& case_id) override;
  engine::Result<engine::SubjectFacts> GetSubjectFacts(const std::string& subject) override;
  engine::Result<std::optional<engine::SubjectProfile>> GetSubjectProfile(const std::string& code) override;
  engine::Result<std::vector<engine::SubjectProfile>> ListSubjects(const engine::SubjectQuery& query) override;
  engine::Result<std::vector<engine::SubjectRecord>> ListSubjectRecords(const std::string& after_id,
                                                                        int limit) override;
  engine::Result<std::vector<engine::Timer>> ListProvisionalTimers(const std::string& after_id, int limit) override;
  engine::Result<std::vector<engine::ChildOutcome>> GetChildOutcomes(const std::string& parent_id) override;
  engine::Result<std::vector<engine::Notice>> GetNotices(const std::string& case_id) override;
  engine::Result<std::vector<std::string>> ListCaseIds() override;
  engine::Result<int64_t> CountDueTimers(engine::Timestamp now) override;
  engine::Result<int64_t> CountAllCases() override;
  engine::Result<std::optional<std::string>> CaseIdAt(int64_t position) override;
  engine::Result<std::vector<engine::CaseHead>> ScanCaseHeads(const std::string& after, const std::string& through,
                                                              int limit) override;
  engine::Result<std::vector<engine::StoredEvent>> ScanHistory(const std::string& after_case, int64_t after_seq,
                                                               const std::string& through, int limit) override;
  engine::Result<std::map<std::string, int64_t>> CountOverdueCases(const std::string& workflow,
                                                                   policies::Date today) override;
  engine::Result<std::vector<engine::CaseCount>> CountCases(const engine::CaseCountQuery& query) override;
  engine::Result<std::vector<std::string>> FindSubjectsByRecords(const engine::RecordCountQuery& query) override;
  engine::Result<std::vector<engine::SubjectFacts>> GetSubjectFactsOf(
      const std::vector<std::string>& subjects) override;
  engine::Status Ping() override;

  // PostgreSQL's WAL position now (pg_current_wal_lsn, as text), on a
  // primary. FailedPrecondition("not_postgresql") on SQLite.
  engine::Result<std::string> WalPosition();
  // Whether this server has replayed (a standby) or written (a primary) the
  // WAL up to `lsn`, a position WalPosition gave. FailedPrecondition as above.
  engine::Result<bool> HasWalUpTo(const std::string& lsn);
  engine::Result<engine::DocumentNumber> IssueDocumentNumber(const engine::DocumentNumber& request) override;
  engine::Result<std::vector<engine::DocumentNumber>> GetDocumentNumbers(const std::string& case_id) override;

  engine::Status PutUser(const engine::User& user) override;
  engine::Result<std::optional<engine::User>> FindUserByTokenHash(const std::string& token_hash) override;
  engine::Result<std::vector<engine::User>> ListUsers() override;
  engine::Status SetUserDisabled(const std::string& name, bool disabled) override;
  engine::Result<std::optional<engine::User>> FindUserByName(const std::string& name) override;
  engine::Status SetUserPassword(const std::string& name, const std::string& password_hash) override;
  engine::Status PutSession(const engine::Session& session) override;
  engine::Result<std::optional<engine::Session>> FindSession(const std::string& id_hash) override;
  engine::Status TouchSession(const std::string& id_hash, engine::Timestamp last_seen,
                              engine::Timestamp expires_at) override;
  engine::Status DeleteSession(const std::string& id_hash) override;

  // Schema. Migrate() applies the missing versions in order, each in its own
  // transaction under a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
  // advisory transaction lock), so concurrent starters apply each once.
  engine::Status Migrate();
  // The highest applied version; 0 for an empty database.
  engine::Result<int> CurrentSchemaVersion();
  // Every applied version, ascending.
  engine::Result<std::vector<int>> AppliedSchemaVersions();
  // The version this build migrates to.
  static int TargetSchemaVersion();

  StoreBackend backend() const;

  // SQLite: writes a consistent copy of the whole store to `file` while
  // commands go on (VACUUM INTO: one read transaction, so the copy is the
  // store as of one commit; WAL lets writers continue). AlreadyExists
  // ("backup_exists") when `file` exists; FailedPrecondition
  // ("backup_not_supported") on PostgreSQL, whose backups are pg_dump or a
  // base backup (README, "Backups").
  engine::Status BackupTo(const std::string& file);

  // The URL this store was opened with, password redacted.
  const std::string& redacted_url() const;

  // Tests only: runs one raw statement outside any store transaction, so a
  // test can prove that the schema itself guards an invariant (history is
  // append-only). Errors map like any other store error.
  engine::Status ExecuteForTesting(const std::string& statement);
  // Tests only: how many statements this store has prepared for its
  // per-connection caches so far (see "Prepared statements" at the top).
  uint64_t StatementsPreparedForTesting() const;

  class Impl;  // defined in soci_case_store.cc only

 private:
  explicit SociCaseStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace credflow::adapters
