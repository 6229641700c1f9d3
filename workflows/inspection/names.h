// The names of the random-inspection lifecycle (双随机、一公开) that other
// code compares against: the visit, its department tasks, outcomes, grounds,
// the subject record a visit keeps, and notices.
#pragma once

namespace credflow::workflows::inspection {

// One visit to one subject, drawn by a plan or opened on a complaint or a
// lead. Its policy: policies::kInspectionPolicyId.
inline constexpr const char* kWorkflowName = "inspection";
// One department's part of a visit (a child of the visit, in that
// department's inbox; only it records the result).
inline constexpr const char* kTaskWorkflowName = "inspection_task";

// Outcome codes of a visit and of a task.
inline constexpr const char* kPassed = "passed";
inline constexpr const char* kProblemsFound = "problems_found";

// Why a visit was opened: the cycle's plan, or a caseworker's request.
inline constexpr const char* kGroundsPlan = "plan";
inline constexpr const char* kGroundsComplaint = "complaint";
inline constexpr const char* kGroundsLead = "lead";
inline constexpr const char* kGroundsReferral = "referral";

// The subject record a visit keeps ("<case>:inspection"), status "open"
// until the visit concludes, then its outcome; data.cycle is the cycle it
// counts against ("无事不扰": max_per_cycle).
inline constexpr const char* kInspectionRecord = "inspection";
inline constexpr const char* kRecordOpen = "open";

// A plan's draw met data that changed since it was computed (a subject's
// grade, or an inspection opened meanwhile): the plan is drawn again.
inline constexpr const char* kPlanInputsChanged = "plan_inputs_changed";

// Notices.
inline constexpr const char* kTaskAssignedNotice = "inspection.task_assigned";
inline constexpr const char* kConcludedNotice = "inspection.concluded";

}  // namespace credflow::workflows::inspection
