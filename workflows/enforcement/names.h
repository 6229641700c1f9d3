// The names of the enforcement lifecycle (行政处罚裁量: 首违不罚、轻微免罚、
// 信用+渐进式执法) that other code compares against.
#pragma once

#include "policies/enforcement_rules.h"

namespace credflow::workflows::enforcement {

inline constexpr const char* kWorkflowName = "enforcement";
// The pinned policy: the violation catalogue and the decision table.
inline constexpr const char* kPolicyId = policies::kEnforcementPolicyId;

// Outcome codes (scenarios/FORMAT.md: enforcement case); pending until decided.
inline constexpr const char* kNoPenalty = policies::kNoPenalty;
inline constexpr const char* kMitigated = policies::kMitigated;
inline constexpr const char* kOrdinaryPenalty = policies::kOrdinaryPenalty;

// Reason codes of ours (the table's rows carry their own).
inline constexpr const char* kRectificationMissed = "rectification_missed";
inline constexpr const char* kUnknownViolation = "unknown_violation";

inline constexpr const char* kRectificationTimer = "rectification_due";

// The kinds of subject record the case writes. A violation finding is what
// the next report's first-violation check reads (its status is the case's
// outcome, never "active": it is not shown anywhere). A breach of a 信用+
// rectification commitment is active until repaired and closes the
// commitment route (policies/definitions/commitment-catalogue.xml).
inline constexpr const char* kViolationFindingRecord = "violation_finding";
inline constexpr const char* kCommitmentBreachRecord = "rectification_commitment_breach";
inline constexpr const char* kRecordActive = "active";

// Notices.
inline constexpr const char* kDecisionNotice = "enforcement.decision";
inline constexpr const char* kEducationNotice = "enforcement.education";  // art 33(3)
inline constexpr const char* kRectificationOrderNotice = "enforcement.rectification_order";
inline constexpr const char* kCommitmentAcceptedNotice = "enforcement.commitment_accepted";
inline constexpr const char* kCommitmentBreachNotice = "enforcement.commitment_breached";

// Procedures (行政处罚法 art 51: on-the-spot; else ordinary).
inline constexpr const char* kOnTheSpot = "on_the_spot";
inline constexpr const char* kOrdinaryProcedure = "ordinary";

}  // namespace credflow::workflows::enforcement
