// The 屡禁不止、屡罚不改 remediation ledger (专项治理台账) as a Boost.MSM
// transition table: one case per subject entry, opened by the ledger draw.
// Screened out (deregistered, revoked, bankrupt, long-term loss of contact);
// unreachable or not operating -> key supervision -> exit; operating ->
// reminder interview (提示约谈) -> warning interview (警示约谈) when there is
// no progress in time -> credit commitment -> supervised rectification ->
// closed (销号) once the subject no longer meets the entry rule (corrected,
// repaired where eligible, or no longer published). Rules: domain.md 5
// (2021 and 2023 rounds, V~); the interview grades, 销号 and the deadlines
// are project design (I), in policies/definitions/remediation-ledger.xml.
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/remediation_ledger/actions.h"
#include "workflows/remediation_ledger/events.h"
#include "workflows/remediation_ledger/names.h"

namespace credflow::workflows::remediation_ledger {

// Opened by the draw; LedgerDrawn follows in the same transaction.
CREDFLOW_STATE(Drawn, engine::kOutcomePending);
// Not taken into the ledger (deregistered, revoked, bankrupt, lost contact).
CREDFLOW_FINAL_STATE(ScreenedOut, kScreenedOut);
// Unreachable or no longer operating: key supervision until exit.
CREDFLOW_STATE(KeySupervision, kKeySupervision);
// Operating, in the ledger: the reminder interview is due.
CREDFLOW_STATE(InLedger, kInLedger);
// Interviewed: the credit commitment is awaited.
CREDFLOW_STATE(Interviewed, kInLedger);
// Committed: supervised rectification.
CREDFLOW_STATE(Rectifying, kInLedger);
// 销号: every ledger action done and the entry rule no longer met.
CREDFLOW_FINAL_STATE(Closed, kClosed);
// Left key supervision.
CREDFLOW_FINAL_STATE(Exited, kExited);

struct LedgerMachine : Machine<LedgerMachine> {
  using initial_state = Drawn;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From            Event                        To              Action                         Guard
    //  +---------------+----------------------------+---------------+------------------------------+---------------------+
    Row < Drawn         , LedgerDrawn                , ScreenedOut   , EnterLedgerAction            , ScreenedOutAtDraw   >,
    Row < Drawn         , LedgerDrawn                , KeySupervision, EnterLedgerAction            , KeySupervisionAtDraw>,
    Row < Drawn         , LedgerDrawn                , InLedger      , EnterLedgerAction            , OperatingAtDraw     >,
    //  +---------------+----------------------------+---------------+------------------------------+---------------------+
    Row < InLedger      , InterviewHeld              , Interviewed   , RecordInterviewAction        , none                >,
    Row < InLedger      , InterviewDeadlinePassed    , InLedger      , NoteInterviewOverdueAction   , none                >,
    Row < Interviewed   , InterviewHeld              , Interviewed   , RecordInterviewAction        , none                >,
    Row < Interviewed   , ProgressDeadlinePassed     , Interviewed   , RequireWarningInterviewAction, none                >,
    Row < Interviewed   , CommitmentSigned           , Rectifying    , StartRectificationAction     , none                >,
    Row < Rectifying    , RectificationDeadlinePassed, Interviewed   , RequireWarningInterviewAction, none                >,
    //  +---------------+----------------------------+---------------+------------------------------+---------------------+
    Row < InLedger      , ExitCriteriaMet            , Closed        , ExitLedgerAction             , none                >,
    Row < Interviewed   , ExitCriteriaMet            , Closed        , ExitLedgerAction             , none                >,
    Row < Rectifying    , ExitCriteriaMet            , Closed        , ExitLedgerAction             , none                >,
    Row < KeySupervision, ExitCriteriaMet            , Exited        , ExitLedgerAction             , none                >
    //  +---------------+----------------------------+---------------+------------------------------+---------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::remediation_ledger
