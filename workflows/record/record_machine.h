// The dishonesty-record lifecycle (失信信息) as a Boost.MSM transition table.
// A penalty, abnormal-list or serious-list record of a subject, made by its
// deciding department (认定单位), shown on 信用中国 or GSXT. Its publication
// window comes from the regime in force on its decision date (the pinned
// policy version of its platform's track): whether it is shown at all, from
// when it may be repaired, and when it stops by itself. A timer ends it at the
// maximum; a repair application's department task repairs it; a revoked
// repair shows it again.
// Rules: domain.md sections 0 and 6.2 (NDRC 527号, Order 58, 22号, Order 36;
// 市场监督管理行政处罚信息公示规定 arts 2, 13, 14; SAMR 2021 and 2025 rules).
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/record/actions.h"
#include "workflows/record/events.h"
#include "workflows/record/names.h"

namespace credflow::workflows::record {

// Opened; RecordDecided follows in the same transaction.
CREDFLOW_STATE(Recorded, engine::kOutcomePending);
// Never shown (e.g. a simple-procedure fine on GSXT). Still a record of the
// subject's conduct: obligations may be noted.
CREDFLOW_FINAL_STATE(NotPublished, kNotPublished);
// Shown on its platform.
CREDFLOW_STATE(Published, kPublished);
// Stopped at its maximum period, no application needed.
CREDFLOW_FINAL_STATE(Expired, kExpired);
// Repaired (信用修复): no longer shown. A revoked repair shows it again.
CREDFLOW_FINAL_STATE(Repaired, kRepaired);

struct RecordMachine : Machine<RecordMachine> {
  using initial_state = Recorded;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From          Event                   To            Action                    Guard
    //  +-------------+-----------------------+-------------+-------------------------+-------------------+
    Row < Recorded    , RecordDecided         , Published   , DecideRecordAction      , WindowPublished   >,
    Row < Recorded    , RecordDecided         , NotPublished, DecideRecordAction      , WindowNotPublished>,
    //  +-------------+-----------------------+-------------+-------------------------+-------------------+
    Row < Published   , ObligationsFulfilled  , Published   , RecordFulfilmentAction  , none              >,
    Row < Published   , RepairableFromReached , Published   , RemindRepairableAction  , none              >,
    Row < Published   , EscalationDue         , Published   , NotifyEscalationAction  , none              >,
    Row < Published   , PublicationPeriodEnded, Expired     , EndPublicationAction    , none              >,
    Row < Published   , RepairApproved        , Repaired    , MarkRepairedAction      , none              >,
    //  +-------------+-----------------------+-------------+-------------------------+-------------------+
    Row < NotPublished, ObligationsFulfilled  , NotPublished, RecordFulfilmentAction  , none              >,
    Row < Expired     , ObligationsFulfilled  , Expired     , RecordFulfilmentAction  , none              >,
    Row < Repaired    , RepairRevoked         , Published   , RestorePublicationAction, none              >
    //  +-------------+-----------------------+-------------+-------------------------+-------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::record
