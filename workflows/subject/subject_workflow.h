// The subject workflow as the engine sees it: one case per registered subject
// (the case's `subject` is the unified social credit code), whose history
// records every change to the subject's name, status and risk grade, and
// whose data is the subject as the office knows it. Each transition writes
// the whole profile (engine::SubjectProfile) as its projection.
//
// Use cases: workflows/subject/subject_service.h.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/case.h"
#include "engine/workflow.h"

namespace credflow::workflows::subject {

inline constexpr const char* kWorkflowName = "subject";
inline constexpr const char* kPolicyId = "risk-classification";

// Who set a grade (SubjectProfile::grade_source).
inline constexpr const char* kGradeSourceImport = "import";
inline constexpr const char* kGradeSourceCli = "cli";
inline constexpr const char* kGradeSourceScenario = "scenario";
inline constexpr const char* kGradeSourceRecompute = "recompute";  // monthly, from records
bool IsGradeSource(const std::string& source);

// The status of a newly registered subject when none is given.
inline constexpr const char* kDefaultStatus = "operating";

std::unique_ptr<engine::WorkflowDefinition> NewSubjectWorkflow();

// The profile a subject case's data describes (the projection its actions
// write). `data` is the case data; missing fields are empty.
engine::SubjectProfile ProfileFromCaseData(const std::string& code, const std::string& case_id,
                                           const engine::Json& data);

// A string field of event data: "" when absent or null, nullopt when it is
// present but not a string (such data is refused, never coerced).
std::optional<std::string> TextField(const engine::Json& data, const char* key);

}  // namespace credflow::workflows::subject
