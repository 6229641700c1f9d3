// Events of the commitment-filing lifecycle: past-tense facts, each declared
// once with who may send it and what its data hold.
#pragma once

#include "workflows/common/child_outcome.h"
#include "workflows/common/machine_base.h"

namespace credflow::workflows::commitment {

// The applicant asked for an item on the catalogue by commitment.
CREDFLOW_EVENT(CommitmentFiled, Declare::Person(kWindowStaff)
                                    .Required("commitment_type", forms::FieldType::kString)
                                    .Describe("the applicant asked for a catalogue item by commitment"));
// The applicant signed the commitment letter (checked against the item's form).
CREDFLOW_EVENT(LetterSigned,
               Declare::Person(kWindowStaff).Form("form").Describe("the applicant signed the commitment letter"));
// A declaration's publication period ended without objection.
CREDFLOW_EVENT(PublicationEnded, Declare::Timer().Describe("the publication period ended without objection"));
// A creditor or another interested party objected to a published
// undertaking during its publication period (市场主体登记管理条例 art 33);
// the window records who objected and on what grounds.
CREDFLOW_EVENT(ObjectionRaised,
               Declare::Person(kWindowStaff)
                   .Required("by", forms::FieldType::kString)
                   .MaxLength(200)
                   .Optional("grounds", forms::FieldType::kText)
                   .MaxLength(2000)
                   .Describe("a creditor or another interested party objected during the publication"));
// After a publication without objection, the applicant filed the
// application the undertaking was published for (simplified deregistration:
// the deregistration application), within its window.
CREDFLOW_EVENT(ApplicationFiled, Declare::Person(kWindowStaff)
                                     .Describe("the applicant filed the application after the publication, in time"));
// The window to file the application ended with no application.
CREDFLOW_EVENT(ApplicationWindowExpired,
               Declare::Timer().Describe("the window to file the application ended with no application"));
// The applicant withdrew before the matter was concluded (Shenzhen art 62).
CREDFLOW_EVENT(CommitmentWithdrawn, Declare::Person(kWindowStaff)
                                        .Optional("reason", forms::FieldType::kText)
                                        .Describe("the applicant withdrew before the matter was concluded"));
// The verification or the false-commitment handling (a child) reached an
// outcome: workflows/common/child_outcome.h.
using workflows::ChildReachedOutcome;

}  // namespace credflow::workflows::commitment
