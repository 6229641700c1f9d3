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
// The published undertaking's application was not filed within its window:
// the simplified route lapsed (no credit consequence).
inline constexpr const char* kLapsed = "lapsed";

// Reason codes.
inline constexpr const char* kNotRectified = "not_rectified";
// A third party objected during the publication (scenario format's code).
inline constexpr const char* kObjectionRaised = "objection_raised";
// No application within the window after the publication.
inline constexpr const char* kApplicationWindowPassed = "application_window_passed";
// An objection sent after the publication's last day (refused, nothing written).
inline constexpr const char* kPublicationOver = "publication_over";

// Timers.
inline constexpr const char* kPublicationTimer = "publication_end";
inline constexpr const char* kApplicationTimer = "application_window";

}  // namespace credflow::workflows::commitment
