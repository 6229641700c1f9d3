// Decorators for tests: a CaseStore and a StoreTransaction that forward every
// call to another one. A test derives from them and overrides only the calls
// it wants to watch or change (a rendezvous before a write, a refused row, a
// concurrent transition in the middle of a read).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/case_store.h"

namespace credflow::testing {

class ForwardingTransaction : public engine::StoreTransaction {
 public:
  explicit ForwardingTransaction(engine::StoreTransaction* inner) : inner_(inner) {}

  engine::Result<engine::Case> LoadCase(const std::string& id) override { return inner_->LoadCase(id); }
  engine::Status InsertCase(const engine::Case& c) override { return inner_->InsertCase(c); }
  engine::Status UpdateCase(const engine::Case& c, int64_t v) override { return inner_->UpdateCase(c, v); }
  engine::Status ReplaceCase(const engine::Case& c) override { return inner_->ReplaceCase(c); }
  engine::Result<std::vector<engine::ChildCase>> LoadChildren(const std::string& p) override {
    return inner_->LoadChildren(p);
  }
  engine::Status AppendHistory(const engine::HistoryEvent& e) override { return inner_->AppendHistory(e); }
  engine::Status PutTimer(const engine::Timer& t) override { return inner_->PutTimer(t); }
  engine::Status CancelTimer(const std::string& c, const std::string& n) override { return inner_->CancelTimer(c, n); }
  engine::Result<std::vector<engine::Timer>> ClaimDueTimers(engine::Timestamp now, int limit) override {
    return inner_->ClaimDueTimers(now, limit);
  }
  engine::Status DeleteTimer(const std::string& id) override { return inner_->DeleteTimer(id); }
  engine::Status UpdateTimer(const engine::Timer& t) override { return inner_->UpdateTimer(t); }
  engine::Result<engine::SubjectFacts> LoadSubjectFacts(const std::string& s) override {
    return inner_->LoadSubjectFacts(s);
  }
  engine::Result<engine::SubjectFacts> LoadSubjectFactsOfKinds(const std::string& s,
                                                               const std::vector<std::string>& kinds) override {
    return inner_->LoadSubjectFactsOfKinds(s, kinds);
  }
  engine::Status PutSubjectProfile(const engine::SubjectProfile& p) override { return inner_->PutSubjectProfile(p); }
  engine::Status PutSubjectRecord(const engine::SubjectRecord& r) override { return inner_->PutSubjectRecord(r); }
  engine::Status DeleteSubjectProfile(const std::string& c) override { return inner_->DeleteSubjectProfile(c); }
  engine::Status DeleteSubjectRecord(const std::string& id) override { return inner_->DeleteSubjectRecord(id); }
  engine::Status PutNotice(const engine::Notice& n) override { return inner_->PutNotice(n); }
  engine::Status PutChildOutcome(const engine::ChildOutcome& o) override { return inner_->PutChildOutcome(o); }
  engine::Result<std::optional<engine::StoredResponse>> FindResponse(const std::string& k) override {
    return inner_->FindResponse(k);
  }
  engine::Status PutResponse(const engine::StoredResponse& r) override { return inner_->PutResponse(r); }

 protected:
  engine::StoreTransaction* inner_;
};

class ForwardingCaseStore : public engine::CaseStore {
 public:
  explicit ForwardingCaseStore(engine::CaseStore* inner) : inner_(inner) {}

  engine::Status RunInTransaction(const std::function<engine::Status(engine::StoreTransaction&)>& fn) override {
    return inner_->RunInTransaction(fn);
  }
  engine::Result<engine::Case> GetCase(const std::string& id) override { return inner_->GetCase(id); }
  engine::Result<std::vector<engine::Case>> FindCases(const engine::CaseQuery& q) override {
    return inner_->FindCases(q);
  }
  engine::Result<std::vector<engine::HistoryEvent>> GetHistory(const std::string& id) override {
    return inner_->GetHistory(id);
  }
  engine::Result<std::vector<engine::Timer>> GetTimers(const std::string& id) override { return inner_->GetTimers(id); }
  engine::Result<engine::SubjectFacts> GetSubjectFacts(const std::string& s) override {
    return inner_->GetSubjectFacts(s);
  }
  engine::Result<std::optional<engine::SubjectProfile>> GetSubjectProfile(const std::string& c) override {
    return inner_->GetSubjectProfile(c);
  }
  engine::Result<std::vector<engine::SubjectProfile>> ListSubjects(const engine::SubjectQuery& q) override {
    return inner_->ListSubjects(q);
  }
  engine::Result<std::vector<engine::SubjectRecord>> ListSubjectRecords(const std::string& after, int limit) override {
    return inner_->ListSubjectRecords(after, limit);
  }
  engine::Result<std::vector<engine::Timer>> ListProvisionalTimers(const std::string& after, int limit) override {
    return inner_->ListProvisionalTimers(after, limit);
  }
  engine::Result<std::vector<engine::ChildOutcome>> GetChildOutcomes(const std::string& p) override {
    return inner_->GetChildOutcomes(p);
  }
  engine::Result<std::vector<engine::Notice>> GetNotices(const std::string& id) override {
    return inner_->GetNotices(id);
  }
  engine::Result<std::vector<std::string>> ListCaseIds() override { return inner_->ListCaseIds(); }
  engine::Result<int64_t> CountDueTimers(engine::Timestamp now) override { return inner_->CountDueTimers(now); }
  engine::Result<int64_t> CountAllCases() override { return inner_->CountAllCases(); }
  engine::Result<std::optional<std::string>> CaseIdAt(int64_t position) override { return inner_->CaseIdAt(position); }
  engine::Result<std::vector<engine::CaseHead>> ScanCaseHeads(const std::string& after, const std::string& through,
                                                              int limit) override {
    return inner_->ScanCaseHeads(after, through, limit);
  }
  engine::Result<std::vector<engine::StoredEvent>> ScanHistory(const std::string& after_case, int64_t after_seq,
                                                               const std::string& through, int limit) override {
    return inner_->ScanHistory(after_case, after_seq, through, limit);
  }
  engine::Result<std::vector<engine::SubjectFacts>> GetSubjectFactsOf(const std::vector<std::string>& s) override {
    return inner_->GetSubjectFactsOf(s);
  }
  engine::Result<std::vector<engine::CaseCount>> CountCases(const engine::CaseCountQuery& q) override {
    return inner_->CountCases(q);
  }
  engine::Result<std::vector<std::string>> FindSubjectsByRecords(const engine::RecordCountQuery& q) override {
    return inner_->FindSubjectsByRecords(q);
  }
  engine::Result<std::map<std::string, int64_t>> CountOverdueCases(const std::string& workflow,
                                                                   policies::Date today) override {
    return inner_->CountOverdueCases(workflow, today);
  }
  engine::Status Ping() override { return inner_->Ping(); }
  engine::Result<engine::DocumentNumber> IssueDocumentNumber(const engine::DocumentNumber& r) override {
    return inner_->IssueDocumentNumber(r);
  }
  engine::Result<std::vector<engine::DocumentNumber>> GetDocumentNumbers(const std::string& id) override {
    return inner_->GetDocumentNumbers(id);
  }
  engine::Status PutUser(const engine::User& u) override { return inner_->PutUser(u); }
  engine::Result<std::optional<engine::User>> FindUserByTokenHash(const std::string& h) override {
    return inner_->FindUserByTokenHash(h);
  }
  engine::Result<std::vector<engine::User>> ListUsers() override { return inner_->ListUsers(); }
  engine::Status SetUserDisabled(const std::string& n, bool d) override { return inner_->SetUserDisabled(n, d); }
  engine::Result<std::optional<engine::User>> FindUserByName(const std::string& n) override {
    return inner_->FindUserByName(n);
  }
  engine::Status SetUserPassword(const std::string& n, const std::string& h) override {
    return inner_->SetUserPassword(n, h);
  }
  engine::Status PutSession(const engine::Session& s) override { return inner_->PutSession(s); }
  engine::Result<std::optional<engine::Session>> FindSession(const std::string& h) override {
    return inner_->FindSession(h);
  }
  engine::Status TouchSession(const std::string& h, engine::Timestamp seen, engine::Timestamp expires) override {
    return inner_->TouchSession(h, seen, expires);
  }
  engine::Status DeleteSession(const std::string& h) override { return inner_->DeleteSession(h); }

 protected:
  engine::CaseStore* inner_;
};

}  // namespace credflow::testing
