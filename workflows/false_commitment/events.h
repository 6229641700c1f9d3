// Events of the false-commitment lifecycle (不实承诺处理): past-tense facts,
// each declared once with who may send it and what its data hold.
#pragma once

#include "workflows/common/machine_base.h"

namespace credflow::workflows::false_commitment {

// Verification found the commitment untrue: raised by the commitment case
// when it opens this case. Its data may complete or override the opening data.
CREDFLOW_EVENT(NonconformityFound, Declare::System()
                                       .Optional("findings", forms::FieldType::kText)
                                       .Optional("rectification_days", forms::FieldType::kInteger)
                                       .Range(1, 3650)
                                       .Optional("applicant_name", forms::FieldType::kString)
                                       .Describe("verification found the commitment untrue"));
// The office confirmed that the applicant rectified within the deadline.
CREDFLOW_EVENT(RectificationConfirmed, Declare::Person(kWindowStaff)
                                           .Optional("note", forms::FieldType::kText)
                                           .Describe("the applicant rectified within the deadline"));
// The rectification deadline passed without rectification.
CREDFLOW_EVENT(RectificationDeadlinePassed,
               Declare::Timer().Describe("the rectification deadline passed without rectification"));
// The applicant refused to rectify.
CREDFLOW_EVENT(RectificationRefused, Declare::Person(kWindowStaff)
                                         .Optional("reason", forms::FieldType::kText)
                                         .Describe("the applicant refused to rectify"));
// The false-commitment credit record was repaired (信用修复): raised by the
// repair that decided it, never sent by hand.
CREDFLOW_EVENT(CreditRecordRepaired, Declare::System()
                                         .Optional("repair_case", forms::FieldType::kString)
                                         .Describe("the false-commitment record was repaired by a credit repair"));

}  // namespace credflow::workflows::false_commitment
