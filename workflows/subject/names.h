// The names of the subject lifecycle that other code compares against.
#pragma once

namespace credflow::workflows::subject {

inline constexpr const char* kWorkflowName = "subject";
inline constexpr const char* kPolicyId = "risk-classification";

// The outcome of a registered subject's case.
inline constexpr const char* kRegistered = "registered";

// Who set a grade (SubjectProfile::grade_source).
inline constexpr const char* kGradeSourceImport = "import";
inline constexpr const char* kGradeSourceCli = "cli";
inline constexpr const char* kGradeSourceScenario = "scenario";
inline constexpr const char* kGradeSourceRecompute = "recompute";  // monthly, from records

// The status of a newly registered subject when none is given.
inline constexpr const char* kDefaultStatus = "operating";

}  // namespace credflow::workflows::subject
