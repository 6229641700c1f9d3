#include "tests/support/in_memory_case_store.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <utility>

#include "adapters/text/pinyin.h"

namespace credflow::testing {

using engine::Case;
using engine::CaseQuery;
using engine::ChildOutcome;
using engine::HistoryEvent;
using engine::Notice;
using engine::Result;
using engine::Status;
using engine::StoredResponse;
using engine::SubjectFacts;
using engine::SubjectProfile;
using engine::SubjectQuery;
using engine::SubjectRecord;
using engine::Timer;
using engine::Timestamp;
using engine::User;

namespace {

using OutcomeKey = std::tuple<std::string, std::string, std::string>;  // parent, child, outcome
using TimerOrder = std::pair<Timestamp, std::string>;                  // fire_at, id

OutcomeKey KeyOf(const ChildOutcome& o) { return {o.parent_id, o.child_id, o.outcome}; }

// Orders like the SQL stores: by created_at, then id.
// What the SQL stores keep in cases.overdue: only a JSON true counts.
bool FlaggedOverdue(const Case& c) {
  if (!c.data.is_object()) return false;
  auto it = c.data.find("overdue");
  return it != c.data.end() && it->is_boolean() && it->get<bool>();
}

template <typename T>
bool ByCreatedThenId(const T& a, const T& b) {
  return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
}

// The thread running a transaction, to refuse a nested one (it would wait
// for itself).
thread_local const void* tls_in_transaction = nullptr;

}  // namespace

struct InMemoryCaseStore::State {
  std::map<std::string, Case> cases;
  std::map<std::string, std::map<int64_t, HistoryEvent>> history;  // by case, by seq
  std::map<std::string, Timer> timers;                             // by id
  std::set<TimerOrder> timer_order;
  std::map<std::pair<std::string, std::string>, std::string> timer_by_name;  // (case, name) -> id
  std::map<std::string, SubjectRecord> records;                              // by id
  std::multimap<std::string, std::string> records_by_subject;                // subject -> id
  std::map<std::string, SubjectProfile> profiles;                            // by code
  std::map<std::string, Notice> notices;                                     // by id
  std::map<OutcomeKey, ChildOutcome> outcomes;
  std::map<std::string, StoredResponse> responses;
  std::map<std::string, User> users;                                                       // by name
  std::map<std::string, engine::Session> sessions;                                         // by id hash
  std::map<std::string, std::string> user_by_token;                                        // token hash -> name
  std::map<std::pair<std::string, std::string>, engine::DocumentNumber> document_numbers;  // (case, kind)
  std::map<std::tuple<std::string, std::string, int>, int64_t> document_sequences;         // last number issued
  int64_t commits = 0;

  void EraseTimer(const std::string& id) {
    auto it = timers.find(id);
    if (it == timers.end()) return;
    timer_order.erase({it->second.fire_at, id});
    timer_by_name.erase({it->second.case_id, it->second.name});
    timers.erase(it);
  }
  void InsertTimer(const Timer& t) {
    EraseTimer(t.id);
    auto by_name = timer_by_name.find({t.case_id, t.name});
    if (by_name != timer_by_name.end()) EraseTimer(by_name->second);
    timers[t.id] = t;
    timer_order.insert({t.fire_at, t.id});
    timer_by_name[{t.case_id, t.name}] = t.id;
  }
  void EraseRecord(const std::string& id) {
    auto it = records.find(id);
    if (it == records.end()) return;
    auto range = records_by_subject.equal_range(it->second.subject);
    for (auto i = range.first; i != range.second; ++i) {
      if (i->second == id) {
        records_by_subject.erase(i);
        break;
      }
    }
    records.erase(it);
  }
  void PutRecord(const SubjectRecord& r) {
    auto it = records.find(r.id);
    if (it != records.end()) {
      auto range = records_by_subject.equal_range(it->second.subject);
      for (auto i = range.first; i != range.second; ++i) {
        if (i->second == r.id) {
          records_by_subject.erase(i);
          break;
        }
      }
    }
    records[r.id] = r;
    records_by_subject.emplace(r.subject, r.id);
  }
};

// A transaction's writes, kept aside until commit. Reads merge them over the
// committed state, which no one else changes while this transaction runs
// (transactions run one at a time).
class InMemoryCaseStore::Transaction final : public engine::StoreTransaction {
 public:
  explicit Transaction(const State& committed) : committed_(committed) {}

  const Status& doom() const { return doom_; }

  Result<Case> LoadCase(const std::string& id) override {
    if (!doom_.ok()) return doom_;
    const Case* c = FindCase(id);
    if (c == nullptr) return Status::NotFound("case_not_found", "no case " + id);
    return *c;
  }

  Status InsertCase(const Case& c) override {
    if (!doom_.ok()) return doom_;
    if (FindCase(c.id) != nullptr) {
      return Status::AlreadyExists("case_exists", "case " + c.id + " already exists");
    }
    cases_[c.id] = c;
    return Status::Ok();
  }

  Status UpdateCase(const Case& c, int64_t expected_version) override {
    if (c.version <= expected_version) {
      return Status::Internal("update_case: the new version must be above expected_version");
    }
    if (!doom_.ok()) return doom_;
    const Case* stored = FindCase(c.id);
    if (stored == nullptr || stored->version != expected_version) {
      return Status::Conflict("version_mismatch",
                              "case " + c.id + " is not at version " + std::to_string(expected_version));
    }
    cases_[c.id] = c;
    return Status::Ok();
  }

  Status ReplaceCase(const Case& c) override {
    if (!doom_.ok()) return doom_;
    if (FindCase(c.id) == nullptr) return Status::NotFound("case_not_found", "no case " + c.id);
    cases_[c.id] = c;
    return Status::Ok();
  }

  Result<std::vector<engine::ChildCase>> LoadChildren(const std::string& parent_id) override {
    if (!doom_.ok()) return doom_;
    std::vector<const Case*> found;
    for (const auto& [id, c] : cases_) {
      if (c.parent_id == parent_id) found.push_back(&c);
    }
    for (const auto& [id, c] : committed_.cases) {
      if (c.parent_id == parent_id && cases_.count(id) == 0) found.push_back(&c);
    }
    std::sort(found.begin(), found.end(), [](const Case* a, const Case* b) { return ByCreatedThenId(*a, *b); });
    std::vector<engine::ChildCase> out;
    for (const Case* c : found) out.push_back({c->id, c->workflow, c->state, c->outcome, c->reason, c->department});
    return out;
  }

  Status AppendHistory(const HistoryEvent& e) override {
    if (!doom_.ok()) return doom_;
    if (FindCase(e.case_id) == nullptr) {
      // The SQL stores' foreign key fails the statement (and PostgreSQL the
      // whole transaction): doom it here too.
      doom_ = Status::NotFound("case_not_found", "history for unknown case " + e.case_id);
      return doom_;
    }
    const bool taken = history_.count({e.case_id, e.seq}) > 0 || CommittedHistoryHas(e);
    if (taken) {
      return Status::Conflict("history_seq_taken",
                              "case " + e.case_id + " already has history event " + std::to_string(e.seq));
    }
    history_[{e.case_id, e.seq}] = e;
    return Status::Ok();
  }

  Status PutTimer(const Timer& t) override {
    if (!doom_.ok()) return doom_;
    // Replaces any timer with the same id or the same case and name.
    timers_[t.id] = std::nullopt;
    if (std::optional<std::string> old = TimerIdByName(t.case_id, t.name)) {
      timers_[*old] = std::nullopt;
    }
    timers_[t.id] = t;
    return Status::Ok();
  }

  Status CancelTimer(const std::string& case_id, const std::string& name) override {
    if (!doom_.ok()) return doom_;
    if (std::optional<std::string> id = TimerIdByName(case_id, name)) timers_[*id] = std::nullopt;
    return Status::Ok();
  }

  Result<std::vector<Timer>> ClaimDueTimers(Timestamp now, int limit) override {
    if (!doom_.ok()) return doom_;
    const size_t wanted = static_cast<size_t>(std::max(limit, 1));
    std::vector<TimerOrder> due;
    // The earliest committed timers this transaction has not touched...
    for (const TimerOrder& o : committed_.timer_order) {
      if (o.first > now || due.size() == wanted) break;
      if (timers_.count(o.second) == 0) due.push_back(o);
    }
    // ...with the ones it wrote itself.
    for (const auto& [id, t] : timers_) {
      if (t && t->fire_at <= now) due.push_back(TimerOrder{t->fire_at, id});
    }
    std::sort(due.begin(), due.end());
    if (due.size() > wanted) due.resize(wanted);
    std::vector<Timer> out;
    for (const TimerOrder& o : due) out.push_back(*FindTimer(o.second));
    return out;
  }

  Status DeleteTimer(const std::string& timer_id) override {
    if (!doom_.ok()) return doom_;
    timers_[timer_id] = std::nullopt;
    return Status::Ok();
  }

  Status UpdateTimer(const Timer& t) override {
    if (!doom_.ok()) return doom_;
    if (FindTimer(t.id) == nullptr) return Status::NotFound("timer_not_found", "no pending timer " + t.id);
    timers_[t.id] = t;
    return Status::Ok();
  }

  Result<SubjectFacts> LoadSubjectFacts(const std::string& subject) override {
    if (!doom_.ok()) return doom_;
    SubjectFacts facts;
    facts.subject = subject;
    std::set<std::string> seen;
    for (const auto& [id, r] : records_) {
      seen.insert(id);
      if (r && r->subject == subject) facts.records.push_back(*r);
    }
    auto range = committed_.records_by_subject.equal_range(subject);
    for (auto it = range.first; it != range.second; ++it) {
      if (seen.count(it->second) > 0) continue;
      facts.records.push_back(committed_.records.at(it->second));
    }
    std::sort(facts.records.begin(), facts.records.end(), ByCreatedThenId<SubjectRecord>);
    if (auto it = profiles_.find(subject); it != profiles_.end()) {
      facts.profile = it->second;  // nullopt when deleted here
    } else if (auto c = committed_.profiles.find(subject); c != committed_.profiles.end()) {
      facts.profile = c->second;
    }
    return facts;
  }

  Status PutSubjectProfile(const SubjectProfile& p) override {
    if (!doom_.ok()) return doom_;
    profiles_[p.code] = p;
    return Status::Ok();
  }

  Status DeleteSubjectProfile(const std::string& code) override {
    if (!doom_.ok()) return doom_;
    profiles_[code] = std::nullopt;
    return Status::Ok();
  }

  Status PutSubjectRecord(const SubjectRecord& r) override {
    if (!doom_.ok()) return doom_;
    records_[r.id] = r;
    return Status::Ok();
  }

  Status DeleteSubjectRecord(const std::string& id) override {
    if (!doom_.ok()) return doom_;
    records_[id] = std::nullopt;
    return Status::Ok();
  }

  Status PutNotice(const Notice& n) override {
    if (!doom_.ok()) return doom_;
    if (notices_.count(n.id) > 0 || committed_.notices.count(n.id) > 0) {
      return Status::AlreadyExists("notice_exists", "notice " + n.id + " already exists");
    }
    notices_[n.id] = n;
    return Status::Ok();
  }

  Status PutChildOutcome(const ChildOutcome& o) override {
    if (!doom_.ok()) return doom_;
    const OutcomeKey key = KeyOf(o);
    if (outcomes_.count(key) > 0 || committed_.outcomes.count(key) > 0) {
      return Status::AlreadyExists("child_outcome_exists", "child " + o.child_id + " already reported " + o.outcome);
    }
    outcomes_[key] = o;
    return Status::Ok();
  }

  Result<std::optional<StoredResponse>> FindResponse(const std::string& key) override {
    if (!doom_.ok()) return doom_;
    if (auto it = responses_.find(key); it != responses_.end()) {
      return std::optional<StoredResponse>(it->second);
    }
    if (auto it = committed_.responses.find(key); it != committed_.responses.end()) {
      return std::optional<StoredResponse>(it->second);
    }
    return std::optional<StoredResponse>();
  }

  Status PutResponse(const StoredResponse& r) override {
    if (!doom_.ok()) return doom_;
    if (responses_.count(r.key) > 0 || committed_.responses.count(r.key) > 0) {
      return Status::AlreadyExists("idempotency_key_exists", "idempotency key already used");
    }
    responses_[r.key] = r;
    return Status::Ok();
  }

  // Applies the overlay. REQUIRES: exclusive access to `state`.
  void CommitTo(State& state) {
    for (auto& [id, c] : cases_) state.cases[id] = std::move(c);
    for (auto& [key, e] : history_) state.history[key.first][key.second] = std::move(e);
    // Deletions first, then insertions, so a replaced (case, name) ends up
    // with the new timer whatever the ids' order.
    for (const auto& [id, t] : timers_) {
      if (!t) state.EraseTimer(id);
    }
    for (const auto& [id, t] : timers_) {
      if (t) state.InsertTimer(*t);
    }
    for (const auto& [id, r] : records_) {
      if (r) {
        state.PutRecord(*r);
      } else {
        state.EraseRecord(id);
      }
    }
    for (auto& [code, p] : profiles_) {
      if (p) {
        state.profiles[code] = std::move(*p);
      } else {
        state.profiles.erase(code);
      }
    }
    for (auto& [id, n] : notices_) state.notices[id] = std::move(n);
    for (auto& [key, o] : outcomes_) state.outcomes[key] = std::move(o);
    for (auto& [key, r] : responses_) state.responses[key] = std::move(r);
    ++state.commits;
  }

 private:
  const Case* FindCase(const std::string& id) const {
    if (auto it = cases_.find(id); it != cases_.end()) return &it->second;
    if (auto it = committed_.cases.find(id); it != committed_.cases.end()) return &it->second;
    return nullptr;
  }

  bool CommittedHistoryHas(const HistoryEvent& e) const {
    auto it = committed_.history.find(e.case_id);
    return it != committed_.history.end() && it->second.count(e.seq) > 0;
  }

  // The timer `id` as this transaction sees it, or nullptr.
  const Timer* FindTimer(const std::string& id) const {
    if (auto it = timers_.find(id); it != timers_.end()) {
      return it->second ? &*it->second : nullptr;
    }
    if (auto it = committed_.timers.find(id); it != committed_.timers.end()) return &it->second;
    return nullptr;
  }

  std::optional<std::string> TimerIdByName(const std::string& case_id, const std::string& name) const {
    for (const auto& [id, t] : timers_) {
      if (t && t->case_id == case_id && t->name == name) return id;
    }
    auto it = committed_.timer_by_name.find({case_id, name});
    if (it != committed_.timer_by_name.end() && timers_.count(it->second) == 0) {
      return it->second;
    }
    return std::nullopt;
  }

  const State& committed_;
  std::map<std::string, Case> cases_;
  std::map<std::pair<std::string, int64_t>, HistoryEvent> history_;
  std::map<std::string, std::optional<Timer>> timers_;             // nullopt = deleted
  std::map<std::string, std::optional<SubjectRecord>> records_;    // nullopt: deleted here
  std::map<std::string, std::optional<SubjectProfile>> profiles_;  // nullopt: deleted here
  std::map<std::string, Notice> notices_;
  std::map<OutcomeKey, ChildOutcome> outcomes_;
  std::map<std::string, StoredResponse> responses_;
  Status doom_;
};

InMemoryCaseStore::InMemoryCaseStore(std::chrono::milliseconds wait_timeout)
    : wait_timeout_(wait_timeout), state_(std::make_unique<State>()) {}

InMemoryCaseStore::~InMemoryCaseStore() = default;

Status InMemoryCaseStore::RunInTransaction(const std::function<Status(engine::StoreTransaction&)>& fn) {
  if (tls_in_transaction == this) {
    return Status::Internal("store: RunInTransaction called inside a transaction");
  }
  std::unique_lock<std::timed_mutex> writer(writer_, std::defer_lock);
  if (!writer.try_lock_for(wait_timeout_)) return Status::Unavailable("store busy in begin");

  struct InTransaction {
    explicit InTransaction(const void* store) { tls_in_transaction = store; }
    ~InTransaction() { tls_in_transaction = nullptr; }
  } in_transaction(this);

  // Only this thread (holding writer_) changes state_, so reading it here
  // without state_mu_ is safe; readers hold state_mu_ shared.
  Transaction tx(*state_);
  Status status = fn(tx);
  if (status.ok() && !tx.doom().ok()) status = tx.doom();
  if (!status.ok()) return status;
  std::unique_lock<std::shared_mutex> lock(state_mu_);
  tx.CommitTo(*state_);
  return Status::Ok();
}

Result<Case> InMemoryCaseStore::GetCase(const std::string& id) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  auto it = state_->cases.find(id);
  if (it == state_->cases.end()) return Status::NotFound("case_not_found", "no case " + id);
  return it->second;
}

Result<std::vector<Case>> InMemoryCaseStore::FindCases(const CaseQuery& query) {
  if (query.limit <= 0) {
    return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  }
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  // The cases holding a deadline that passed before overdue_on.
  std::set<std::string> past_deadline;
  if (query.overdue_on) {
    for (const auto& [id, t] : state_->timers) {
      if (t.due_on < *query.overdue_on) past_deadline.insert(t.case_id);
    }
  }
  std::vector<Case> out;
  auto it = query.after_id.empty() ? state_->cases.begin() : state_->cases.upper_bound(query.after_id);
  for (; it != state_->cases.end() && static_cast<int>(out.size()) < query.limit; ++it) {
    const Case& c = it->second;
    if (!query.workflow.empty() && c.workflow != query.workflow) continue;
    if (!query.state.empty() && c.state != query.state) continue;
    if (!query.subject.empty() && c.subject != query.subject) continue;
    if (!query.parent_id.empty() && c.parent_id != query.parent_id) continue;
    if (!query.department.empty() && c.department != query.department) continue;
    if ((query.open_only || query.overdue_on) && c.closed) continue;
    if (query.overdue_on && !FlaggedOverdue(c) && past_deadline.count(c.id) == 0) continue;
    out.push_back(c);
  }
  return out;
}

Result<std::vector<HistoryEvent>> InMemoryCaseStore::GetHistory(const std::string& case_id) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<HistoryEvent> out;
  auto it = state_->history.find(case_id);
  if (it == state_->history.end()) return out;
  for (const auto& [seq, e] : it->second) out.push_back(e);
  return out;
}

Result<std::vector<Timer>> InMemoryCaseStore::GetTimers(const std::string& case_id) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<Timer> out;
  for (const TimerOrder& o : state_->timer_order) {
    const Timer& t = state_->timers.at(o.second);
    if (t.case_id == case_id) out.push_back(t);
  }
  return out;
}

Result<std::optional<SubjectProfile>> InMemoryCaseStore::GetSubjectProfile(const std::string& code) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  auto it = state_->profiles.find(code);
  if (it == state_->profiles.end()) return std::optional<SubjectProfile>();
  return std::optional<SubjectProfile>(it->second);
}

Result<std::vector<SubjectProfile>> InMemoryCaseStore::ListSubjects(const SubjectQuery& query) {
  if (query.limit <= 0) {
    return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  }
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<SubjectProfile> out;
  auto it = query.after_code.empty() ? state_->profiles.begin() : state_->profiles.upper_bound(query.after_code);
  for (; it != state_->profiles.end() && static_cast<int>(out.size()) < query.limit; ++it) {
    const SubjectProfile& p = it->second;
    if (!query.grade.empty() && p.grade != query.grade) continue;
    if (!query.status.empty() && p.status != query.status) continue;
    if (!query.text.empty()) {
      std::string upper = query.text;
      for (char& c : upper) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      // As the SOCI store: a code prefix, a part of the name, or (letters
      // only) a part of the name's pinyin or initials.
      const std::string pinyin = adapters::text::PinyinQuery(query.text);
      const bool by_pinyin =
          !pinyin.empty() && adapters::text::PinyinSearchKey(p.name).find(pinyin) != std::string::npos;
      if (p.code.compare(0, upper.size(), upper) != 0 && p.name.find(query.text) == std::string::npos && !by_pinyin) {
        continue;
      }
    }
    out.push_back(p);
  }
  return out;
}

Result<SubjectFacts> InMemoryCaseStore::GetSubjectFacts(const std::string& subject) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  SubjectFacts facts;
  facts.subject = subject;
  auto range = state_->records_by_subject.equal_range(subject);
  for (auto it = range.first; it != range.second; ++it) {
    facts.records.push_back(state_->records.at(it->second));
  }
  std::sort(facts.records.begin(), facts.records.end(), ByCreatedThenId<SubjectRecord>);
  if (auto it = state_->profiles.find(subject); it != state_->profiles.end()) {
    facts.profile = it->second;
  }
  return facts;
}

Result<std::vector<SubjectRecord>> InMemoryCaseStore::ListSubjectRecords(const std::string& after_id, int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<SubjectRecord> out;
  auto it = after_id.empty() ? state_->records.begin() : state_->records.upper_bound(after_id);
  for (; it != state_->records.end() && static_cast<int>(out.size()) < limit; ++it) out.push_back(it->second);
  return out;
}

Result<std::vector<Timer>> InMemoryCaseStore::ListProvisionalTimers(const std::string& after_id, int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<Timer> out;
  auto it = after_id.empty() ? state_->timers.begin() : state_->timers.upper_bound(after_id);
  for (; it != state_->timers.end() && static_cast<int>(out.size()) < limit; ++it) {
    if (it->second.provisional) out.push_back(it->second);
  }
  return out;
}

Result<std::vector<ChildOutcome>> InMemoryCaseStore::GetChildOutcomes(const std::string& parent_id) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<ChildOutcome> out;
  for (auto it = state_->outcomes.lower_bound({parent_id, "", ""});
       it != state_->outcomes.end() && std::get<0>(it->first) == parent_id; ++it) {
    out.push_back(it->second);
  }
  std::sort(out.begin(), out.end(), [](const ChildOutcome& a, const ChildOutcome& b) {
    return std::tie(a.at, a.child_id, a.outcome) < std::tie(b.at, b.child_id, b.outcome);
  });
  return out;
}

Result<std::vector<Notice>> InMemoryCaseStore::GetNotices(const std::string& case_id) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<Notice> out;
  for (const auto& [id, n] : state_->notices) {
    if (n.case_id == case_id) out.push_back(n);
  }
  std::sort(out.begin(), out.end(), ByCreatedThenId<Notice>);
  return out;
}

Result<std::vector<std::string>> InMemoryCaseStore::ListCaseIds() {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<std::string> out;
  out.reserve(state_->cases.size());
  for (const auto& [id, c] : state_->cases) out.push_back(id);
  return out;
}

Result<std::optional<std::string>> InMemoryCaseStore::CaseIdAt(int64_t position) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  if (position < 0 || position >= static_cast<int64_t>(state_->cases.size())) return std::optional<std::string>();
  return std::optional<std::string>(std::next(state_->cases.begin(), position)->first);
}

Result<std::vector<engine::CaseHead>> InMemoryCaseStore::ScanCaseHeads(const std::string& after,
                                                                       const std::string& through, int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<engine::CaseHead> out;
  for (auto it = state_->cases.upper_bound(after);
       it != state_->cases.end() && (through.empty() || it->first <= through) &&
       out.size() < static_cast<size_t>(limit);
       ++it) {
    out.push_back({it->first, it->second.history_head});
  }
  return out;
}

Result<std::vector<engine::StoredEvent>> InMemoryCaseStore::ScanHistory(const std::string& after_case,
                                                                        int64_t after_seq, const std::string& through,
                                                                        int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<engine::StoredEvent> out;
  for (auto c = state_->history.lower_bound(after_case);
       c != state_->history.end() && (through.empty() || c->first <= through); ++c) {
    auto e = c->first == after_case ? c->second.upper_bound(after_seq) : c->second.begin();
    for (; e != c->second.end(); ++e) {
      if (out.size() == static_cast<size_t>(limit)) return out;
      engine::StoredEvent stored{e->second, e->second.payload.dump()};
      stored.event.payload = engine::Json::object();
      out.push_back(std::move(stored));
    }
  }
  return out;
}

Result<int64_t> InMemoryCaseStore::CountAllCases() {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  return static_cast<int64_t>(state_->cases.size());
}

Result<int64_t> InMemoryCaseStore::CountDueTimers(Timestamp now) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  int64_t due = 0;
  for (const TimerOrder& o : state_->timer_order) {
    if (o.first > now) break;
    ++due;
  }
  return due;
}

Result<std::map<std::string, int64_t>> InMemoryCaseStore::CountOverdueCases(const std::string& workflow,
                                                                            policies::Date today) {
  std::map<std::string, int64_t> out;
  std::string after;
  for (;;) {  // FindCases pages; the store's lock is taken per page
    CaseQuery q;
    q.workflow = workflow;
    q.overdue_on = today;
    q.after_id = after;
    q.limit = 1000;
    Result<std::vector<Case>> page = FindCases(q);
    if (!page.ok()) return page.status();
    for (const Case& c : *page) ++out[c.department];
    if (page->size() < 1000) return out;
    after = page->back().id;
  }
}

Result<std::vector<engine::CaseCount>> InMemoryCaseStore::CountCases(const engine::CaseCountQuery& query) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCaseCountQuery(query));
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> counts;
  {
    std::shared_lock<std::shared_mutex> lock(state_mu_);
    for (const auto& [id, c] : state_->cases) {
      if (c.workflow != query.workflow || c.created_at < query.created_from || !(c.created_at < query.created_to)) {
        continue;
      }
      std::string value;
      if (!query.data_member.empty()) {
        const engine::Json* at = &c.data;
        for (size_t from = 0; at != nullptr && from <= query.data_member.size();) {
          const size_t dot = std::min(query.data_member.find('.', from), query.data_member.size());
          const std::string name = query.data_member.substr(from, dot - from);
          auto it = at->is_object() ? at->find(name) : at->end();
          at = at->is_object() && it != at->end() ? &*it : nullptr;
          from = dot + 1;
        }
        if (at != nullptr && at->is_string()) value = at->get<std::string>();
      }
      ++counts[{engine::FormatTimestamp(c.created_at).substr(0, 13), c.outcome, value}];
    }
  }
  std::vector<engine::CaseCount> out;
  for (const auto& [key, n] : counts) out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
  return out;
}

Result<std::vector<std::string>> InMemoryCaseStore::FindSubjectsByRecords(const engine::RecordCountQuery& query) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckRecordCountQuery(query));
  auto in = [](const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  };
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::map<std::string, int> counts;  // by subject, in code order
  for (const auto& [id, r] : state_->records) {
    if (!in(query.kinds, r.kind)) continue;
    if (!query.statuses.empty() && !in(query.statuses, r.status)) continue;
    if (in(query.excluded_statuses, r.status)) continue;
    ++counts[r.subject];
  }
  std::vector<std::string> out;
  for (const auto& [subject, n] : counts) {
    if (n >= query.min_count) out.push_back(subject);
  }
  return out;
}

Result<std::vector<SubjectFacts>> InMemoryCaseStore::GetSubjectFactsOf(const std::vector<std::string>& subjects) {
  if (subjects.size() > kMaxFactsBatch) {
    return Status::InvalidArgument("batch_too_large",
                                   "at most " + std::to_string(kMaxFactsBatch) + " subjects' facts are read at once");
  }
  std::vector<SubjectFacts> out;
  for (const std::string& s : subjects) {
    Result<SubjectFacts> one = GetSubjectFacts(s);
    if (!one.ok()) return one.status();
    out.push_back(std::move(*one));
  }
  return out;
}

Status InMemoryCaseStore::Ping() { return Status::Ok(); }

Status InMemoryCaseStore::WriteCommitted(const std::function<Status(State&)>& fn) {
  if (tls_in_transaction == this) {
    return Status::Internal("store: a store write called inside a transaction");
  }
  std::unique_lock<std::timed_mutex> writer(writer_, std::defer_lock);
  if (!writer.try_lock_for(wait_timeout_)) return Status::Unavailable("store busy in begin");
  std::unique_lock<std::shared_mutex> lock(state_mu_);
  CREDFLOW_RETURN_IF_ERROR(fn(*state_));
  ++state_->commits;
  return Status::Ok();
}

Status InMemoryCaseStore::PutUser(const User& user) {
  CREDFLOW_RETURN_IF_ERROR(engine::ValidateUser(user));
  return WriteCommitted([&](State& state) {
    if (state.users.count(user.name) > 0) {
      return Status::AlreadyExists("user_exists", "user " + user.name + " already exists");
    }
    if (state.user_by_token.count(user.token_hash) > 0) {
      return Status::AlreadyExists("token_exists", "another user holds this token");
    }
    state.users[user.name] = user;
    state.user_by_token[user.token_hash] = user.name;
    return Status::Ok();
  });
}

Result<std::optional<User>> InMemoryCaseStore::FindUserByTokenHash(const std::string& token_hash) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  auto it = state_->user_by_token.find(token_hash);
  if (it == state_->user_by_token.end()) return std::optional<User>();
  return std::optional<User>(state_->users.at(it->second));
}

Result<std::vector<User>> InMemoryCaseStore::ListUsers() {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<User> out;
  out.reserve(state_->users.size());
  for (const auto& [name, u] : state_->users) out.push_back(u);
  return out;
}

Status InMemoryCaseStore::SetUserDisabled(const std::string& name, bool disabled) {
  return WriteCommitted([&](State& state) {
    auto it = state.users.find(name);
    if (it == state.users.end()) return Status::NotFound("user_not_found", "no user " + name);
    it->second.disabled = disabled;
    return Status::Ok();
  });
}

Result<std::optional<User>> InMemoryCaseStore::FindUserByName(const std::string& name) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  auto it = state_->users.find(name);
  if (it == state_->users.end()) return std::optional<User>();
  return std::optional<User>(it->second);
}

Status InMemoryCaseStore::SetUserPassword(const std::string& name, const std::string& password_hash) {
  return WriteCommitted([&](State& state) {
    auto it = state.users.find(name);
    if (it == state.users.end()) return Status::NotFound("user_not_found", "no user " + name);
    it->second.password_hash = password_hash;
    return Status::Ok();
  });
}

Status InMemoryCaseStore::PutSession(const engine::Session& session) {
  return WriteCommitted([&](State& state) {
    for (auto it = state.sessions.begin(); it != state.sessions.end();) {
      it = it->second.expires_at < session.created_at ? state.sessions.erase(it) : std::next(it);
    }
    if (!state.sessions.emplace(session.id_hash, session).second) {
      return Status::AlreadyExists("session_exists", "the session id is taken");
    }
    return Status::Ok();
  });
}

Result<std::optional<engine::Session>> InMemoryCaseStore::FindSession(const std::string& id_hash) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  auto it = state_->sessions.find(id_hash);
  if (it == state_->sessions.end()) return std::optional<engine::Session>();
  return std::optional<engine::Session>(it->second);
}

Status InMemoryCaseStore::TouchSession(const std::string& id_hash, engine::Timestamp last_seen,
                                       engine::Timestamp expires_at) {
  return WriteCommitted([&](State& state) {
    auto it = state.sessions.find(id_hash);
    if (it != state.sessions.end()) {
      it->second.last_seen = last_seen;
      it->second.expires_at = expires_at;
    }
    return Status::Ok();
  });
}

Status InMemoryCaseStore::DeleteSession(const std::string& id_hash) {
  return WriteCommitted([&](State& state) {
    state.sessions.erase(id_hash);
    return Status::Ok();
  });
}

Result<engine::DocumentNumber> InMemoryCaseStore::IssueDocumentNumber(const engine::DocumentNumber& request) {
  CREDFLOW_RETURN_IF_ERROR(engine::ValidateDocumentNumberRequest(request));
  engine::DocumentNumber issued;
  Status st = WriteCommitted([&](State& state) {
    auto earlier = state.document_numbers.find({request.case_id, request.kind});
    if (earlier != state.document_numbers.end()) {
      issued = earlier->second;
      return Status::Ok();
    }
    if (state.cases.count(request.case_id) == 0) {
      return Status::NotFound("case_not_found", "no case " + request.case_id);
    }
    issued = request;
    issued.year = request.issued_on.year();
    issued.number = ++state.document_sequences[{issued.office, issued.prefix, issued.year}];
    state.document_numbers[{issued.case_id, issued.kind}] = issued;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return issued;
}

Result<std::vector<engine::DocumentNumber>> InMemoryCaseStore::GetDocumentNumbers(const std::string& case_id) {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  std::vector<engine::DocumentNumber> out;
  for (auto it = state_->document_numbers.lower_bound({case_id, ""});
       it != state_->document_numbers.end() && it->first.first == case_id; ++it) {
    out.push_back(it->second);
  }
  std::sort(out.begin(), out.end(), [](const engine::DocumentNumber& a, const engine::DocumentNumber& b) {
    return std::tie(a.issued_at, a.kind) < std::tie(b.issued_at, b.kind);
  });
  return out;
}

int64_t InMemoryCaseStore::commit_count() const {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  return state_->commits;
}

}  // namespace credflow::testing
