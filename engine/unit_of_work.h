// UnitOfWork: one command's writes, held until the command ends and then
// written in one pass, inside the same store transaction. Every command runs
// on one (CaseService::RunCommand).
//
// A command often takes a case through several transitions and opens
// children that take their own first steps (a filing: opened, filed,
// signed, and a verification opened and scheduled). Written as they happen,
// that is an insert and then an update per transition, each a round trip,
// with the case re-read between them. The unit of work writes each case
// once, with its final state: inserted, or updated once under the version it
// was loaded at (the optimistic check is the same, made once). Reads see the
// command's own writes: a case it loaded or wrote, and the subject facts it
// loaded with the records and profiles it wrote laid over them.
//
// Flush() writes cases first, then history events, then everything else in
// the order it was asked for, so that rows referring to a case follow it. A
// failure at flush (a conflict, a duplicate) fails the command as it would
// have failed at once; the transaction rolls back either way.
//
// Not thread-safe: it belongs to the one thread running the command.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/case_store.h"

namespace credflow::engine {

class UnitOfWork final : public StoreTransaction {
 public:
  explicit UnitOfWork(StoreTransaction* tx) : tx_(tx) {}

  Result<Case> LoadCase(const std::string& id) override;
  Status InsertCase(const Case& c) override;
  Status UpdateCase(const Case& c, int64_t expected_version) override;
  // Children inserted or changed by this unit are laid over the stored ones.
  Result<std::vector<ChildCase>> LoadChildren(const std::string& parent_id) override;
  // The auditor's rebuild writes straight through (it runs no commands):
  // held state of the same case or subject is dropped first.
  Status ReplaceCase(const Case& c) override;
  Status DeleteSubjectProfile(const std::string& code) override;
  Status DeleteSubjectRecord(const std::string& id) override;
  Status AppendHistory(const HistoryEvent& e) override;
  Status PutTimer(const Timer& t) override;
  Status CancelTimer(const std::string& case_id, const std::string& name) override;
  Result<std::vector<Timer>> ClaimDueTimers(Timestamp now, int limit) override;
  Status DeleteTimer(const std::string& timer_id) override;
  Status UpdateTimer(const Timer& t) override;
  Result<SubjectFacts> LoadSubjectFacts(const std::string& subject) override;
  // From the full facts when this unit has them, else a scoped read (held
  // for a repeat of the same kinds) with this unit's writes laid over.
  Result<SubjectFacts> LoadSubjectFactsOfKinds(const std::string& subject,
                                               const std::vector<std::string>& kinds) override;
  Status PutSubjectProfile(const SubjectProfile& p) override;
  Status PutSubjectRecord(const SubjectRecord& r) override;
  Status PutNotice(const Notice& n) override;
  Status PutChildOutcome(const ChildOutcome& o) override;
  Result<std::optional<StoredResponse>> FindResponse(const std::string& key) override;
  Status PutResponse(const StoredResponse& r) override;

  // Writes everything held, in the order described above. Call once, when
  // the command has succeeded.
  Status Flush();

  // The cases this unit of work inserted, in order: (id, workflow).
  std::vector<std::pair<std::string, std::string>> InsertedCases() const;
  // The workflow of every history event appended, in order.
  std::vector<std::string> HistoryWorkflows() const;
  // Adds to `out` every case this unit read, wrote, or put, re-armed or
  // cancelled a timer of.
  void AddTouchedCases(std::set<std::string>* out) const;
  // The earliest fire_at of the timers this unit put, if it put any: a
  // delivery (a child's outcome, a raised event) is due at once.
  std::optional<Timestamp> EarliestTimer() const { return earliest_timer_; }

 private:
  struct CaseEntry {
    Case current;
    bool inserted = false;  // new in this unit: flush inserts it
    bool dirty = false;     // loaded and changed: flush updates it
    int64_t loaded_version = 0;
  };

  // Applies the held record and profile writes of `facts.subject`.
  void Overlay(SubjectFacts* facts) const;

  StoreTransaction* tx_;
  std::vector<std::string> case_order_;  // ids, first touch first
  std::map<std::string, CaseEntry> cases_;
  std::vector<HistoryEvent> history_;
  std::vector<std::function<Status(StoreTransaction&)>> writes_;  // the rest, in order
  std::map<std::string, SubjectFacts> facts_;                     // by subject, with overlay applied
  // The last scoped read of each subject: its kinds and the facts as stored.
  std::map<std::string, std::pair<std::vector<std::string>, SubjectFacts>> scoped_facts_;
  std::vector<SubjectRecord> records_;  // held, for facts loaded later
  std::vector<SubjectProfile> profiles_;
  std::set<std::pair<std::string, std::string>> timers_put_;  // (case, name)
  std::set<std::string> touched_beyond_cases_;  // touched without an entry in cases_: their timers, a replaced case
  std::optional<Timestamp> earliest_timer_;
  std::map<std::string, StoredResponse> responses_;  // held answers, by key
};

}  // namespace credflow::engine
