// A random inspection (双随机、一公开) visit as a Boost.MSM transition table:
// one subject, drawn by the cycle's plan (by risk grade, reproducibly) or
// opened on a complaint, a lead or a referral. The visit gives each
// department that inspects a task in its inbox (one department, or the
// departments of a joint inspection sharing one visit, 联合抽查), and
// concludes once every department has recorded its result.
// Rules: policies/definitions/inspection-plan.xml (国办发〔2015〕58号,
// 国发〔2019〕5号, 国市监信发〔2022〕6号; domain.md 4.1).
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/inspection/actions.h"
#include "workflows/inspection/events.h"
#include "workflows/inspection/names.h"

namespace credflow::workflows::inspection {

// Opened; InspectionPlanned or InspectionRequested follows in the same transaction.
CREDFLOW_STATE(Opened, engine::kOutcomePending);
// The departments inspect; each records its result on its task.
CREDFLOW_STATE(AwaitingResults, engine::kOutcomePending);
CREDFLOW_FINAL_STATE(Passed, kPassed);
CREDFLOW_FINAL_STATE(ProblemsFound, kProblemsFound);

struct InspectionMachine : Machine<InspectionMachine> {
  using initial_state = Opened;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From             Event                To               Action                  Guard
    //  +----------------+--------------------+----------------+-----------------------+----------------------------+
    Row < Opened         , InspectionPlanned  , AwaitingResults, DispatchPlannedVisit  , none                       >,
    Row < Opened         , InspectionRequested, AwaitingResults, DispatchRequestedVisit, none                       >,
    //  +----------------+--------------------+----------------+-----------------------+----------------------------+
    Row < AwaitingResults, ChildReachedOutcome, AwaitingResults, NoteDepartmentResult  , ResultsOutstanding         >,
    Row < AwaitingResults, ChildReachedOutcome, Passed         , ConcludeVisit         , EveryDepartmentPassed      >,
    Row < AwaitingResults, ChildReachedOutcome, ProblemsFound  , ConcludeVisit         , SomeDepartmentFoundProblems>
    //  +----------------+--------------------+----------------+-----------------------+----------------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::inspection
