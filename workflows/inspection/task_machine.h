// One department's part of an inspection visit: in that department's inbox
// until it records what it found (only that department may). Its outcome
// reaches the visit through the join.
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/inspection/actions.h"
#include "workflows/inspection/events.h"
#include "workflows/inspection/names.h"

namespace credflow::workflows::inspection {

// Opened by the visit; InspectionAssigned follows in the same transaction.
CREDFLOW_STATE(Assigned, engine::kOutcomePending);
// In the department's inbox, to be inspected by the end of the cycle.
CREDFLOW_STATE(ToInspect, engine::kOutcomePending);
CREDFLOW_FINAL_STATE(TaskPassed, kPassed);
CREDFLOW_FINAL_STATE(TaskProblemsFound, kProblemsFound);

struct InspectionTaskMachine : Machine<InspectionTaskMachine> {
  using initial_state = Assigned;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From       Event                     To                 Action                      Guard
    //  +----------+-------------------------+------------------+---------------------------+--------------------+
    Row < Assigned , InspectionAssigned      , ToInspect        , NotifyInspectingDepartment, none               >,
    //  +----------+-------------------------+------------------+---------------------------+--------------------+
    Row < ToInspect, InspectionResultRecorded, TaskPassed       , RecordInspectionResult    , ResultPassed       >,
    Row < ToInspect, InspectionResultRecorded, TaskProblemsFound, RecordInspectionResult    , ResultProblemsFound>
    //  +----------+-------------------------+------------------+---------------------------+--------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::inspection
