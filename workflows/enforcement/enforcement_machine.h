// The enforcement lifecycle (行政处罚裁量: 首违不罚、轻微免罚、信用+渐进式执法)
// as a Boost.MSM transition table. A violation is reported and triaged by the
// discretion table of the pinned policy (first match): no fault -> no penalty
// at once; harm actively reduced -> mitigated at once; a refused leniency ->
// ordinary penalty at once; a listed violation -> rectification ordered (or,
// with the 信用+ written commitment, the commitment taken) with a deadline;
// rectified in time -> the row's lenient outcome; the deadline passed ->
// ordinary penalty, and a missed commitment is a breach recorded against the
// subject (it closes the commitment route).
// Rules: 行政处罚法 (2021) arts 32, 33; 国市监法〔2025〕10号; Jiangsu 信用+
// (domain.md 4.2-4.4).
//
// The five ViolationReported rows compete; their guards are the five
// answers of one function (TriageRoute), so exactly one holds. A report the
// table cannot triage (an unknown violation) takes the ordinary-penalty row,
// whose action refuses it with the reason.
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/enforcement/actions.h"
#include "workflows/enforcement/events.h"
#include "workflows/enforcement/names.h"

namespace credflow::workflows::enforcement {

// Opened; ViolationReported follows in the same transaction.
CREDFLOW_STATE(Reported, engine::kOutcomePending);
// Rectification ordered within a deadline (首违不罚 / 轻微免罚: "及时改正").
CREDFLOW_STATE(RectificationOrdered, engine::kOutcomePending);
// The 信用+ written rectification commitment taken, with its deadline.
CREDFLOW_STATE(CommitmentGiven, engine::kOutcomePending);
// Not penalised; education recorded (art 33(3)).
CREDFLOW_FINAL_STATE(NoPenalty, kNoPenalty);
// A lighter or mitigated penalty (art 32).
CREDFLOW_FINAL_STATE(Mitigated, kMitigated);
// The ordinary procedure and discretion.
CREDFLOW_FINAL_STATE(OrdinaryPenalty, kOrdinaryPenalty);

struct EnforcementMachine : Machine<EnforcementMachine> {
  using initial_state = Reported;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From                  Event                        To                    Action                              Guard
    //  +---------------------+----------------------------+---------------------+-----------------------------------+---------------------------+
    Row < Reported            , ViolationReported          , NoPenalty           , DecideNow                         , NoPenaltyAtOnce           >,
    Row < Reported            , ViolationReported          , Mitigated           , DecideNow                         , MitigationAtOnce          >,
    Row < Reported            , ViolationReported          , OrdinaryPenalty     , DecideNow                         , OrdinaryPenaltyAtOnce     >,
    Row < Reported            , ViolationReported          , RectificationOrdered, OrderRectification                , RectificationFirst        >,
    Row < Reported            , ViolationReported          , CommitmentGiven     , AcceptCommitment                  , CommitmentFirst           >,
    //  +---------------------+----------------------------+---------------------+-----------------------------------+---------------------------+
    Row < RectificationOrdered, RectificationConfirmed     , NoPenalty           , DecideLeniency                    , LenientOutcomeIsNoPenalty >,
    Row < RectificationOrdered, RectificationConfirmed     , Mitigated           , DecideLeniency                    , LenientOutcomeIsMitigation>,
    Row < RectificationOrdered, RectificationDeadlinePassed, OrdinaryPenalty     , DecidePenaltyForMissedRectification, none                     >,
    //  +---------------------+----------------------------+---------------------+-----------------------------------+---------------------------+
    Row < CommitmentGiven     , RectificationConfirmed     , NoPenalty           , DecideLeniency                    , LenientOutcomeIsNoPenalty >,
    Row < CommitmentGiven     , RectificationConfirmed     , Mitigated           , DecideLeniency                    , LenientOutcomeIsMitigation>,
    Row < CommitmentGiven     , RectificationDeadlinePassed, OrdinaryPenalty     , RecordBreachAndDecidePenalty      , none                      >
    //  +---------------------+----------------------------+---------------------+-----------------------------------+---------------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::enforcement
