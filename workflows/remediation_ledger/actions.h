// Guards and actions of the remediation-ledger lifecycle (ledger_machine.h).
#pragma once

#include <string>

#include "workflows/common/machine_parts.h"

namespace credflow::workflows::remediation_ledger {

// How the draw classifies the subject, from its status and records under the
// pinned ledger policy: screened_out, key_supervision or operating.
std::string Classify(const MachineBase& m);

// Records the draw (rule, counts, classification, official) and the subject
// record; an operating subject gets its reminder-interview deadline.
void EnterLedger(const EventBase& e, MachineBase& m);
// Keeps the interview record; arms the progress deadline.
void RecordInterview(const EventBase& e, MachineBase& m);
// The reminder interview is overdue: notice to the official.
void NoteInterviewOverdue(const EventBase& e, MachineBase& m);
// No progress after the interview: a warning interview is due.
void RequireWarningInterview(const EventBase& e, MachineBase& m);
// The commitment is signed: supervised rectification with its deadline.
void StartRectification(const EventBase& e, MachineBase& m);
// The entry exits (closed, or exited from key supervision).
void ExitLedger(const EventBase& e, MachineBase& m);

CREDFLOW_GUARD(ScreenedOutAtDraw, Classify(m) == "screened_out");
CREDFLOW_GUARD(KeySupervisionAtDraw, Classify(m) == "key_supervision");
CREDFLOW_GUARD(OperatingAtDraw, Classify(m) == "operating");
CREDFLOW_ACTION(EnterLedgerAction, EnterLedger);
CREDFLOW_ACTION(RecordInterviewAction, RecordInterview);
CREDFLOW_ACTION(NoteInterviewOverdueAction, NoteInterviewOverdue);
CREDFLOW_ACTION(RequireWarningInterviewAction, RequireWarningInterview);
CREDFLOW_ACTION(StartRectificationAction, StartRectification);
CREDFLOW_ACTION(ExitLedgerAction, ExitLedger);

}  // namespace credflow::workflows::remediation_ledger
