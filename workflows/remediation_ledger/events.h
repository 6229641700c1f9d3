// Events of the remediation-ledger lifecycle: past-tense facts, each
// declared once with who may send it and what its data hold.
#pragma once

#include "workflows/common/machine_base.h"

namespace credflow::workflows::remediation_ledger {

// The ledger was drawn on a date and the subject met its entry rule: raised
// by the draw, with the rule that matched and the counts it saw.
CREDFLOW_EVENT(LedgerDrawn, Declare::System()
                                .Required("drawn_on", forms::FieldType::kDate)
                                .Optional("rule_line", forms::FieldType::kInteger)
                                .Optional("rule_source", forms::FieldType::kText)
                                .Object("counts", false)
                                .Optional("official", forms::FieldType::kString)
                                .MaxLength(100)
                                .Optional("department", forms::FieldType::kString)
                                .MaxLength(64)
                                .Describe("the ledger draw found the subject meets the entry rule"));
// An interview (约谈) was held: who, when, what was agreed.
CREDFLOW_EVENT(InterviewHeld, Declare::Person(kWindowStaff)
                                  .Required("kind", forms::FieldType::kEnum)
                                  .Options({"reminder", "warning"})
                                  .Required("held_on", forms::FieldType::kDate)
                                  .Required("official", forms::FieldType::kString)
                                  .MaxLength(100)
                                  .Optional("attendees", forms::FieldType::kText)
                                  .MaxLength(2000)
                                  .Required("agreed", forms::FieldType::kText)
                                  .MaxLength(4000)
                                  .Describe("an interview (提示约谈 or 警示约谈) was held and its record kept"));
// The subject signed its credit commitment to rectify.
CREDFLOW_EVENT(CommitmentSigned, Declare::Person(kWindowStaff)
                                     .Optional("note", forms::FieldType::kText)
                                     .MaxLength(2000)
                                     .Describe("the subject signed a credit commitment to rectify"));
// The reminder interview was not held in time.
CREDFLOW_EVENT(InterviewDeadlinePassed, Declare::Timer().Describe("the reminder interview was not held in time"));
// No commitment followed the interview in time: a warning interview is due.
CREDFLOW_EVENT(ProgressDeadlinePassed, Declare::Timer().Describe("no progress after the interview in time"));
// The supervised rectification was not completed in time.
CREDFLOW_EVENT(RectificationDeadlinePassed, Declare::Timer().Describe("the rectification was not completed in time"));
// A later draw found the subject no longer meets the entry rule (corrected,
// repaired, or its records no longer published): the entry exits.
CREDFLOW_EVENT(ExitCriteriaMet, Declare::System()
                                    .Required("checked_on", forms::FieldType::kDate)
                                    .Optional("reason", forms::FieldType::kText)
                                    .Describe("the subject no longer meets the ledger's entry rule"));

}  // namespace credflow::workflows::remediation_ledger
