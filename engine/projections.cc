#include "engine/projections.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "engine/audit.h"
#include "engine/history.h"

namespace credflow::engine {
namespace {

constexpr int kPage = 1000;
constexpr const char* kNone = "(none)";

struct DerivedRecord {
  SubjectRecord record;
  Timestamp first_written{};
  Timestamp last_written{};
};

// Everything the histories derive, and the stored rows they were compared with.
struct Derivation {
  std::map<std::string, Case> stored_cases;   // by id, as read
  std::map<std::string, Case> derived_cases;  // by id, replayable cases only
  std::map<std::string, DerivedRecord> records;
  std::map<std::string, SubjectProfile> profiles;
  std::set<std::string> overdue;       // derived: open and flagged overdue
  std::set<std::string> unreplayable;  // case ids nothing is derived from
};

// Whether `c` is the row the derivation read for its id.
bool SameAsRead(const Derivation& d, const Case& c) {
  auto it = d.stored_cases.find(c.id);
  return it != d.stored_cases.end() && it->second.version == c.version && it->second.history_head == c.history_head &&
         it->second.state == c.state && it->second.data == c.data;
}

bool FlaggedOverdue(const Case& c) {
  auto it = c.data.find("overdue");
  return !c.closed && it != c.data.end() && it->is_boolean() && it->get<bool>();
}

std::string Shown(const std::string& s) { return s.empty() ? "\"\"" : s; }

void CompareCase(const Case& stored, const Case& derived, std::vector<ProjectionDifference>* out) {
  auto field = [&](const char* name, const std::string& a, const std::string& b) {
    if (a != b) out->push_back({"cases", stored.id, name, Shown(a), Shown(b), {stored.id}});
  };
  field("workflow", stored.workflow, derived.workflow);
  field("definition_version", std::to_string(stored.definition_version), std::to_string(derived.definition_version));
  field("subject", stored.subject, derived.subject);
  field("parent_id", stored.parent_id, derived.parent_id);
  field("department", stored.department, derived.department);
  field("state", stored.state, derived.state);
  field("outcome", stored.outcome, derived.outcome);
  field("closed", stored.closed ? "true" : "false", derived.closed ? "true" : "false");
  field("reason", stored.reason, derived.reason);
  field("version", std::to_string(stored.version), std::to_string(derived.version));
  field("history_head", stored.history_head, derived.history_head);
  field("policy", stored.policy.id + " " + stored.policy.version + " " + stored.policy.content_hash,
        derived.policy.id + " " + derived.policy.version + " " + derived.policy.content_hash);
  if (stored.data != derived.data)
    out->push_back({"cases", stored.id, "data", stored.data.dump(), derived.data.dump(), {stored.id}});
}

std::string RecordText(const SubjectRecord& r) {
  return Json{{"subject", r.subject}, {"kind", r.kind}, {"status", r.status}, {"case_id", r.case_id}, {"data", r.data}}
      .dump();
}

std::string ProfileText(const SubjectProfile& p) {
  return Json{{"name", p.name},
              {"status", p.status},
              {"grade", p.grade},
              {"grade_set_on", p.grade_set_on ? p.grade_set_on->ToString() : ""},
              {"grade_reason", p.grade_reason},
              {"grade_source", p.grade_source},
              {"case_id", p.case_id}}
      .dump();
}

Status Derive(CaseStore& store, const WorkflowRegistry& workflows, const RuleBook& rules, Derivation* d,
              ProjectionReport* report) {
  Result<std::vector<std::string>> ids = store.ListCaseIds();
  if (!ids.ok()) return ids.status();
  // Records and profiles are applied in the order their events happened.
  std::vector<std::tuple<Timestamp, std::string, size_t, SubjectRecord>> record_puts;
  std::vector<std::tuple<Timestamp, std::string, size_t, SubjectProfile>> profile_puts;
  for (const std::string& id : *ids) {
    Result<Case> stored = store.GetCase(id);
    if (!stored.ok()) return stored.status();
    Result<std::vector<HistoryEvent>> history = store.GetHistory(id);
    if (!history.ok()) return history.status();
    d->stored_cases[id] = *stored;
    ++report->cases;
    if (std::optional<ChainBreak> broken = VerifyChain(id, *history, "")) {
      d->unreplayable.insert(id);
      report->unreplayable.push_back(id + ": history broken at event " + std::to_string(broken->seq) + " (" +
                                     broken->problem + ")");
      continue;
    }
    ReplayedCase replayed = ReplayHistory(workflows, rules, *stored, *history);
    if (!replayed.problem.empty()) {
      d->unreplayable.insert(id);
      report->unreplayable.push_back(id + ": " + replayed.problem);
      continue;
    }
    for (size_t i = 0; i < replayed.records.size(); ++i) {
      auto& [record, at] = replayed.records[i];
      record_puts.emplace_back(at, id, i, record);
    }
    for (size_t i = 0; i < replayed.profiles.size(); ++i) {
      profile_puts.emplace_back(replayed.row.updated_at, id, i, replayed.profiles[i]);
    }
    if (FlaggedOverdue(replayed.row)) d->overdue.insert(id);
    d->derived_cases[id] = std::move(replayed.row);
  }
  std::sort(record_puts.begin(), record_puts.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
           std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
  });
  for (auto& [at, case_id, index, record] : record_puts) {
    auto [it, fresh] = d->records.try_emplace(record.id, DerivedRecord{record, at, at});
    if (!fresh) {
      it->second.record = record;
      it->second.last_written = at;
    }
  }
  // A subject's profile is its subject case's data after its last event.
  for (auto& [at, case_id, index, profile] : profile_puts) d->profiles[profile.code] = profile;
  report->records = static_cast<int64_t>(d->records.size());
  report->subjects = static_cast<int64_t>(d->profiles.size());
  return Status::Ok();
}

Status Compare(CaseStore& store, const Derivation& d, ProjectionReport* report) {
  std::vector<ProjectionDifference>& out = report->differences;
  for (const auto& [id, derived] : d.derived_cases) CompareCase(d.stored_cases.at(id), derived, &out);

  // The overdue column, through the overdue query: with a date before any
  // deadline, only the column itself selects a case.
  CaseQuery query;
  query.overdue_on = policies::Date::FromYmd(1900, 1, 1);
  query.limit = kPage;
  std::set<std::string> stored_overdue;
  for (;;) {
    Result<std::vector<Case>> page = store.FindCases(query);
    if (!page.ok()) return page.status();
    for (const Case& c : *page) stored_overdue.insert(c.id);
    if (static_cast<int>(page->size()) < kPage) break;
    query.after_id = page->back().id;
  }
  for (const auto& [id, derived] : d.derived_cases) {
    const bool stored = stored_overdue.count(id) > 0;
    const bool expected = d.overdue.count(id) > 0;
    // A data difference is already reported; the column follows the data.
    if (stored != expected && d.stored_cases.at(id).data == derived.data) {
      out.push_back({"cases", id, "overdue", stored ? "true" : "false", expected ? "true" : "false", {id}});
    }
  }

  // Subject records: every stored one explained, every derived one stored.
  std::set<std::string> seen;
  std::string after;
  for (;;) {
    Result<std::vector<SubjectRecord>> page = store.ListSubjectRecords(after, kPage);
    if (!page.ok()) return page.status();
    for (const SubjectRecord& r : *page) {
      seen.insert(r.id);
      auto it = d.records.find(r.id);
      // A record of a case whose history cannot be replayed is that case's
      // business: reported with the case, never called unexplained.
      if (it == d.records.end() && d.unreplayable.count(r.case_id) > 0) continue;
      if (it == d.records.end()) {
        out.push_back({"subject_records", r.id, "row", RecordText(r), kNone, {r.case_id}});
      } else if (RecordText(r) != RecordText(it->second.record)) {
        out.push_back({"subject_records",
                       r.id,
                       "row",
                       RecordText(r),
                       RecordText(it->second.record),
                       {r.case_id, it->second.record.case_id}});
      }
    }
    if (static_cast<int>(page->size()) < kPage) break;
    after = page->back().id;
  }
  for (const auto& [id, derived] : d.records) {
    if (seen.count(id) == 0) {
      out.push_back({"subject_records", id, "row", kNone, RecordText(derived.record), {derived.record.case_id}});
    }
  }

  // Subject profiles.
  std::set<std::string> seen_codes;
  SubjectQuery subjects;
  subjects.limit = kPage;
  for (;;) {
    Result<std::vector<SubjectProfile>> page = store.ListSubjects(subjects);
    if (!page.ok()) return page.status();
    for (const SubjectProfile& p : *page) {
      seen_codes.insert(p.code);
      auto it = d.profiles.find(p.code);
      if (it == d.profiles.end() && d.unreplayable.count(p.case_id) > 0) continue;
      if (it == d.profiles.end()) {
        out.push_back({"subjects", p.code, "row", ProfileText(p), kNone, {p.case_id}});
      } else if (ProfileText(p) != ProfileText(it->second)) {
        out.push_back(
            {"subjects", p.code, "row", ProfileText(p), ProfileText(it->second), {p.case_id, it->second.case_id}});
      }
    }
    if (static_cast<int>(page->size()) < kPage) break;
    subjects.after_code = page->back().code;
  }
  for (const auto& [code, derived] : d.profiles) {
    if (seen_codes.count(code) == 0) {
      out.push_back({"subjects", code, "row", kNone, ProfileText(derived), {derived.case_id}});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const ProjectionDifference& a, const ProjectionDifference& b) {
    return std::tie(a.table, a.key) < std::tie(b.table, b.key);
  });
  return Status::Ok();
}

}  // namespace

std::string ProjectionDifference::ToString() const {
  if (field == "row" && stored == kNone) return table + " " + key + ": missing; the histories derive " + derived;
  if (field == "row" && derived == kNone) return table + " " + key + ": no history explains it: " + stored;
  return table + " " + key + ": " + field + " is " + stored + ", the history says " + derived;
}

// Drops the disagreements a case changed under (a command landed between
// the reads): the check reads without one transaction, so that a live
// store is not held still while every history replays.
Status DropMoved(CaseStore& store, const Derivation& d, ProjectionReport* report) {
  std::map<std::string, bool> moved;  // case id -> changed since read
  auto has_moved = [&](const std::string& id) -> Result<bool> {
    if (id.empty()) return false;
    if (auto it = moved.find(id); it != moved.end()) return it->second;
    Result<Case> now = store.GetCase(id);
    bool changed;
    if (now.ok()) {
      changed = !SameAsRead(d, *now);
    } else if (now.status().IsNotFound()) {
      changed = d.stored_cases.count(id) > 0;
    } else {
      return now.status();
    }
    moved[id] = changed;
    return changed;
  };
  std::vector<ProjectionDifference> kept;
  for (ProjectionDifference& diff : report->differences) {
    bool drop = false;
    for (const std::string& owner : diff.owners) {
      Result<bool> changed = has_moved(owner);
      if (!changed.ok()) return changed.status();
      drop = drop || *changed;
    }
    if (drop) {
      ++report->moved;
    } else {
      kept.push_back(std::move(diff));
    }
  }
  report->differences = std::move(kept);
  return Status::Ok();
}

Result<ProjectionReport> CheckProjections(CaseStore& store, const WorkflowRegistry& workflows, const RuleBook& rules) {
  ProjectionReport report;
  Derivation d;
  CREDFLOW_RETURN_IF_ERROR(Derive(store, workflows, rules, &d, &report));
  CREDFLOW_RETURN_IF_ERROR(Compare(store, d, &report));
  CREDFLOW_RETURN_IF_ERROR(DropMoved(store, d, &report));
  return report;
}

Result<ProjectionReport> RebuildProjections(CaseStore& store, const WorkflowRegistry& workflows, const RuleBook& rules,
                                            bool dry_run) {
  ProjectionReport report;
  Derivation d;
  CREDFLOW_RETURN_IF_ERROR(Derive(store, workflows, rules, &d, &report));
  CREDFLOW_RETURN_IF_ERROR(Compare(store, d, &report));
  if (dry_run || report.differences.empty()) return report;
  int64_t rewritten = 0;
  Status st = store.RunInTransaction([&](StoreTransaction& tx) -> Status {
    rewritten = 0;
    std::set<std::pair<std::string, std::string>> done;  // (table, key)
    for (const ProjectionDifference& diff : report.differences) {
      if (!done.insert({diff.table, diff.key}).second) continue;
      // Rewrite only what was compared: a command that moved a case the row
      // depends on makes the comparison stale.
      for (const std::string& owner : diff.owners) {
        if (owner.empty()) continue;
        Result<Case> now = tx.LoadCase(owner);
        if (!now.ok() && !now.status().IsNotFound()) return now.status();
        if (!now.ok() || !SameAsRead(d, *now)) {
          return Status::Conflict("store_changed", "case " + owner + " changed during the rebuild; run it again");
        }
      }
      if (diff.table == "cases") {
        Case derived = d.derived_cases.at(diff.key);
        CREDFLOW_RETURN_IF_ERROR(tx.ReplaceCase(derived));
      } else if (diff.table == "subject_records") {
        auto it = d.records.find(diff.key);
        if (it == d.records.end()) {
          CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord(diff.key));
        } else {
          SubjectRecord r = it->second.record;
          r.created_at = it->second.first_written;
          r.updated_at = it->second.last_written;
          CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(r));
        }
      } else if (diff.table == "subjects") {
        auto it = d.profiles.find(diff.key);
        if (it == d.profiles.end()) {
          CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectProfile(diff.key));
        } else {
          SubjectProfile p = it->second;
          p.updated_at = d.derived_cases.count(p.case_id) ? d.derived_cases.at(p.case_id).updated_at : Timestamp{};
          CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(p));
        }
      }
      ++rewritten;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  report.rewritten = rewritten;
  return report;
}

}  // namespace credflow::engine
