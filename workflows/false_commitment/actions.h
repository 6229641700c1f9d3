// Actions of the false-commitment lifecycle: imperatives. They only read the
// context and append to the output (data, reason, effects); no I/O.
#pragma once

#include "workflows/common/machine_parts.h"
#include "workflows/false_commitment/events.h"

namespace credflow::workflows::false_commitment {

void OrderRectificationFor(const EventBase& e, MachineBase& m);
void RecordRectificationOf(const EventBase& e, MachineBase& m);
void RevokeDecisionFor(const EventBase& e, MachineBase& m);
void MarkRecordRepairedFor(const EventBase& e, MachineBase& m);

// Orders rectification within a deadline and suspends the matter (中止办理;
// Shenzhen art 64(2)): the deadline is the report's rectification_days, else
// the item's rectification period in the pinned verification policy; arms
// the "rectification_due" timer and sends the order to the applicant.
CREDFLOW_ACTION(OrderRectification, OrderRectificationFor);
// Records the rectification, disarms the deadline and resumes the matter.
CREDFLOW_ACTION(RecordRectification, RecordRectificationOf);
// Revokes the decision made on the commitment (deadline missed or
// rectification refused): records the false commitment against the subject
// (which closes the commitment route until repaired) and hands penalty
// proceedings to enforcement as a separate record.
CREDFLOW_ACTION(RevokeDecision, RevokeDecisionFor);
// Marks the false-commitment record repaired (same record id), which reopens
// the commitment route.
CREDFLOW_ACTION(MarkRecordRepaired, MarkRecordRepairedFor);

}  // namespace credflow::workflows::false_commitment
