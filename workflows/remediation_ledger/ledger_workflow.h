// The remediation-ledger lifecycle: its definition for the registry, the
// draw that opens entries and exits them, and the exit-rate report.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "engine/workflow.h"

namespace credflow::workflows::remediation_ledger {

std::unique_ptr<engine::WorkflowDefinition> NewLedgerWorkflow();

struct DrawRequest {
  std::string official;    // the named official responsible (责任分包), may be empty
  std::string department;  // the official's department, for the report
  engine::Actor actor;
  // When not empty, only these subjects are drawn (a scenario sharing a store
  // with others); otherwise every registered subject.
  std::vector<std::string> only;
};

struct DrawResult {
  int subjects = 0;                 // subjects looked at
  int met = 0;                      // subjects meeting an entry rule today
  int entered = 0;                  // new entries (in_ledger or key_supervision)
  int screened_out = 0;             // new entries screened out
  int already = 0;                  // met the rule and already had an open entry
  int exited = 0;                   // open entries whose subject no longer meets the rule
  std::vector<std::string> opened;  // the new entries' case ids
};

// Draws the ledger today (the service's clock): every registered subject
// that meets the pinned ledger policy's entry rule and has no open entry gets
// one (screened out, key supervision, or in the ledger); every open entry
// whose subject no longer meets it exits. Idempotent for a day: a second draw
// opens and exits nothing. NotFound("no_policy_in_force") when no
// remediation-ledger policy covers today.
engine::Result<DrawResult> DrawLedger(engine::CaseService& service, const DrawRequest& request);

// The exit rate on `as_of` for the entries drawn in `as_of`'s year
// (screened-out entries are not counted): entered, exited (closed or exited
// from key supervision) by as_of, and each policy target with whether it is
// met, missed (its day has passed below the ratio), still to come, or
// no_entries (nothing to measure); per
// department (the draw's department) and in total.
struct ExitRateLine {
  int entered = 0;
  int exited = 0;
  double rate() const { return entered == 0 ? 1.0 : static_cast<double>(exited) / entered; }
};
struct ExitRateReport {
  std::string as_of;
  ExitRateLine total;
  std::map<std::string, ExitRateLine> by_department;
  struct Target {
    std::string by;  // YYYY-MM-DD in as_of's year
    double ratio = 0;
    std::string status;  // met | missed | open | no_entries (nothing drawn that year)
    std::string source;
  };
  std::vector<Target> targets;
  engine::Json ToJson() const;
};
engine::Result<ExitRateReport> ReportExitRate(engine::CaseService& service, policies::Date as_of);

// The subject's ledger status on its facts: the status of its newest entry
// (in_ledger, key_supervision, screened_out, closed, exited), or "" when it
// was never drawn.
std::string LedgerStatusOf(const engine::SubjectFacts& facts);

}  // namespace credflow::workflows::remediation_ledger
