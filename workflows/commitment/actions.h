// Actions of the commitment-filing lifecycle: imperatives. They only read the
// context and append to the output (data, reason, effects); no I/O.
#pragma once

#include "workflows/commitment/events.h"

namespace credflow::workflows::commitment {

void NotifyApplicantOf(const EventBase& e, MachineBase& m);
void RecordOrdinaryProcedureFor(const EventBase& e, MachineBase& m);
void DecideOnCommitmentFor(const EventBase& e, MachineBase& m);
void PublishUndertakingFor(const EventBase& e, MachineBase& m);
void RecordWithdrawalOf(const EventBase& e, MachineBase& m);
void CloseVerificationFor(const EventBase& e, MachineBase& m);
void MarkVerificationOverdueFor(const EventBase& e, MachineBase& m);

#define CREDFLOW_ACTION(Name, Function)                                     \
  struct Name {                                                             \
    static constexpr const char* kName = #Name;                             \
    template <class Event, class Fsm, class Source, class Target>           \
    void operator()(const Event& e, Fsm& m, Source&, Target&) const {       \
      Function(e, m);                                                       \
    }                                                                       \
  }

// Written notice of the item, its conditions, the power to verify and the
// liability for a false commitment (Shenzhen art 61).
CREDFLOW_ACTION(NotifyApplicant, NotifyApplicantOf);
// Records why the subject goes through ordinary procedure.
CREDFLOW_ACTION(RecordOrdinaryProcedure, RecordOrdinaryProcedureFor);
// Decides the matter on the commitment and hands it to verification: the
// verification window is armed as a timer.
CREDFLOW_ACTION(DecideOnCommitment, DecideOnCommitmentFor);
// Starts the publication period of a declaration (timer).
CREDFLOW_ACTION(PublishUndertaking, PublishUndertakingFor);
// Records the withdrawal and cancels the pending timers.
CREDFLOW_ACTION(RecordWithdrawal, RecordWithdrawalOf);
// Records the verification result and disarms the window.
CREDFLOW_ACTION(CloseVerification, CloseVerificationFor);
// Flags the verification as overdue and tells the caseworker.
CREDFLOW_ACTION(MarkVerificationOverdue, MarkVerificationOverdueFor);

#undef CREDFLOW_ACTION

}  // namespace credflow::workflows::commitment
