// The kinds of subject record (engine::SubjectRecord::kind) that guards of
// several workflows read, and the status of a record that still counts.
// Policies name these kinds in their rules (the commitment catalogue's
// blocks and exclusions); the workflows that write them use these names.
#pragma once

namespace credflow::workflows {

// An entry in the abnormal list (经营异常名录), written by the office that
// listed the subject.
inline constexpr const char* kAbnormalListRecord = "abnormal_list";
// An entry on the serious illegal and dishonest list (严重违法失信名单).
inline constexpr const char* kSeriousListRecord = "serious_list";
// A record counts while its status is active (engine::SubjectFacts::HasActive).
inline constexpr const char* kActiveRecord = "active";

}  // namespace credflow::workflows
