// Events of the enforcement lifecycle: past-tense facts, each declared once
// with who may send it and what its data hold.
#pragma once

#include "workflows/common/machine_base.h"

namespace credflow::workflows::enforcement {

// A violation was found and reported by the officer (the case opens with it).
CREDFLOW_EVENT(ViolationReported, Declare::Person(kWindowStaff)
                                      .Required("violation", forms::FieldType::kString)
                                      .MaxLength(100)
                                      .Required("harm", forms::FieldType::kEnum)
                                      .Options({"none", "slight", "serious"})
                                      .Optional("fault", forms::FieldType::kBoolean)
                                      .Optional("harm_reduced", forms::FieldType::kBoolean)
                                      .Optional("rectification_commitment", forms::FieldType::kBoolean)
                                      .Optional("rectification_days", forms::FieldType::kInteger)
                                      .Range(1, 365)
                                      .Optional("procedure", forms::FieldType::kEnum)
                                      .Options({"on_the_spot", "ordinary"})
                                      .Optional("department", forms::FieldType::kString)
                                      .MaxLength(64)
                                      // The penalty, should one be decided: what its record shows.
                                      .Optional("penalties", forms::FieldType::kEnumList)
                                      .Options({"warning", "criticism", "fine", "confiscation", "suspension",
                                                "licence_revocation", "practice_restriction", "business_restriction"})
                                      .Optional("amount", forms::FieldType::kNumber)
                                      .Range(0, 1e12)
                                      .Optional("tier", forms::FieldType::kEnum)
                                      .Options({"light", "general", "serious"})
                                      .Optional("sector", forms::FieldType::kString)
                                      .MaxLength(64)
                                      .Optional("decision_number", forms::FieldType::kString)
                                      .MaxLength(100)
                                      .Optional("findings", forms::FieldType::kText)
                                      .Describe("a violation was found: the facts the discretion table decides on"));
// The officer confirmed that the violation was rectified (corrected) within
// the period ordered or committed to.
CREDFLOW_EVENT(RectificationConfirmed, Declare::Person(kWindowStaff)
                                           .Optional("note", forms::FieldType::kText)
                                           .Describe("the violation was rectified within the period"));
// The rectification period ended without rectification.
CREDFLOW_EVENT(RectificationDeadlinePassed,
               Declare::Timer().Describe("the rectification period ended without rectification"));

}  // namespace credflow::workflows::enforcement
