// Guards and actions of the enforcement lifecycle (enforcement_machine.h).
// Guards read the report, the subject's facts and the pinned decision table;
// actions only append to the output (data, reason, decision, effects).
#pragma once

#include "workflows/common/machine_parts.h"
#include "workflows/enforcement/events.h"

namespace credflow::workflows::enforcement {

// Where the decision table sends a report (ViolationReported's data), or,
// when the report cannot be triaged (an unknown violation, no table), the
// ordinary-penalty row, whose action then refuses it with the reason.
enum class Triaged { kNoPenalty, kMitigated, kOrdinaryPenalty, kRectificationOrdered, kCommitmentGiven };
Triaged TriageRoute(const EventBase& e, const MachineBase& m);
// The outcome the matched row gives a rectification in time (case data).
bool RectifiedToNoPenalty(const MachineBase& m);

// Decides the report at once by its row: the outcome, the reason a
// refused leniency carries, the row and every input in the case and its
// history, the violation finding about the subject, the decision notice and,
// with no penalty, the education notice (art 33(3)).
void DecideAtOnce(const EventBase& e, MachineBase& m);
// Orders rectification (or takes the 信用+ commitment) within the report's
// rectification_days, else the violation's default period: arms the
// "rectification_due" timer and records the row, the inputs and the finding.
void AwaitRectification(const EventBase& e, MachineBase& m);
// Rectified in time: the row's lenient outcome.
void DecideOnRectification(const EventBase& e, MachineBase& m);
// The period ended: the ordinary penalty (reason rectification_missed).
void DecideRectificationMissed(const EventBase& e, MachineBase& m);
// As DecideRectificationMissed, and the missed 信用+ commitment is recorded
// against the subject as a breach that closes the commitment route.
void RecordCommitmentBreach(const EventBase& e, MachineBase& m);

CREDFLOW_GUARD(NoPenaltyAtOnce, TriageRoute(e, m) == Triaged::kNoPenalty);
CREDFLOW_GUARD(MitigationAtOnce, TriageRoute(e, m) == Triaged::kMitigated);
CREDFLOW_GUARD(OrdinaryPenaltyAtOnce, TriageRoute(e, m) == Triaged::kOrdinaryPenalty);
CREDFLOW_GUARD(RectificationFirst, TriageRoute(e, m) == Triaged::kRectificationOrdered);
CREDFLOW_GUARD(CommitmentFirst, TriageRoute(e, m) == Triaged::kCommitmentGiven);
CREDFLOW_GUARD(LenientOutcomeIsNoPenalty, RectifiedToNoPenalty(m));
CREDFLOW_GUARD(LenientOutcomeIsMitigation, !RectifiedToNoPenalty(m));

CREDFLOW_ACTION(DecideNow, DecideAtOnce);
CREDFLOW_ACTION(OrderRectification, AwaitRectification);
CREDFLOW_ACTION(AcceptCommitment, AwaitRectification);
CREDFLOW_ACTION(DecideLeniency, DecideOnRectification);
CREDFLOW_ACTION(DecidePenaltyForMissedRectification, DecideRectificationMissed);
CREDFLOW_ACTION(RecordBreachAndDecidePenalty, RecordCommitmentBreach);

}  // namespace credflow::workflows::enforcement
