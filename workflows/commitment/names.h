// The names of the commitment lifecycle that other code compares against:
// the workflow and its policy, its outcome codes and its reason codes.
#pragma once

namespace credflow::workflows::commitment {

inline constexpr const char* kWorkflowName = "commitment";
inline constexpr const char* kPolicyId = "commitment";

// Outcome codes of a commitment case.
inline constexpr const char* kFulfilled = "fulfilled";
inline constexpr const char* kExempted = "exempted";
inline constexpr const char* kRectificationOrdered = "rectification_ordered";
inline constexpr const char* kRevoked = "revoked";
inline constexpr const char* kWithdrawn = "withdrawn";
inline constexpr const char* kOrdinaryProcedure = "ordinary_procedure";

// Reason codes.
inline constexpr const char* kNotRectified = "not_rectified";

// Timers.
inline constexpr const char* kPublicationTimer = "publication_end";

}  // namespace credflow::workflows::commitment
