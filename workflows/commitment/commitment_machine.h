// The commitment-filing lifecycle (信用承诺 / 告知承诺制) as a Boost.MSM
// transition table: catalogue check and eligibility, written notice, signing,
// decision on the commitment (at once, or after a declaration's publication
// period without objection and the application filed within its window),
// objection during publication, withdrawal before conclusion, hand-over to verification (a child
// case), and the outcome of false-commitment handling (another child).
// Rules: Shenzhen Social Credit Regulation arts 59-64,
// 国办发〔2020〕42号, 消防法 art 15, 市场主体登记管理条例 art 33.
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/commitment/actions.h"
#include "workflows/commitment/events.h"
#include "workflows/commitment/guards.h"
#include "workflows/commitment/names.h"
#include "workflows/common/machine_parts.h"

namespace credflow::workflows::commitment {

// The window checks the item against the catalogue and the subject's records.
CREDFLOW_STATE(CatalogueCheck, engine::kOutcomePending);
// Written notice given; waiting for the signed letter.
CREDFLOW_STATE(Notified, engine::kOutcomePending);
// A declaration published for objections (e.g. 20 d for simplified deregistration).
CREDFLOW_STATE(InPublication, engine::kOutcomePending);
// Published without objection; waiting for the application the undertaking
// was published for, within its window (市场主体登记管理条例 art 33: 20 d).
CREDFLOW_STATE(AwaitingApplication, engine::kOutcomePending);
// Decided on the commitment; its verification case is open.
CREDFLOW_STATE(UnderVerification, engine::kOutcomePending);
CREDFLOW_FINAL_STATE(Fulfilled, kFulfilled);
// Not drawn for verification; stays under routine supervision (Shenzhen art 63).
CREDFLOW_FINAL_STATE(Exempted, kExempted);
// Found untrue: rectification ordered, the matter suspended (Shenzhen art 64(2)).
CREDFLOW_STATE(RectificationOrdered, kRectificationOrdered);
// Not rectified: the decision revoked.
CREDFLOW_FINAL_STATE(Revoked, kRevoked);
CREDFLOW_FINAL_STATE(Withdrawn, kWithdrawn);
CREDFLOW_FINAL_STATE(OrdinaryProcedure, kOrdinaryProcedure);
// No application within the window: the simplified route lapsed.
CREDFLOW_FINAL_STATE(Lapsed, kLapsed);

struct CommitmentMachine : Machine<CommitmentMachine> {
  using initial_state = CatalogueCheck;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From               Event                 To                 Action                   Guard
    //  +------------------+---------------------+------------------+------------------------+----------------------+
    Row < CatalogueCheck   , CommitmentFiled     , Notified         , NotifyApplicant        , SubjectEligible      >,
    Row < CatalogueCheck   , CommitmentFiled     , OrdinaryProcedure, RecordOrdinaryProcedure, SubjectIneligible    >,
    //  +------------------+---------------------+------------------+------------------------+----------------------+
    Row < Notified         , LetterSigned        , UnderVerification, DecideOnCommitment     , DecidedOnSigning     >,
    Row < Notified         , LetterSigned        , InPublication    , PublishUndertaking     , PublicationRequired  >,
    Row < Notified         , CommitmentWithdrawn , Withdrawn        , RecordWithdrawal       , none                 >,
    //  +------------------+---------------------+------------------+------------------------+----------------------+
    Row < InPublication    , PublicationEnded    , AwaitingApplication, OpenApplicationWindow, none                 >,
    Row < InPublication    , ObjectionRaised     , OrdinaryProcedure, RecordObjection        , none                 >,
    Row < InPublication    , CommitmentWithdrawn , Withdrawn        , RecordWithdrawal       , none                 >,
    //  +------------------+---------------------+------------------+------------------------+----------------------+
    Row < AwaitingApplication, ApplicationFiled  , UnderVerification, DecideOnCommitment     , none                 >,
    Row < AwaitingApplication, ApplicationWindowExpired, Lapsed     , RecordLapse            , none                 >,
    Row < AwaitingApplication, CommitmentWithdrawn, Withdrawn       , RecordWithdrawal       , none                 >,
    //  +------------------+---------------------+------------------+------------------------+----------------------+
    Row < UnderVerification, ChildReachedOutcome , Fulfilled        , CloseAsFulfilled       , VerifiedConforming   >,
    Row < UnderVerification, ChildReachedOutcome , Exempted         , CloseAsExempted        , VerificationExempted >,
    Row < UnderVerification, ChildReachedOutcome , RectificationOrdered, OrderRectification  , VerifiedNonconforming>,
    //  +------------------+---------------------+------------------+------------------------+----------------------+
    Row < RectificationOrdered, ChildReachedOutcome, Fulfilled      , CloseAsFulfilled       , CommitmentRectified  >,
    Row < RectificationOrdered, ChildReachedOutcome, Revoked        , RecordRevocation       , DecisionRevoked      >
    //  +------------------+---------------------+------------------+------------------------+----------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::commitment
