// Events of the verification lifecycle (承诺核查).
#pragma once

#include "workflows/common/msm_workflow.h"

namespace credflow::workflows::verification {

// The commitment was decided and handed over (opened by the commitment case).
// data: {"commitment_case", "commitment_type", "decided_on"}
struct VerificationOpened : EventBase {
  static constexpr const char* kName = "VerificationOpened";
};
// The verification plan drew this commitment (or exempted it).
// data: {"seed", "plan_date", "verified_in_cycle"}
struct DrawMade : EventBase {
  static constexpr const char* kName = "DrawMade";
};
// An inspector started the verification. data: {"inspector"?}
struct VerificationStarted : EventBase {
  static constexpr const char* kName = "VerificationStarted";
};
// The verification report was filed. data: {"form": {verification report}}
struct VerificationReported : EventBase {
  static constexpr const char* kName = "VerificationReported";
};
// The verification window closed with no report (timer).
struct VerificationOverdue : EventBase {
  static constexpr const char* kName = "VerificationOverdue";
};

}  // namespace credflow::workflows::verification
