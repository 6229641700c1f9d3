// The repair application (信用修复申请) as a Boost.MSM transition table: one
// application at one window naming one or more dishonesty records
// ("一次申请、一口受理"). Intake answers at once what cannot succeed (time
// grounds and the conditions the engine can check, with the date from which
// it can), asks once for every missing document (一次性告知), and sends each
// remaining record to its deciding department as a task (谁认定、谁修复,
// "部门协同"). The application joins its tasks however and whenever they
// finish and gives the applicant one answer ("一次办成").
// Rules: domain.md sections 6.1-6.5.
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/repair/actions.h"
#include "workflows/repair/events.h"
#include "workflows/repair/names.h"

namespace credflow::workflows::repair {

// Opened; RepairApplied follows in the same transaction.
CREDFLOW_STATE(Received, engine::kOutcomePending);
// Some records can succeed but documents are missing; the applicant was told once.
CREDFLOW_STATE(DocumentsRequested, engine::kOutcomePending);
// The departments decide their tasks.
CREDFLOW_STATE(UnderReview, engine::kOutcomePending);
// Every record named was repaired.
CREDFLOW_FINAL_STATE(Approved, kApproved);
// Some were repaired, some not.
CREDFLOW_FINAL_STATE(PartiallyRepaired, kPartiallyRepaired);
// None was repaired (refused at intake or denied).
CREDFLOW_FINAL_STATE(Rejected, kRejected);
// No record named is repairable by application (it ends by itself).
CREDFLOW_FINAL_STATE(NotAccepted, kNotAccepted);
// The repair was undone (false materials).
CREDFLOW_FINAL_STATE(Revoked, kRevoked);

struct RepairMachine : Machine<RepairMachine> {
  using initial_state = Received;
  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From                Event                To                  Action                 Guard
    //  +-------------------+--------------------+-------------------+----------------------+--------------------+
    Row < Received          , RepairApplied      , NotAccepted       , RecordIntakeAction   , NothingInScope     >,
    Row < Received          , RepairApplied      , Rejected          , RecordIntakeAction   , NothingCanSucceed  >,
    Row < Received          , RepairApplied      , DocumentsRequested, RecordIntakeAction   , DocumentsMissing   >,
    Row < Received          , RepairApplied      , UnderReview       , IntakeAndOpenTasks   , ReadyForReview     >,
    //  +-------------------+--------------------+-------------------+----------------------+--------------------+
    Row < DocumentsRequested, DocumentsSupplied  , NotAccepted       , RecordIntakeAction   , NothingInScope     >,
    Row < DocumentsRequested, DocumentsSupplied  , Rejected          , RecordIntakeAction   , NothingCanSucceed  >,
    Row < DocumentsRequested, DocumentsSupplied  , DocumentsRequested, RecordIntakeAction   , DocumentsMissing   >,
    Row < DocumentsRequested, DocumentsSupplied  , UnderReview       , IntakeAndOpenTasks   , ReadyForReview     >,
    //  +-------------------+--------------------+-------------------+----------------------+--------------------+
    Row < UnderReview       , ChildReachedOutcome, UnderReview       , NoteTaskOutcomeAction, TasksPending       >,
    Row < UnderReview       , ChildReachedOutcome, Approved          , ConcludeAction       , AllRecordsRepaired >,
    Row < UnderReview       , ChildReachedOutcome, PartiallyRepaired , ConcludeAction       , SomeRecordsRepaired>,
    Row < UnderReview       , ChildReachedOutcome, Rejected          , ConcludeAction       , NoRecordRepaired   >,
    //  +-------------------+--------------------+-------------------+----------------------+--------------------+
    Row < Approved          , RepairRevoked      , Revoked           , RevokeRepairAction   , none               >,
    Row < PartiallyRepaired , RepairRevoked      , Revoked           , RevokeRepairAction   , none               >
    //  +-------------------+--------------------+-------------------+----------------------+--------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::repair
