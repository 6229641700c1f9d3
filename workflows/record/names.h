// The names of the dishonesty-record lifecycle (失信信息) that other code
// compares against: the workflow, its outcome codes, timers and the kind of
// subject record it keeps.
#pragma once

namespace credflow::workflows::record {

inline constexpr const char* kWorkflowName = "dishonesty_record";

// Outcome codes (scenarios/FORMAT.md: dishonesty record states).
inline constexpr const char* kNotPublished = "not_published";
inline constexpr const char* kPublished = "published";
inline constexpr const char* kRepaired = "repaired";
inline constexpr const char* kExpired = "expired";

// Timers.
inline constexpr const char* kPublicationEndTimer = "publication_end";
inline constexpr const char* kRepairableTimer = "repairable_from";
inline constexpr const char* kEscalationTimer = "escalation";

// The status of the record's subject record (engine::SubjectRecord): active
// while it is shown, then one of the outcomes above.
inline constexpr const char* kStatusActive = "active";

// Notices.
inline constexpr const char* kRepairNotice = "record.repair_notice";       // 两书同达
inline constexpr const char* kRepairableNotice = "record.repairable";      // 修复提醒
inline constexpr const char* kEscalationNotice = "record.escalation_due";  // abnormal list, 3 years
inline constexpr const char* kStopPublicationNotice = "record.stop_publication";
inline constexpr const char* kPublicationRestoredNotice = "record.publication_restored";
inline constexpr const char* kExpiredNotice = "record.expired";

}  // namespace credflow::workflows::record
