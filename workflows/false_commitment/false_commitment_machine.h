// The false-commitment lifecycle (不实承诺处理) as a Boost.MSM transition
// table. Opened by the commitment case, as its child, when verification finds
// the commitment untrue: rectification is ordered within a deadline and the
// matter suspended; rectified in time, the matter resumes; deadline missed or
// rectification refused, the decision is revoked, the false commitment is
// recorded in the credit record (closing the commitment route) and penalty
// proceedings are handed to enforcement; a later credit repair marks the
// record repaired.
// Rules: Shenzhen Social Credit Regulation art 64(2),
// 国办发〔2020〕42号; art 59(4): the route stays closed until the record is
// repaired.
//
// No row has a guard: no (state, event) has competing rows, and the data an
// action needs (findings, a valid rectification period, a catalogue item) is
// checked by the action, which fails the transition with a reason code.
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/false_commitment/actions.h"
#include "workflows/false_commitment/events.h"
#include "workflows/false_commitment/names.h"

namespace credflow::workflows::false_commitment {

// Opened by the commitment case; NonconformityFound follows in the same
// transaction.
CREDFLOW_STATE(Opened, engine::kOutcomePending);
// Rectification ordered; the matter is suspended until the deadline.
CREDFLOW_STATE(RectificationOrdered, kRectificationOrdered);
// Rectified in time; the matter resumed.
CREDFLOW_FINAL_STATE(Rectified, kRectified);
// Decision revoked; false commitment recorded; penalty referred.
CREDFLOW_FINAL_STATE(Revoked, kRevoked);
// The false-commitment record was repaired.
CREDFLOW_FINAL_STATE(Repaired, kRepaired);

struct FalseCommitmentMachine : Machine<FalseCommitmentMachine> {
  using initial_state = Opened;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From                  Event                        To                    Action               Guard
    //  +---------------------+----------------------------+---------------------+--------------------+------+
    Row < Opened              , NonconformityFound         , RectificationOrdered, OrderRectification , none >,
    //  +---------------------+----------------------------+---------------------+--------------------+------+
    Row < RectificationOrdered, RectificationConfirmed     , Rectified           , RecordRectification, none >,
    Row < RectificationOrdered, RectificationDeadlinePassed, Revoked             , RevokeDecision     , none >,
    Row < RectificationOrdered, RectificationRefused       , Revoked             , RevokeDecision     , none >,
    //  +---------------------+----------------------------+---------------------+--------------------+------+
    Row < Revoked             , CreditRecordRepaired       , Repaired            , MarkRecordRepaired , none >
    //  +---------------------+----------------------------+---------------------+--------------------+------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::false_commitment
