// Projections: what the store keeps beside the histories so that guards and
// queries read it in one lookup, and the auditor's check that every such row
// is exactly what the histories derive.
//
// Derived from the histories (by replaying every case, engine/audit.h):
//   - each case row: workflow, subject, parent, department, state, outcome,
//     reason, data, version, history head, pinned policy, and the overdue
//     query column (a pending case whose data flag it overdue);
//   - subject records (a false commitment, a penalty referral, ...) and
//     their status, from the records the transitions wrote;
//   - subject profiles (the subjects table), from the subject cases.
// Not derived here: pending timers, notices and child-outcome rows (they are
// the outbox and the join's delivery, not facts guards read).
//
// CheckProjections reads only; RebuildProjections re-derives every
// disagreeing row in one transaction (unless dry_run), refusing with
// Conflict("store_changed") when a case changed while it ran.
#pragma once

#include <string>
#include <vector>

#include "engine/case_service.h"
#include "engine/case_store.h"
#include "engine/workflow.h"

namespace credflow::engine {

struct ProjectionDifference {
  std::string table;    // "cases", "subject_records", "subjects"
  std::string key;      // case id, record id, subject code
  std::string field;    // the column that differs, or "row" (missing / unexplained)
  std::string stored;   // what the store holds ("(none)" when missing)
  std::string derived;  // what the histories say ("(none)" when unexplained)
  // The cases whose histories decide the row (the case itself, the case
  // that wrote a record or a profile, stored or derived).
  std::vector<std::string> owners;

  // "cases <id>: state is Revoked, the history says Fulfilled".
  std::string ToString() const;
};

struct ProjectionReport {
  int64_t cases = 0;     // cases replayed
  int64_t records = 0;   // subject records derived
  int64_t subjects = 0;  // subject profiles derived
  // Cases whose history does not verify or replay: nothing is derived from
  // them (audit verify and replay say why).
  std::vector<std::string> unreplayable;
  // Every disagreement, in table then key order; the first is the one to
  // look at first.
  std::vector<ProjectionDifference> differences;
  // Disagreements dropped because a case they depend on changed while the
  // check ran (a command landed between two reads): not evidence of
  // tampering; a second run sees them settled.
  int64_t moved = 0;
  // RebuildProjections: rows rewritten or removed (0 for a dry run).
  int64_t rewritten = 0;

  bool clean() const { return unreplayable.empty() && differences.empty(); }
};

Result<ProjectionReport> CheckProjections(CaseStore& store, const WorkflowRegistry& workflows, const RuleBook& rules);

// Checks, then (unless dry_run) rewrites every disagreeing row from the
// histories in one transaction. The report lists what differed (what was
// changed). Cases that cannot be replayed are left alone, and so are the
// records and profiles they wrote. Conflict("store_changed") when a case a
// row depends on changed while the rebuild ran; nothing is written then.
Result<ProjectionReport> RebuildProjections(CaseStore& store, const WorkflowRegistry& workflows, const RuleBook& rules,
                                            bool dry_run);

}  // namespace credflow::engine
