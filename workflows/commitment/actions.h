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

// Written notice of the item, its conditions, the power to verify and the
// liability for a false commitment (Shenzhen art 61).
CREDFLOW_ACTION(NotifyApplicant, NotifyApplicantOf);
// Records why the subject goes through ordinary procedure.
CREDFLOW_ACTION(RecordOrdinaryProcedure, RecordOrdinaryProcedureFor);
// Decides the matter on the commitment and hands it to verification: opens
// the verification case (a child), which holds the window.
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

}  // namespace credflow::workflows::commitment
