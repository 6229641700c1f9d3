// Events of the commitment-filing lifecycle: past-tense facts.
#pragma once

#include "workflows/common/msm_workflow.h"

namespace credflow::workflows::commitment {

// The applicant asked for an item on the catalogue by commitment.
// data: {"commitment_type": "<id>"}
struct CommitmentFiled : EventBase { static constexpr const char* kName = "CommitmentFiled"; };
// The applicant signed the commitment letter. data: {"form": {...}}
struct LetterSigned : EventBase { static constexpr const char* kName = "LetterSigned"; };
// A declaration's publication period ended without objection (timer).
struct PublicationEnded : EventBase { static constexpr const char* kName = "PublicationEnded"; };
// The applicant withdrew before the matter was concluded (Shenzhen art 62).
struct CommitmentWithdrawn : EventBase { static constexpr const char* kName = "CommitmentWithdrawn"; };
// The office verified the commitment.
// data: {"result": "conforming"|"nonconforming", "findings": "..."}
struct CommitmentVerified : EventBase { static constexpr const char* kName = "CommitmentVerified"; };
// The verification window closed with no verification (timer).
struct VerificationOverdue : EventBase { static constexpr const char* kName = "VerificationOverdue"; };

}  // namespace credflow::workflows::commitment
