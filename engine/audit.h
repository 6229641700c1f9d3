// Audit: verify a case's hash chain, and replay its history through its
// workflow's machine to reproduce the stored case.
//
// Replay gives the machine exactly the inputs it had: each event's data, its
// actor, its time, and the subject facts and children the engine recorded in
// the event's payload when it ran. A mismatch means the stored case and its
// history disagree (tampering, or a workflow change that needed a
// migration). What replay derives besides the case row (the subject records
// and profiles the transitions wrote) is checked in engine/projections.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "engine/case_store.h"
#include "engine/history.h"
#include "engine/workflow.h"

namespace credflow::engine {

// The first break of the case's chain, or nullopt when intact.
// NotFound("case_not_found") for an unknown case.
Result<std::optional<ChainBreak>> VerifyCaseHistory(CaseStore& store, const std::string& case_id);

// A case rebuilt from its history alone.
struct ReplayedCase {
  // The case row as the history says it must be stored. definition_version
  // and the timestamps are taken from `stored` / the events.
  Case row;
  // Every subject record and profile its transitions wrote, in order, with
  // the time of the event that wrote it (defaults filled as the engine
  // fills them: subject, case id).
  std::vector<std::pair<SubjectRecord, Timestamp>> records;
  std::vector<SubjectProfile> profiles;
  // Empty when the whole history replays; else why it does not (the first
  // event that is refused, fails or lands in another state than recorded).
  std::string problem;
};

// Replays `history` (in seq order, starting with CaseOpened) of the case
// stored as `stored`. Never fails: problems are reported in `problem`.
ReplayedCase ReplayHistory(const WorkflowRegistry& workflows, const RuleBook& rules, const Case& stored,
                           const std::vector<HistoryEvent>& history);

struct ReplayReport {
  std::string case_id;
  bool matches = false;
  std::string stored_state;
  std::string replayed_state;
  int64_t events = 0;
  std::string problem;  // empty when matches
};

Result<ReplayReport> ReplayCase(CaseStore& store, const WorkflowRegistry& workflows, const RuleBook& rules,
                                const std::string& case_id);

}  // namespace credflow::engine
