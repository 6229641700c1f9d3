// The names of the coordinated-repair lifecycle (信用修复, "一次申请、一口受理、
// 部门协同、一次办成") that other code compares against: the application, its
// department tasks, outcome and reason codes, timers and notices.
#pragma once

namespace credflow::workflows::repair {

// One application at one window, naming one or more records.
inline constexpr const char* kWorkflowName = "repair";
// One record's decision by its deciding department (a child of the application).
inline constexpr const char* kTaskWorkflowName = "repair_task";

// Outcome codes of an application (scenarios/FORMAT.md).
inline constexpr const char* kApproved = "approved";
inline constexpr const char* kPartiallyRepaired = "partially_repaired";
inline constexpr const char* kRejected = "rejected";
inline constexpr const char* kNotAccepted = "not_accepted";
inline constexpr const char* kRevoked = "revoked";
// Outcome codes of a task.
inline constexpr const char* kTaskApproved = "approved";
inline constexpr const char* kTaskDenied = "denied";
inline constexpr const char* kTaskOverdue = "overdue";

// Reason codes (FORMAT.md and ours).
inline constexpr const char* kMinimumPeriodNotServed = "minimum_period_not_served";
inline constexpr const char* kDocumentsMissing = "documents_missing";
inline constexpr const char* kOutOfScope = "out_of_scope";
inline constexpr const char* kFalseMaterials = "false_materials";
inline constexpr const char* kAlreadyRepaired = "already_repaired";
inline constexpr const char* kNotShown = "record_not_shown";
inline constexpr const char* kDeniedByDepartment = "denied_by_department";
inline constexpr const char* kBankruptcyRepairNotAvailable = "bankruptcy_repair_not_available";

// Grounds of an application: the ordinary repair, or the temporary repair of
// a subject in bankruptcy reorganisation (a court ruling approved its plan).
inline constexpr const char* kOrdinaryGrounds = "ordinary";
inline constexpr const char* kBankruptcyGrounds = "bankruptcy_reorganisation";
// The document that shows a reorganisation plan approved by the court.
inline constexpr const char* kCourtRuling = "court_ruling";

// The subject record a revoked repair leaves (a new dishonesty record).
inline constexpr const char* kRepairRevokedRecord = "repair_revoked";
// The subject record an application keeps: status active while under
// review (its tasks with the departments), data.records the records it
// names. A second application for one of them is refused (409
// repair_pending) until this one is answered; then its status is the
// application's outcome (documents_missing while it waits for documents,
// which holds no record: the applicant may apply anew).
inline constexpr const char* kRepairApplicationRecord = "repair_application";
inline constexpr const char* kRepairPending = "repair_pending";

// Timers.
inline constexpr const char* kDecisionTimer = "decision_due";

// Notices.
inline constexpr const char* kDocumentsNotice = "repair.documents_missing";  // 一次性告知
inline constexpr const char* kResultNotice = "repair.result";                // the one answer
inline constexpr const char* kTaskAssignedNotice = "repair.task_assigned";
inline constexpr const char* kTaskOverdueNotice = "repair.task_overdue";
inline constexpr const char* kTaskExtendedNotice = "repair.task_extended";
inline constexpr const char* kRevokedNotice = "repair.revoked";

}  // namespace credflow::workflows::repair
