// The names of the false-commitment lifecycle that other code compares against.
#pragma once

namespace credflow::workflows::false_commitment {

inline constexpr const char* kWorkflowName = "false_commitment";
// The pinned policy: the item's default rectification period.
inline constexpr const char* kPolicyId = "commitment-verification";

// Outcome codes of a false-commitment case.
inline constexpr const char* kRectificationOrdered = "rectification_ordered";
inline constexpr const char* kRectified = "rectified";
inline constexpr const char* kRevoked = "revoked";
inline constexpr const char* kRepaired = "repaired";

// Reason codes of a revocation.
inline constexpr const char* kRectificationOverdue = "rectification_overdue";
inline constexpr const char* kRectificationRefused = "rectification_refused";

inline constexpr const char* kRectificationTimer = "rectification_due";
inline constexpr const char* kRectificationOrderForm = "rectification_order";
// The kinds of subject record the case writes. The commitment catalogue's
// eligibility blocks name kFalseCommitmentRecord.
inline constexpr const char* kFalseCommitmentRecord = "false_commitment";
inline constexpr const char* kPenaltyReferralRecord = "penalty_referral";
// The status of a record that no longer blocks (records are "active" until then).
inline constexpr const char* kRecordActive = "active";
inline constexpr const char* kRecordRepaired = "repaired";

}  // namespace credflow::workflows::false_commitment
