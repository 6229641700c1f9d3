// Events of the random-inspection lifecycle: the visit's and its department
// tasks'. Past-tense facts, each declared once.
#pragma once

#include "workflows/common/child_outcome.h"
#include "workflows/common/machine_base.h"

namespace credflow::workflows::inspection {

// The cycle's plan drew the subject (workflows/inspection/plan.h). Raised
// only by the committed plan, with the seed derived from the cycle and the
// draw's inputs (as DrawMade records a verification draw), so an auditor can
// recompute it: the grade, the inspections of the cycle the subject had, and
// for a quota draw its place in the grade's shuffle. `joint` names the joint
// inspection the policy gives the grade, if any.
CREDFLOW_EVENT(InspectionPlanned, Declare::System()
                                      .Required("cycle", forms::FieldType::kString)
                                      .MaxLength(7)
                                      .Required("seed", forms::FieldType::kString)
                                      .MaxLength(64)
                                      .Required("grade", forms::FieldType::kEnum)
                                      .Options({"A", "B", "C", "D"})
                                      .Required("mode", forms::FieldType::kEnum)
                                      .Options({"independent", "quota"})
                                      .Required("inspected_in_cycle", forms::FieldType::kInteger)
                                      .Range(0, std::nullopt)
                                      .Optional("candidates", forms::FieldType::kInteger)
                                      .Range(1, std::nullopt)
                                      .Optional("quota", forms::FieldType::kInteger)
                                      .Range(0, std::nullopt)
                                      .Optional("position", forms::FieldType::kInteger)
                                      .Range(0, std::nullopt)
                                      .Optional("selected_before", forms::FieldType::kInteger)
                                      .Range(0, std::nullopt)
                                      .Optional("candidates_sha256", forms::FieldType::kString)
                                      .MaxLength(64)
                                      .Optional("joint", forms::FieldType::kString)
                                      .MaxLength(64)
                                      .Describe("the cycle's random-inspection plan drew the subject"));
// A caseworker opened an inspection on a complaint, a lead or a referral
// (always allowed, also for a grade-A subject; it counts against the cycle).
CREDFLOW_EVENT(InspectionRequested, Declare::Person(kWindowStaff)
                                        .Required("grounds", forms::FieldType::kEnum)
                                        .Options({"complaint", "lead", "referral"})
                                        .Optional("note", forms::FieldType::kText)
                                        .MaxLength(2000)
                                        .Optional("joint", forms::FieldType::kString)
                                        .MaxLength(64)
                                        .Describe("an inspection was opened on a complaint, a lead or a referral"));

// A task's first event, raised by the visit that opened it.
CREDFLOW_EVENT(InspectionAssigned, Declare::System().Describe("the department received its part of the visit"));
// The department recorded what its inspection found.
CREDFLOW_EVENT(InspectionResultRecorded, Declare::Person({kDepartment})
                                             .Required("result", forms::FieldType::kEnum)
                                             .Options({"passed", "problems_found"})
                                             .Optional("findings", forms::FieldType::kText)
                                             .MaxLength(4000)
                                             .Optional("inspected_on", forms::FieldType::kDate)
                                             .Optional("inspectors", forms::FieldType::kString)
                                             .MaxLength(200)
                                             .Describe("the department recorded the result of its inspection"));

}  // namespace credflow::workflows::inspection
