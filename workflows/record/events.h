// Events of the dishonesty-record lifecycle: past-tense facts, each declared
// once with who may send it and what its data hold.
#pragma once

#include "workflows/common/machine_base.h"

namespace credflow::workflows::record {

// The record as the deciding department (认定单位) made it: what it is, where
// it shows, and the dates its window counts from. Sent once, when the case
// opens (a caseworker, an import, a scenario).
CREDFLOW_EVENT(RecordDecided,
               Declare::Person(kWindowStaff)
                   .Required("department", forms::FieldType::kString)
                   .MaxLength(64)
                   .Optional("department_name", forms::FieldType::kString)
                   .MaxLength(100)
                   .Required("platform", forms::FieldType::kEnum)
                   .Options({"credit_china", "gsxt"})
                   .Required("kind", forms::FieldType::kEnum)
                   .Options({"penalty", "abnormal_list", "serious_list"})
                   .Optional("tier", forms::FieldType::kEnum)
                   .Options({"light", "general", "serious"})
                   .Optional("penalties", forms::FieldType::kEnumList)
                   .Options({"warning", "criticism", "fine", "confiscation", "suspension", "licence_revocation",
                             "practice_restriction", "business_restriction"})
                   .Optional("amount", forms::FieldType::kNumber)
                   .Range(0, 1e12)
                   .Optional("sector", forms::FieldType::kString)
                   .MaxLength(64)
                   .Optional("violation", forms::FieldType::kString)
                   .MaxLength(100)
                   .Optional("simple_procedure", forms::FieldType::kBoolean)
                   .Optional("specific_serious", forms::FieldType::kBoolean)
                   .Required("decided_on", forms::FieldType::kDate)
                   .Optional("published_on", forms::FieldType::kDate)
                   .Optional("restriction_until", forms::FieldType::kDate)
                   .Optional("decision_number", forms::FieldType::kString)
                   .MaxLength(100)
                   .Optional("summary", forms::FieldType::kText)
                   .MaxLength(2000)
                   .Describe("the deciding department made the record (penalty, abnormal list, serious list)"));
// The subject performed what the decision required (fine paid, rectified).
CREDFLOW_EVENT(ObligationsFulfilled, Declare::Person(kWindowStaff)
                                         .Optional("fulfilled_on", forms::FieldType::kDate)
                                         .Optional("note", forms::FieldType::kText)
                                         .MaxLength(2000)
                                         .Describe("the subject performed the decision's obligations"));
// The record reached the end of its maximum publication period.
CREDFLOW_EVENT(PublicationPeriodEnded, Declare::Timer().Describe("the maximum publication period ended"));
// The minimum period is served: the subject may now apply for repair (修复提醒).
CREDFLOW_EVENT(RepairableFromReached, Declare::Timer().Describe("the minimum publication period is served"));
// An abnormal-list entry still listed after the escalation period.
CREDFLOW_EVENT(EscalationDue, Declare::Timer().Describe("still in the abnormal list after the escalation period"));
// A repair application's department task approved the repair of this record
// (raised by the task).
CREDFLOW_EVENT(RepairApproved, Declare::System()
                                   .Required("repair_case", forms::FieldType::kString)
                                   .Optional("task", forms::FieldType::kString)
                                   .Optional("temporary", forms::FieldType::kBoolean)
                                   .Optional("raised_by", forms::FieldType::kString)
                                   .Describe("the deciding department approved the repair of this record "
                                             "(temporary: shielded during a bankruptcy reorganisation)"));
// The repair was revoked (false materials): the record is shown again
// (raised by the repair case).
CREDFLOW_EVENT(RepairRevoked, Declare::System()
                                  .Required("repair_case", forms::FieldType::kString)
                                  .Optional("reason", forms::FieldType::kString)
                                  .Optional("raised_by", forms::FieldType::kString)
                                  .Describe("the repair of this record was revoked; it is shown again"));

}  // namespace credflow::workflows::record
