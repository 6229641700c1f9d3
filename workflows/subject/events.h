// Events of a subject's life as the office knows it: past-tense facts. Every
// change to a subject (统一社会信用代码, name, status, risk grade) is one of
// them, so the subject case's history is the subject's history.
#pragma once

#include "workflows/common/msm_workflow.h"

namespace credflow::workflows::subject {

// The office registered the subject.
// data: {"name": "...", "status": "<policy status>",
//        optional "grade": "<policy grade>", "grade_reason": "...",
//        "grade_set_on": "YYYY-MM-DD", "grade_source": "import|cli|scenario|recompute"}
struct SubjectRegistered : EventBase {
  static constexpr const char* kName = "SubjectRegistered";
};
// The subject's risk grade was set: by an import, a caseworker, a scenario or
// the monthly recomputation from records (source "recompute").
// data: {"grade": "<policy grade>", "reason": "...", optional "set_on": "YYYY-MM-DD",
//        "source": "import|cli|scenario|recompute"}
struct GradeSet : EventBase {
  static constexpr const char* kName = "GradeSet";
};
// The subject's status changed. data: {"status": "<policy status>", optional "reason": "..."}
struct StatusChanged : EventBase {
  static constexpr const char* kName = "StatusChanged";
};
// The subject's registered name changed. data: {"name": "..."}
struct NameChanged : EventBase {
  static constexpr const char* kName = "NameChanged";
};

}  // namespace credflow::workflows::subject
