// Events of a subject's life as the office knows it: past-tense facts, each
// declared once. Every change to a subject (统一社会信用代码, name, status,
// risk grade) is one of them, so the subject case's history is the
// subject's history. Values the policy lists (statuses, grades, grade
// sources) are checked by the guards against the pinned policy.
#pragma once

#include "workflows/common/machine_base.h"

namespace credflow::workflows::subject {

// The longest name a subject may have, in characters (registered names are
// far shorter; the bound keeps hostile input out).
inline constexpr int kMaxNameLength = 200;

// The office registered the subject.
CREDFLOW_EVENT(SubjectRegistered, Declare::Person(kWindowStaff)
                                      .Required("name", forms::FieldType::kString)
                                      .MaxLength(kMaxNameLength)
                                      .Required("status", forms::FieldType::kString)
                                      .Optional("grade", forms::FieldType::kString)
                                      .Optional("grade_reason", forms::FieldType::kText)
                                      .Optional("grade_set_on", forms::FieldType::kDate)
                                      .Optional("grade_source", forms::FieldType::kString)
                                      .Describe("the office registered the subject"));
// The subject's risk grade was set: by an import, a caseworker, a scenario or
// the monthly recomputation from records (source "recompute").
CREDFLOW_EVENT(GradeSet, Declare::Person(kWindowStaff)
                             .Required("grade", forms::FieldType::kString)
                             .Optional("reason", forms::FieldType::kText)
                             .Optional("set_on", forms::FieldType::kDate)
                             .Required("source", forms::FieldType::kString)
                             .Describe("the subject's risk grade was set"));
// The subject's status changed.
CREDFLOW_EVENT(StatusChanged, Declare::Person(kWindowStaff)
                                  .Required("status", forms::FieldType::kString)
                                  .Optional("reason", forms::FieldType::kText)
                                  .Describe("the subject's status changed"));
// The subject's registered name changed.
CREDFLOW_EVENT(NameChanged, Declare::Person(kWindowStaff)
                                .Required("name", forms::FieldType::kString)
                                .MaxLength(kMaxNameLength)
                                .Describe("the subject's registered name changed"));

}  // namespace credflow::workflows::subject
