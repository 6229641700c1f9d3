// A department task of a repair application (部门协同): one record, decided by
// the department that made it (谁认定、谁修复) within its regime's working-day
// limit (counted from acceptance, under the regime in force on that day),
// extendable where the rule allows, flagged and escalated when overdue and
// still decidable then. Approval repairs the record (raised on the record's
// own case); the outcome reaches the application through the join.
// Rules: domain.md section 6.5.
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/repair/actions.h"
#include "workflows/repair/events.h"
#include "workflows/repair/names.h"

namespace credflow::workflows::repair {

// Opened by the application; TaskAssigned follows in the same transaction.
CREDFLOW_STATE(Assigned, engine::kOutcomePending);
// In the department's inbox, within its decision time.
CREDFLOW_STATE(InReview, engine::kOutcomePending);
// Past its decision time: flagged, escalated, still to be decided.
CREDFLOW_STATE(Overdue, kTaskOverdue);
CREDFLOW_FINAL_STATE(TaskApproved, kTaskApproved);
CREDFLOW_FINAL_STATE(TaskDenied, kTaskDenied);

struct TaskMachine : Machine<TaskMachine> {
  using initial_state = Assigned;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From      Event                   To            Action                     Guard
    //  +---------+-----------------------+-------------+--------------------------+--------+
    Row < Assigned, TaskAssigned          , InReview    , ArmDecisionDeadlineAction, none    >,
    //  +---------+-----------------------+-------------+--------------------------+--------+
    Row < InReview, TaskDecided           , TaskApproved, ApproveRecordAction      , Approves>,
    Row < InReview, TaskDecided           , TaskDenied  , DenyRecordAction         , Denies  >,
    Row < InReview, DecisionExtended      , InReview    , ExtendDecisionAction     , none    >,
    Row < InReview, DecisionDeadlinePassed, Overdue     , FlagOverdueAction        , none    >,
    //  +---------+-----------------------+-------------+--------------------------+--------+
    Row < Overdue , TaskDecided           , TaskApproved, ApproveRecordAction      , Approves>,
    Row < Overdue , TaskDecided           , TaskDenied  , DenyRecordAction         , Denies  >
    //  +---------+-----------------------+-------------+--------------------------+--------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::repair
