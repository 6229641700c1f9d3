// The names of the verification lifecycle that other code compares against.
#pragma once

namespace credflow::workflows::verification {

inline constexpr const char* kWorkflowName = "verification";
inline constexpr const char* kPolicyId = "commitment-verification";

// Outcome codes of a verification case.
inline constexpr const char* kExempted = "exempted";
inline constexpr const char* kConforming = "conforming";
inline constexpr const char* kNonconforming = "nonconforming";

// Reason codes of a draw (sampling.h) and of a verification every
// commitment of the item gets.
inline constexpr const char* kSampled = "sampled";
inline constexpr const char* kNotSampled = "not_sampled";
inline constexpr const char* kCycleLimitReached = "cycle_limit_reached";
inline constexpr const char* kEveryCommitmentVerified = "every_commitment_verified";

// Timers, and the form a report must satisfy.
inline constexpr const char* kDueTimer = "verification_due";
inline constexpr const char* kReportForm = "verification_report";

}  // namespace credflow::workflows::verification
