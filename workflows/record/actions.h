// Guards and actions of the dishonesty-record lifecycle (record_machine.h).
#pragma once

#include "workflows/common/machine_parts.h"

namespace credflow::workflows::record {

// The record's window under its pinned regime says it is shown.
bool IsPublished(const EventBase& e, const MachineBase& m);

// Derives the publication window from the record's facts and the pinned
// regime, writes the facts and the window into the case, the subject record,
// the timers (end, reminder, escalation) and the repair notice (两书同达).
void DecideRecord(const EventBase& e, MachineBase& m);
// Notes that the obligations were performed (a repair condition).
void RecordFulfilment(const EventBase& e, MachineBase& m);
// The maximum period ended: no longer shown.
void EndPublication(const EventBase& e, MachineBase& m);
// The minimum period is served: remind the subject (修复提醒).
void RemindRepairable(const EventBase& e, MachineBase& m);
// Still in the abnormal list after the escalation period: tell the department.
void NotifyEscalation(const EventBase& e, MachineBase& m);
// A department approved the repair: no longer shown; the platform must stop
// showing it within the regime's time.
void MarkRepaired(const EventBase& e, MachineBase& m);
// The repair was revoked: shown again until its maximum.
void RestorePublication(const EventBase& e, MachineBase& m);

CREDFLOW_GUARD(WindowPublished, IsPublished(e, m));
CREDFLOW_GUARD(WindowNotPublished, !IsPublished(e, m));
CREDFLOW_ACTION(DecideRecordAction, DecideRecord);
CREDFLOW_ACTION(RecordFulfilmentAction, RecordFulfilment);
CREDFLOW_ACTION(EndPublicationAction, EndPublication);
CREDFLOW_ACTION(RemindRepairableAction, RemindRepairable);
CREDFLOW_ACTION(NotifyEscalationAction, NotifyEscalation);
CREDFLOW_ACTION(MarkRepairedAction, MarkRepaired);
CREDFLOW_ACTION(RestorePublicationAction, RestorePublication);

}  // namespace credflow::workflows::record
