// Events of the commitment-filing lifecycle: past-tense facts.
#pragma once

#include "workflows/common/msm_workflow.h"

namespace credflow::workflows::commitment {

// The applicant asked for an item on the catalogue by commitment.
// data: {"commitment_type": "<id>"}
struct CommitmentFiled : EventBase {
  static constexpr const char* kName = "CommitmentFiled";
};
// The applicant signed the commitment letter. data: {"form": {...}}
struct LetterSigned : EventBase {
  static constexpr const char* kName = "LetterSigned";
};
// A declaration's publication period ended without objection (timer).
struct PublicationEnded : EventBase {
  static constexpr const char* kName = "PublicationEnded";
};
// The applicant withdrew before the matter was concluded (Shenzhen art 62).
struct CommitmentWithdrawn : EventBase {
  static constexpr const char* kName = "CommitmentWithdrawn";
};
// A child case (the verification, the false-commitment handling) reached an
// outcome. Delivered by the engine; data: {"child", "workflow", "outcome",
// "reason", "child_data"}.
struct ChildReachedOutcome : EventBase {
  static constexpr const char* kName = engine::kChildReachedOutcomeEvent;
};

}  // namespace credflow::workflows::commitment
