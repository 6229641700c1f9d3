// Events of the false-commitment lifecycle (不实承诺处理): past-tense facts.
#pragma once

#include "workflows/common/msm_workflow.h"

namespace credflow::workflows::false_commitment {

// Verification found the commitment untrue; the first event, fired by the
// commitment case when it opens this case. Its data may complete or override
// the opening data: {"findings"?, "rectification_days"?, "applicant_name"?}.
struct NonconformityFound : EventBase {
  static constexpr const char* kName = "NonconformityFound";
};
// The office confirmed that the applicant rectified within the deadline.
// data: {"note"?}
struct RectificationConfirmed : EventBase {
  static constexpr const char* kName = "RectificationConfirmed";
};
// The rectification deadline passed without rectification (timer
// "rectification_due"). data: {"timer", "due_on"}
struct RectificationDeadlinePassed : EventBase {
  static constexpr const char* kName = "RectificationDeadlinePassed";
};
// The applicant refused to rectify. data: {"reason"?}
struct RectificationRefused : EventBase {
  static constexpr const char* kName = "RectificationRefused";
};
// The false-commitment credit record was repaired (信用修复). data: {"repair_case"?}
struct CreditRecordRepaired : EventBase {
  static constexpr const char* kName = "CreditRecordRepaired";
};

}  // namespace credflow::workflows::false_commitment
