// Events of the coordinated-repair lifecycle: the application's and its
// department tasks'. Past-tense facts, each declared once.
#pragma once

#include "workflows/common/child_outcome.h"
#include "workflows/common/machine_base.h"

namespace credflow::workflows::repair {

// The applicant applied at the window, naming records (case ids of
// dishonesty records of the subject) and the documents brought.
CREDFLOW_EVENT(RepairApplied,
               Declare::Person(kWindowStaff)
                   .Required("records", forms::FieldType::kStringList)
                   .Optional("documents", forms::FieldType::kEnumList)
                   .Options({"repair_commitment", "proof_of_performance", "business_licence", "agent_id",
                             "interview_record", "court_ruling", "credit_report", "training_certificate"})
                   .Optional("applicant_name", forms::FieldType::kString)
                   .MaxLength(100)
                   .Optional("contact", forms::FieldType::kString)
                   .MaxLength(100)
                   .Optional("grounds", forms::FieldType::kEnum)
                   .Options({"ordinary", "bankruptcy_reorganisation"})
                   .Describe("an application for credit repair naming one or more records"));
// The applicant brought what the 一次性告知 asked for.
CREDFLOW_EVENT(DocumentsSupplied,
               Declare::Person(kWindowStaff)
                   .Required("documents", forms::FieldType::kEnumList)
                   .Options({"repair_commitment", "proof_of_performance", "business_licence", "agent_id",
                             "interview_record", "court_ruling", "credit_report", "training_certificate"})
                   .Describe("the applicant supplied the documents asked for"));
// The repair was obtained by false materials: undone.
CREDFLOW_EVENT(RepairRevoked, Declare::Person(kWindowStaff)
                                  .Required("reason", forms::FieldType::kEnum)
                                  .Options({"false_materials", "reorganisation_failed", "other"})
                                  .Optional("note", forms::FieldType::kText)
                                  .MaxLength(2000)
                                  .Describe("the repair is revoked (false materials, or the reorganisation "
                                            "a temporary repair rested on failed)"));

// A task's first event, raised by the application that opened it.
CREDFLOW_EVENT(TaskAssigned, Declare::System().Describe("the record's deciding department received the task"));
// The department decided.
CREDFLOW_EVENT(TaskDecided, Declare::Person({kDepartment})
                                .Required("decision", forms::FieldType::kEnum)
                                .Options({"approve", "deny"})
                                .Optional("reason", forms::FieldType::kString)
                                .MaxLength(64)
                                .Optional("note", forms::FieldType::kText)
                                .MaxLength(2000)
                                .Describe("the deciding department approved or denied the repair of the record"));
// The department extended its decision time, where the rule allows.
CREDFLOW_EVENT(DecisionExtended, Declare::Person({kDepartment})
                                     .Required("reason", forms::FieldType::kText)
                                     .MaxLength(2000)
                                     .Describe("the department extended its decision time (complex case)"));
// The decision time passed without a decision.
CREDFLOW_EVENT(DecisionDeadlinePassed, Declare::Timer().Describe("the department's decision time passed"));

}  // namespace credflow::workflows::repair
