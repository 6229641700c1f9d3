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
#include "workflows/subject/names.h"

namespace credflow::workflows::subject {

bool IsGradeSource(const std::string& source);

std::unique_ptr<engine::WorkflowDefinition> NewSubjectWorkflow();

// The profile a subject case's data describes (the projection its actions
// write). `data` is the case data; missing fields are empty.
engine::SubjectProfile ProfileFromCaseData(const std::string& code, const std::string& case_id,
                                           const engine::Json& data);

}  // namespace credflow::workflows::subject
