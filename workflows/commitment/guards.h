// Guards of the commitment-filing lifecycle: yes/no questions. Guards that
// compete for the same (state, event) are complements, so MSM's reverse-row
// evaluation order never matters.
#pragma once

#include "workflows/commitment/events.h"
#include "workflows/common/machine_parts.h"

namespace credflow::workflows::commitment {

bool IsSubjectEligible(const MachineBase& m);
bool IsDecidedOnSigning(const MachineBase& m);
// Whether a ChildReachedOutcome event reports `outcome` from `workflow`.
bool IsChildOutcome(const EventBase& e, const char* workflow, const char* outcome);

// No active record of a kind the policy's eligibility blocks list.
CREDFLOW_GUARD(SubjectEligible, IsSubjectEligible(m));
CREDFLOW_GUARD(SubjectIneligible, !IsSubjectEligible(m));
// The catalogue decides this type when the letter is signed...
CREDFLOW_GUARD(DecidedOnSigning, IsDecidedOnSigning(m));
// ...or only after a publication period (e.g. simplified deregistration).
CREDFLOW_GUARD(PublicationRequired, !IsDecidedOnSigning(m));
// What the verification child concluded. Exclusive; an outcome that matches
// none (a child's interim outcome) is not this case's business.
CREDFLOW_GUARD(VerifiedConforming, IsChildOutcome(e, "verification", "conforming"));
CREDFLOW_GUARD(VerifiedNonconforming, IsChildOutcome(e, "verification", "nonconforming"));
CREDFLOW_GUARD(VerificationExempted, IsChildOutcome(e, "verification", "exempted"));
// What the false-commitment child concluded.
CREDFLOW_GUARD(CommitmentRectified, IsChildOutcome(e, "false_commitment", "rectified"));
CREDFLOW_GUARD(DecisionRevoked, IsChildOutcome(e, "false_commitment", "revoked"));

}  // namespace credflow::workflows::commitment
