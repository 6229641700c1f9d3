// The verification lifecycle (承诺核查) as a Boost.MSM transition table.
// Opened by the commitment case when the matter is decided on the
// commitment. Items whose rule verifies every commitment are scheduled at
// once; the others wait for the seeded plan, which selects by risk grade or
// exempts (exempted verifications close but stay visible). The window comes
// from the item's rule; a timer marks overdue verifications.
// Rules: Shenzhen Social Credit Regulation art 63, 司法部 2020 briefing;
// 国市监信发〔2022〕6号 (grades drive ratios); Weihai "无事不扰".
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/verification/actions.h"
#include "workflows/verification/events.h"
#include "workflows/verification/guards.h"
#include "workflows/verification/names.h"

namespace credflow::workflows::verification {

CREDFLOW_STATE(Opened, engine::kOutcomePending);
// Waiting for the next verification plan's draw.
CREDFLOW_STATE(AwaitingDraw, engine::kOutcomePending);
// To be verified within the window.
CREDFLOW_STATE(Scheduled, engine::kOutcomePending);
CREDFLOW_STATE(InProgress, engine::kOutcomePending);
CREDFLOW_FINAL_STATE(Exempted, kExempted);
CREDFLOW_FINAL_STATE(Conforming, kConforming);
CREDFLOW_FINAL_STATE(Nonconforming, kNonconforming);

struct VerificationMachine : Machine<VerificationMachine> {
  using initial_state = Opened;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From           Event                 To             Action                     Guard
    //  +--------------+---------------------+--------------+--------------------------+-------------------------+
    Row < Opened       , VerificationOpened  , Scheduled    , ScheduleVerification     , EveryCommitmentVerified >,
    Row < Opened       , VerificationOpened  , AwaitingDraw , AwaitDraw                , SamplingRequired        >,
    //  +--------------+---------------------+--------------+--------------------------+-------------------------+
    Row < AwaitingDraw , DrawMade            , Scheduled    , ScheduleDrawnVerification, DrawSelects             >,
    Row < AwaitingDraw , DrawMade            , Exempted     , RecordExemption          , DrawExempts             >,
    //  +--------------+---------------------+--------------+--------------------------+-------------------------+
    Row < Scheduled    , VerificationStarted , InProgress   , RecordStart              , none                    >,
    Row < Scheduled    , VerificationReported, Conforming   , RecordReport             , ReportConforming        >,
    Row < Scheduled    , VerificationReported, Nonconforming, RecordReport             , ReportNonconforming     >,
    Row < Scheduled    , VerificationOverdue , Scheduled    , MarkOverdue              , none                    >,
    //  +--------------+---------------------+--------------+--------------------------+-------------------------+
    Row < InProgress   , VerificationReported, Conforming   , RecordReport             , ReportConforming        >,
    Row < InProgress   , VerificationReported, Nonconforming, RecordReport             , ReportNonconforming     >,
    Row < InProgress   , VerificationOverdue , InProgress   , MarkOverdue              , none                    >
    //  +--------------+---------------------+--------------+--------------------------+-------------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::verification
