// Guards and actions of the inspection visit (inspection_machine.h) and of
// its department tasks (task_machine.h). They read the context and append to
// the output; no I/O.
#pragma once

#include "workflows/common/machine_parts.h"
#include "workflows/inspection/events.h"

namespace credflow::workflows::inspection {

// What the visit makes of its tasks' results delivered so far.
enum class JoinVerdict { kWaiting, kPassed, kProblemsFound };
JoinVerdict ClassifyJoin(const EventBase& e, const MachineBase& m);

// Visit.
void DispatchPlanned(const EventBase& e, MachineBase& m);
void DispatchRequested(const EventBase& e, MachineBase& m);
void NoteResult(const EventBase& e, MachineBase& m);
void Conclude(const EventBase& e, MachineBase& m);

// Task.
bool ResultIs(const EventBase& e, const char* result);
void NotifyDepartment(const EventBase& e, MachineBase& m);
void RecordResult(const EventBase& e, MachineBase& m);

// Every department has recorded its result: all passed...
CREDFLOW_GUARD(EveryDepartmentPassed, ClassifyJoin(e, m) == JoinVerdict::kPassed);
// ...or one found problems; until then the visit waits.
CREDFLOW_GUARD(SomeDepartmentFoundProblems, ClassifyJoin(e, m) == JoinVerdict::kProblemsFound);
CREDFLOW_GUARD(ResultsOutstanding, ClassifyJoin(e, m) == JoinVerdict::kWaiting);
// The result a department recorded; any other value satisfies neither.
CREDFLOW_GUARD(ResultPassed, ResultIs(e, "passed"));
CREDFLOW_GUARD(ResultProblemsFound, ResultIs(e, "problems_found"));

// Checks the plan's draw against the pinned policy and the subject's facts,
// keeps the visit's record and opens a task for each department inspecting.
CREDFLOW_ACTION(DispatchPlannedVisit, DispatchPlanned);
// Keeps the visit's record and opens a task for each department inspecting.
CREDFLOW_ACTION(DispatchRequestedVisit, DispatchRequested);
CREDFLOW_ACTION(NoteDepartmentResult, NoteResult);
// Gathers every department's result, closes the record, tells the caseworker.
CREDFLOW_ACTION(ConcludeVisit, Conclude);
CREDFLOW_ACTION(NotifyInspectingDepartment, NotifyDepartment);
CREDFLOW_ACTION(RecordInspectionResult, RecordResult);

}  // namespace credflow::workflows::inspection
