// InMemoryCaseStore: a fake engine::CaseStore for tests, held to the same
// contract suite (tests/contract/case_store_contract_test.cc) as the SOCI
// stores.
//
// Threading: safe for concurrent use. Like SQLite under BEGIN IMMEDIATE, one
// transaction runs at a time (others wait for it); reads run beside it and see
// committed data only. A transaction writes into a private overlay that is
// applied atomically on commit, or dropped on rollback. Version checks,
// duplicate keys and ordering behave exactly as in the SOCI stores, including
// "a store error dooms the transaction" (history for an unknown case).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "engine/case_store.h"

namespace credflow::testing {

class InMemoryCaseStore final : public engine::CaseStore {
 public:
  // `wait_timeout`: how long a transaction waits for the one running before it
  // gives up with Unavailable (as the SQL stores do on their lock timeouts).
  explicit InMemoryCaseStore(std::chrono::milliseconds wait_timeout = std::chrono::seconds(30));
  ~InMemoryCaseStore() override;
  InMemoryCaseStore(const InMemoryCaseStore&) = delete;
  InMemoryCaseStore& operator=(const InMemoryCaseStore&) = delete;

  engine::Status RunInTransaction(const std::function<engine::Status(engine::StoreTransaction&)>& fn) override;

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

  // How many transactions committed (for tests of retry logic).
  int64_t commit_count() const;

  struct State;

 private:
  class Transaction;

  // Runs `fn` on the committed state as a transaction of its own (the user
  // writes): waits for the running transaction like RunInTransaction.
  engine::Status WriteCommitted(const std::function<engine::Status(State&)>& fn);

  const std::chrono::milliseconds wait_timeout_;
  std::timed_mutex writer_;             // held for a whole transaction
  mutable std::shared_mutex state_mu_;  // readers share; commit is exclusive
  std::unique_ptr<State> state_;        // committed data
};

}  // namespace credflow::testing
