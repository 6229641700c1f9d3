// Guards and actions of the repair application (repair_machine.h) and of its
// department tasks (task_machine.h).
#pragma once

#include "workflows/common/machine_parts.h"

namespace credflow::workflows::repair {

// What intake makes of an application as it stands (records and documents).
enum class IntakeVerdict {
  kNotAccepted,       // no record is repairable by application at all (out of scope)
  kRejected,          // none can succeed now (time grounds, conditions)
  kDocumentsMissing,  // some can, but documents are missing (一次性告知)
  kReadyForReview,    // tasks go to the departments
};
IntakeVerdict ClassifyIntake(const EventBase& e, const MachineBase& m);

// What the join makes of the tasks' outcomes delivered so far.
enum class JoinVerdict { kWaiting, kApproved, kPartiallyRepaired, kRejected };
JoinVerdict ClassifyJoin(const EventBase& e, const MachineBase& m);

// Application.
void RecordIntake(const EventBase& e, MachineBase& m);
void OpenTasks(const EventBase& e, MachineBase& m);
// RecordIntake, then OpenTasks.
void IntakeThenOpenTasks(const EventBase& e, MachineBase& m);
void NoteTaskOutcome(const EventBase& e, MachineBase& m);
void Conclude(const EventBase& e, MachineBase& m);
void RevokeRepair(const EventBase& e, MachineBase& m);

// Task.
void ArmDecisionDeadline(const EventBase& e, MachineBase& m);
bool DecisionIs(const EventBase& e, const char* decision);
void ApproveRecord(const EventBase& e, MachineBase& m);
void DenyRecord(const EventBase& e, MachineBase& m);
void ExtendDecision(const EventBase& e, MachineBase& m);
void FlagOverdue(const EventBase& e, MachineBase& m);

CREDFLOW_GUARD(NothingInScope, ClassifyIntake(e, m) == IntakeVerdict::kNotAccepted);
CREDFLOW_GUARD(NothingCanSucceed, ClassifyIntake(e, m) == IntakeVerdict::kRejected);
CREDFLOW_GUARD(DocumentsMissing, ClassifyIntake(e, m) == IntakeVerdict::kDocumentsMissing);
CREDFLOW_GUARD(ReadyForReview, ClassifyIntake(e, m) == IntakeVerdict::kReadyForReview);
CREDFLOW_GUARD(TasksPending, ClassifyJoin(e, m) == JoinVerdict::kWaiting);
CREDFLOW_GUARD(AllRecordsRepaired, ClassifyJoin(e, m) == JoinVerdict::kApproved);
CREDFLOW_GUARD(SomeRecordsRepaired, ClassifyJoin(e, m) == JoinVerdict::kPartiallyRepaired);
CREDFLOW_GUARD(NoRecordRepaired, ClassifyJoin(e, m) == JoinVerdict::kRejected);
CREDFLOW_GUARD(Approves, DecisionIs(e, "approve"));
CREDFLOW_GUARD(Denies, DecisionIs(e, "deny"));

CREDFLOW_ACTION(RecordIntakeAction, RecordIntake);
CREDFLOW_ACTION(IntakeAndOpenTasks, IntakeThenOpenTasks);
CREDFLOW_ACTION(NoteTaskOutcomeAction, NoteTaskOutcome);
CREDFLOW_ACTION(ConcludeAction, Conclude);
CREDFLOW_ACTION(RevokeRepairAction, RevokeRepair);
CREDFLOW_ACTION(ArmDecisionDeadlineAction, ArmDecisionDeadline);
CREDFLOW_ACTION(ApproveRecordAction, ApproveRecord);
CREDFLOW_ACTION(DenyRecordAction, DenyRecord);
CREDFLOW_ACTION(ExtendDecisionAction, ExtendDecision);
CREDFLOW_ACTION(FlagOverdueAction, FlagOverdue);

}  // namespace credflow::workflows::repair
