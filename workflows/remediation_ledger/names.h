// The names of the 屡禁不止 remediation-ledger lifecycle (专项治理台账) that
// other code compares against.
#pragma once

namespace credflow::workflows::remediation_ledger {

inline constexpr const char* kWorkflowName = "remediation_ledger";

// Outcome codes (scenarios/FORMAT.md): also the status of the subject record
// an entry keeps, so that the subject's facts say whether it is in the ledger.
inline constexpr const char* kInLedger = "in_ledger";
inline constexpr const char* kScreenedOut = "screened_out";
inline constexpr const char* kKeySupervision = "key_supervision";
inline constexpr const char* kExited = "exited";  // from key supervision
inline constexpr const char* kClosed = "closed";  // 销号: every ledger action done

// Classifications at the draw.
inline constexpr const char* kOperating = "operating";

// The kind of subject record an entry keeps ("<case>:ledger").
inline constexpr const char* kLedgerRecord = "remediation_ledger";

// Interview grades (提示约谈, 警示约谈: project design, domain.md 5).
inline constexpr const char* kReminderInterview = "reminder";
inline constexpr const char* kWarningInterview = "warning";

// Timers.
inline constexpr const char* kInterviewTimer = "interview_due";
inline constexpr const char* kProgressTimer = "progress_due";
inline constexpr const char* kRectificationTimer = "rectification_due";

// Notices.
inline constexpr const char* kEnteredNotice = "ledger.entered";
inline constexpr const char* kInterviewOverdueNotice = "ledger.interview_overdue";
inline constexpr const char* kWarningDueNotice = "ledger.warning_interview_due";
inline constexpr const char* kExitNotice = "ledger.exit";

}  // namespace credflow::workflows::remediation_ledger
