// Actions of the commitment-filing lifecycle: imperatives. They only read the
// context and append to the output (data, reason, effects); no I/O.
#pragma once

#include "workflows/commitment/events.h"
#include "workflows/common/machine_parts.h"

namespace credflow::workflows::commitment {

void NotifyApplicantOf(const EventBase& e, MachineBase& m);
void RecordOrdinaryProcedureFor(const EventBase& e, MachineBase& m);
void DecideOnCommitmentFor(const EventBase& e, MachineBase& m);
void PublishUndertakingFor(const EventBase& e, MachineBase& m);
void RecordWithdrawalOf(const EventBase& e, MachineBase& m);
void CloseAsFulfilledFor(const EventBase& e, MachineBase& m);
void CloseAsExemptedFor(const EventBase& e, MachineBase& m);
void OrderRectificationFor(const EventBase& e, MachineBase& m);
void RecordRevocationFor(const EventBase& e, MachineBase& m);
void RecordObjectionFor(const EventBase& e, MachineBase& m);
void OpenApplicationWindowFor(const EventBase& e, MachineBase& m);
void RecordLapseFor(const EventBase& e, MachineBase& m);

// Written notice of the item, its conditions, the power to verify and the
// liability for a false commitment (Shenzhen art 61).
CREDFLOW_ACTION(NotifyApplicant, NotifyApplicantOf);
// Records why the subject goes through ordinary procedure.
CREDFLOW_ACTION(RecordOrdinaryProcedure, RecordOrdinaryProcedureFor);
// Decides the matter on the commitment and hands it to verification: opens
// the verification case (a child), which holds the window. After a
// publication whose application has a window, only an application filed by
// its last day is taken (else application_window_passed, nothing written).
CREDFLOW_ACTION(DecideOnCommitment, DecideOnCommitmentFor);
// Starts the publication period of a declaration (timer).
CREDFLOW_ACTION(PublishUndertaking, PublishUndertakingFor);
// Records the withdrawal and cancels the pending timers.
CREDFLOW_ACTION(RecordWithdrawal, RecordWithdrawalOf);
// The commitment was found true (verified, or rectified in time).
CREDFLOW_ACTION(CloseAsFulfilled, CloseAsFulfilledFor);
// Not drawn for verification: closed as exempted, still visible.
CREDFLOW_ACTION(CloseAsExempted, CloseAsExemptedFor);
// The commitment was found untrue: opens false-commitment handling (a
// child), which orders rectification and suspends the matter.
CREDFLOW_ACTION(OrderRectification, OrderRectificationFor);
// Not rectified: the decision was revoked (and the false commitment recorded
// by the child).
CREDFLOW_ACTION(RecordRevocation, RecordRevocationFor);
// An objection during the publication: records who objected and why, ends
// the publication and sends the matter to ordinary procedure (reason
// objection_raised). No false-commitment record: the undertaking was not
// found untrue. Refused (publication_over) after the publication's last day.
CREDFLOW_ACTION(RecordObjection, RecordObjectionFor);
// The publication ended without objection: the window to file the
// application opens (a deadline, its last day moved off a rest day).
CREDFLOW_ACTION(OpenApplicationWindow, OpenApplicationWindowFor);
// No application within the window: the simplified route lapsed.
CREDFLOW_ACTION(RecordLapse, RecordLapseFor);

}  // namespace credflow::workflows::commitment
