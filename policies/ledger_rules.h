// The remediation-ledger section (屡禁不止、屡罚不改 专项治理, domain.md 5):
// who enters the ledger, who is screened out, who goes to key supervision,
// the deadlines that drive an entry's work, and the exit-rate targets.
// Policy id "remediation-ledger". National figures are partly secondary
// reports (V~) and the interview grades are project design (I): all of it
// is policy.
//
//   <ledger lookback-years source>
//     <entry source> <when input min/max/> ... </entry> ...      (any row; all its conditions)
//     <screen-out statuses="deregistered revoked bankrupt" abnormal-violations="loss_of_contact" source/>
//     <key-supervision statuses="unreachable not_operating" source/>
//     <interview count unit source/>        (the reminder interview, from the draw)
//     <progress count unit source/>         (after an interview: no commitment -> warning interview)
//     <rectification count unit source/>    (after the commitment)
//     <target by="06-30" ratio="0.8" source/> ...
//   </ledger>
//
// Inputs are those of the grading table (policies/grading_rules.h) over the
// ledger's own look-back, plus uncorrected_published (uncorrected penalties
// still shown) and serious_list_entries (serious-list entries decided in the
// look-back, not repaired).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policies/grading_rules.h"
#include "policies/policy.h"

namespace credflow::policies {

inline constexpr const char* kLedgerPolicyId = "remediation-ledger";

struct LedgerEntryRule {
  std::vector<GradingCondition> when;  // all must hold
  std::string source;
  int line = 0;

  bool Matches(const GradingInputs& inputs) const;
};

struct LedgerTarget {
  int month = 6;  // the target holds by the end of this day of the year
  int day = 30;
  double ratio = 0.8;  // exited / entered
  std::string source;
};

struct LedgerSection {
  int lookback_years = 3;
  std::string source;
  int line = 0;
  std::vector<LedgerEntryRule> entry;  // any row
  std::vector<std::string> screen_out_statuses;
  std::vector<std::string> screen_out_abnormal_violations;
  std::string screen_out_source;
  std::vector<std::string> key_supervision_statuses;
  std::string key_supervision_source;
  std::optional<SourcedPeriod> interview;
  std::optional<SourcedPeriod> progress;
  std::optional<SourcedPeriod> rectification;
  std::vector<LedgerTarget> targets;  // by date in the year

  // The first entry row that matches, or nullptr.
  const LedgerEntryRule* MatchEntry(const GradingInputs& inputs) const;

  // No entry row; unknown inputs; statuses the risk-classification policy
  // does not list; a missing deadline; a target ratio outside (0, 1] or a
  // day that is not a date.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// The input names a ledger entry rule may test: the grading inputs plus
// uncorrected_published and serious_list_entries.
const std::vector<std::string>& LedgerInputNames();

}  // namespace credflow::policies
