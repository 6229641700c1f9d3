// Guards of the commitment-filing lifecycle: yes/no questions. Guards that
// compete for the same (state, event) are complements, so MSM's reverse-row
// evaluation order never matters.
#pragma once

#include "workflows/commitment/events.h"
#include "workflows/common/machine_parts.h"
#include "workflows/false_commitment/names.h"
#include "workflows/verification/names.h"

namespace credflow::workflows::commitment {

bool IsSubjectEligible(const EventBase& e, const MachineBase& m);
bool IsDecidedOnSigning(const MachineBase& m);

// No active record of a kind the policy's eligibility blocks list, and none
// of the item's own exclusions holds (a list record, a revoked licence).
CREDFLOW_GUARD(SubjectEligible, IsSubjectEligible(e, m));
CREDFLOW_GUARD(SubjectIneligible, !IsSubjectEligible(e, m));
// The catalogue decides this type when the letter is signed...
CREDFLOW_GUARD(DecidedOnSigning, IsDecidedOnSigning(m));
// ...or only after a publication period (e.g. simplified deregistration).
CREDFLOW_GUARD(PublicationRequired, !IsDecidedOnSigning(m));
// What the verification child concluded. Exclusive; an outcome that matches
// none (a child's interim outcome) is not this case's business.
CREDFLOW_GUARD(VerifiedConforming, IsChildOutcome(e, verification::kWorkflowName, verification::kConforming));
CREDFLOW_GUARD(VerifiedNonconforming, IsChildOutcome(e, verification::kWorkflowName, verification::kNonconforming));
CREDFLOW_GUARD(VerificationExempted, IsChildOutcome(e, verification::kWorkflowName, verification::kExempted));
// What the false-commitment child concluded.
CREDFLOW_GUARD(CommitmentRectified, IsChildOutcome(e, false_commitment::kWorkflowName, false_commitment::kRectified));
CREDFLOW_GUARD(DecisionRevoked, IsChildOutcome(e, false_commitment::kWorkflowName, false_commitment::kRevoked));

}  // namespace credflow::workflows::commitment
