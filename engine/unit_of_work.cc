#include "engine/unit_of_work.h"

#include <algorithm>

namespace credflow::engine {
namespace {

void Apply(const SubjectRecord& r, SubjectFacts* facts) {
  auto same = [&](const SubjectRecord& x) { return x.id == r.id; };
  auto it = std::find_if(facts->records.begin(), facts->records.end(), same);
  if (it == facts->records.end()) {
    facts->records.push_back(r);
  } else {
    *it = r;
  }
}

}  // namespace

Result<Case> UnitOfWork::LoadCase(const std::string& id) {
  if (auto it = cases_.find(id); it != cases_.end()) return it->second.current;
  Result<Case> loaded = tx_->LoadCase(id);
  if (!loaded.ok()) return loaded;
  CaseEntry entry;
  entry.current = *loaded;
  entry.loaded_version = loaded->version;
  case_order_.push_back(id);
  cases_.emplace(id, std::move(entry));
  return loaded;
}

Status UnitOfWork::InsertCase(const Case& c) {
  if (cases_.count(c.id) != 0) return Status::AlreadyExists("case_exists", "case " + c.id + " already exists");
  CaseEntry entry;
  entry.current = c;
  entry.inserted = true;
  case_order_.push_back(c.id);
  cases_.emplace(c.id, std::move(entry));
  return Status::Ok();
}

Status UnitOfWork::UpdateCase(const Case& c, int64_t expected_version) {
  auto it = cases_.find(c.id);
  if (it == cases_.end()) {
    // Never read through this unit: check the version at flush.
    CaseEntry entry;
    entry.current = c;
    entry.dirty = true;
    entry.loaded_version = expected_version;
    case_order_.push_back(c.id);
    cases_.emplace(c.id, std::move(entry));
    return Status::Ok();
  }
  CaseEntry& entry = it->second;
  if (entry.current.version != expected_version) {
    return Status::Conflict("version_mismatch",
                            "case " + c.id + " is not at version " + std::to_string(expected_version));
  }
  entry.current = c;
  if (!entry.inserted) entry.dirty = true;
  return Status::Ok();
}

Result<std::vector<ChildCase>> UnitOfWork::LoadChildren(const std::string& parent_id) {
  Result<std::vector<ChildCase>> stored = tx_->LoadChildren(parent_id);
  if (!stored.ok()) return stored;
  std::vector<ChildCase> children = std::move(*stored);
  for (const std::string& id : case_order_) {
    const Case& c = cases_.at(id).current;
    if (c.parent_id != parent_id) continue;
    ChildCase child{c.id, c.workflow, c.state, c.outcome, c.reason, c.department};
    auto same = [&](const ChildCase& x) { return x.id == c.id; };
    if (auto it = std::find_if(children.begin(), children.end(), same); it != children.end()) {
      *it = std::move(child);
    } else {
      children.push_back(std::move(child));  // inserted by this unit: the newest
    }
  }
  return children;
}

Status UnitOfWork::ReplaceCase(const Case& c) {
  touched_beyond_cases_.insert(c.id);
  if (cases_.erase(c.id) != 0) case_order_.erase(std::find(case_order_.begin(), case_order_.end(), c.id));
  return tx_->ReplaceCase(c);
}

Status UnitOfWork::DeleteSubjectProfile(const std::string& code) {
  facts_.erase(code);
  scoped_facts_.erase(code);
  return tx_->DeleteSubjectProfile(code);
}

Status UnitOfWork::DeleteSubjectRecord(const std::string& id) {
  facts_.clear();
  scoped_facts_.clear();
  return tx_->DeleteSubjectRecord(id);
}

Status UnitOfWork::AppendHistory(const HistoryEvent& e) {
  history_.push_back(e);
  return Status::Ok();
}

Status UnitOfWork::PutTimer(const Timer& t) {
  timers_put_.insert({t.case_id, t.name});
  touched_beyond_cases_.insert(t.case_id);
  if (!earliest_timer_ || t.fire_at < *earliest_timer_) earliest_timer_ = t.fire_at;
  writes_.push_back([t](StoreTransaction& tx) { return tx.PutTimer(t); });
  return Status::Ok();
}

Status UnitOfWork::CancelTimer(const std::string& case_id, const std::string& name) {
  touched_beyond_cases_.insert(case_id);
  // A case this unit inserted has no timer but those it put itself.
  auto it = cases_.find(case_id);
  if (it != cases_.end() && it->second.inserted && timers_put_.count({case_id, name}) == 0) return Status::Ok();
  writes_.push_back([case_id, name](StoreTransaction& tx) { return tx.CancelTimer(case_id, name); });
  return Status::Ok();
}

Result<std::vector<Timer>> UnitOfWork::ClaimDueTimers(Timestamp now, int limit) {
  return tx_->ClaimDueTimers(now, limit);
}

Status UnitOfWork::DeleteTimer(const std::string& timer_id) {
  writes_.push_back([timer_id](StoreTransaction& tx) { return tx.DeleteTimer(timer_id); });
  return Status::Ok();
}

Status UnitOfWork::UpdateTimer(const Timer& t) {
  touched_beyond_cases_.insert(t.case_id);
  writes_.push_back([t](StoreTransaction& tx) { return tx.UpdateTimer(t); });
  return Status::Ok();
}

void UnitOfWork::Overlay(SubjectFacts* facts) const {
  for (const SubjectProfile& p : profiles_) {
    if (p.code == facts->subject) facts->profile = p;
  }
  for (const SubjectRecord& r : records_) {
    if (r.subject == facts->subject) Apply(r, facts);
  }
}

Result<SubjectFacts> UnitOfWork::LoadSubjectFacts(const std::string& subject) {
  if (auto it = facts_.find(subject); it != facts_.end()) return it->second;
  Result<SubjectFacts> loaded = tx_->LoadSubjectFacts(subject);
  if (!loaded.ok()) return loaded;
  SubjectFacts facts = std::move(*loaded);
  Overlay(&facts);
  facts_[subject] = facts;
  return facts;
}

Result<SubjectFacts> UnitOfWork::LoadSubjectFactsOfKinds(const std::string& subject,
                                                         const std::vector<std::string>& kinds) {
  SubjectFacts facts;
  if (auto it = facts_.find(subject); it != facts_.end()) {
    facts = it->second;
  } else {
    // As stored, without this unit's writes (laid over at each answer).
    auto held = scoped_facts_.find(subject);
    if (held == scoped_facts_.end() || held->second.first != kinds) {
      Result<SubjectFacts> loaded = tx_->LoadSubjectFactsOfKinds(subject, kinds);
      if (!loaded.ok()) return loaded;
      held = scoped_facts_.insert_or_assign(subject, std::make_pair(kinds, std::move(*loaded))).first;
    }
    facts = held->second.second;
    Overlay(&facts);
  }
  KeepKinds(kinds, &facts.records);
  return facts;
}

Status UnitOfWork::PutSubjectProfile(const SubjectProfile& p) {
  profiles_.push_back(p);
  if (auto it = facts_.find(p.code); it != facts_.end()) it->second.profile = p;
  writes_.push_back([p](StoreTransaction& tx) { return tx.PutSubjectProfile(p); });
  return Status::Ok();
}

Status UnitOfWork::PutSubjectRecord(const SubjectRecord& r) {
  records_.push_back(r);
  if (auto it = facts_.find(r.subject); it != facts_.end()) Apply(r, &it->second);
  writes_.push_back([r](StoreTransaction& tx) { return tx.PutSubjectRecord(r); });
  return Status::Ok();
}

Status UnitOfWork::PutNotice(const Notice& n) {
  writes_.push_back([n](StoreTransaction& tx) { return tx.PutNotice(n); });
  return Status::Ok();
}

Status UnitOfWork::PutChildOutcome(const ChildOutcome& o) {
  writes_.push_back([o](StoreTransaction& tx) { return tx.PutChildOutcome(o); });
  return Status::Ok();
}

Result<std::optional<StoredResponse>> UnitOfWork::FindResponse(const std::string& key) {
  if (auto it = responses_.find(key); it != responses_.end()) return std::optional<StoredResponse>(it->second);
  return tx_->FindResponse(key);
}

Status UnitOfWork::PutResponse(const StoredResponse& r) {
  if (!responses_.emplace(r.key, r).second) {
    return Status::AlreadyExists("idempotency_key_exists", "idempotency key already used");
  }
  writes_.push_back([r](StoreTransaction& tx) { return tx.PutResponse(r); });
  return Status::Ok();
}

Status UnitOfWork::Flush() {
  for (const std::string& id : case_order_) {
    const CaseEntry& entry = cases_.at(id);
    if (entry.inserted) {
      CREDFLOW_RETURN_IF_ERROR(tx_->InsertCase(entry.current));
    } else if (entry.dirty) {
      CREDFLOW_RETURN_IF_ERROR(tx_->UpdateCase(entry.current, entry.loaded_version));
    }
  }
  CREDFLOW_RETURN_IF_ERROR(tx_->AppendHistoryBatch(history_));
  for (const auto& write : writes_) CREDFLOW_RETURN_IF_ERROR(write(*tx_));
  return Status::Ok();
}

void UnitOfWork::AddTouchedCases(std::set<std::string>* out) const {
  out->insert(touched_beyond_cases_.begin(), touched_beyond_cases_.end());
  out->insert(case_order_.begin(), case_order_.end());
}

std::vector<std::pair<std::string, std::string>> UnitOfWork::InsertedCases() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& id : case_order_) {
    const CaseEntry& entry = cases_.at(id);
    if (entry.inserted) out.emplace_back(id, entry.current.workflow);
  }
  return out;
}

std::vector<std::string> UnitOfWork::HistoryWorkflows() const {
  std::vector<std::string> out;
  for (const HistoryEvent& e : history_) {
    auto it = cases_.find(e.case_id);
    out.push_back(it == cases_.end() ? std::string() : it->second.current.workflow);
  }
  return out;
}

}  // namespace credflow::engine
