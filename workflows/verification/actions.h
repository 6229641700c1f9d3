// Actions of the verification lifecycle: they read the context and append to
// the output; no I/O.
#pragma once

#include "workflows/common/machine_parts.h"
#include "workflows/verification/events.h"

namespace credflow::workflows::verification {

void RecordHandOverOf(const EventBase& e, MachineBase& m);
void ScheduleVerificationFor(const EventBase& e, MachineBase& m);
void RecordDrawFor(const EventBase& e, MachineBase& m);
void RecordExemptionFor(const EventBase& e, MachineBase& m);
void RecordStartOf(const EventBase& e, MachineBase& m);
void RecordReportOf(const EventBase& e, MachineBase& m);
void MarkOverdueFor(const EventBase& e, MachineBase& m);

// Records the commitment handed over and arms the window (mode "all").
CREDFLOW_ACTION(ScheduleVerification, ScheduleVerificationFor);
// Records the commitment handed over; it waits for the next plan.
CREDFLOW_ACTION(AwaitDraw, RecordHandOverOf);
// Records the draw (seed, inputs, u) and arms the window.
CREDFLOW_ACTION(ScheduleDrawnVerification, RecordDrawFor);
// Records the draw and why the commitment is exempted (stays visible).
CREDFLOW_ACTION(RecordExemption, RecordExemptionFor);
CREDFLOW_ACTION(RecordStart, RecordStartOf);
// Records the report and disarms the window.
CREDFLOW_ACTION(RecordReport, RecordReportOf);
// Flags the verification overdue and tells the caseworker.
CREDFLOW_ACTION(MarkOverdue, MarkOverdueFor);

}  // namespace credflow::workflows::verification
