// Audit: verify a case's hash chain, and replay its history through its
// workflow's machine to reproduce the stored state.
//
// Replay gives the machine exactly the inputs it had: each event's data, its
// actor, its time, and the subject facts the engine recorded in the event's
// payload when it ran. A mismatch means the stored case and its history
// disagree (tampering, or a workflow change that needed a migration).
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
