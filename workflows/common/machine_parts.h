// The named parts of a credflow transition table, one macro each, so every
// lifecycle declares states, guards and actions the same way (and
// `workflow describe` can print their names):
//
//   CREDFLOW_STATE(Notified, "pending");          // a state and its outcome code
//   CREDFLOW_FINAL_STATE(Withdrawn, "withdrawn"); // a state where the matter is concluded
//   CREDFLOW_GUARD(SubjectEligible, IsSubjectEligible(m));   // e: event, m: machine
//   CREDFLOW_ACTION(NotifyApplicant, NotifyApplicantOf);     // void F(const EventBase&, MachineBase&)
//
// Guards and actions forward to plain functions (in the workflow's .cc), so
// the rules compile once and read as ordinary code. Events are declared with
// CREDFLOW_EVENT (workflows/common/machine_base.h).
#pragma once

#include <boost/msm/front/states.hpp>

#include "workflows/common/machine_base.h"

// A final state concludes the matter: a case in it is no longer open (it
// leaves every "open" list and inbox). It may still take events that amend
// the record without reopening the matter (a repaired credit record, a
// subject's new grade). Every state that takes no event at all must be final
// (tests/contract/workflow_table_test.cc checks it).
#define CREDFLOW_STATE_WITH_FINALITY(Name, Outcome, Final) \
  struct Name : ::boost::msm::front::state<> {             \
    static constexpr const char* kName = #Name;            \
    static constexpr const char* kOutcome = Outcome;       \
    static constexpr bool kFinal = Final;                  \
  }
#define CREDFLOW_STATE(Name, Outcome) CREDFLOW_STATE_WITH_FINALITY(Name, Outcome, false)
#define CREDFLOW_FINAL_STATE(Name, Outcome) CREDFLOW_STATE_WITH_FINALITY(Name, Outcome, true)

#define CREDFLOW_GUARD(Name, Expr)                                    \
  struct Name {                                                       \
    static constexpr const char* kName = #Name;                       \
    template <class Event, class Fsm, class Source, class Target>     \
    bool operator()(const Event& e, Fsm& m, Source&, Target&) const { \
      (void)e;                                                        \
      (void)m;                                                        \
      return Expr;                                                    \
    }                                                                 \
  }

#define CREDFLOW_ACTION(Name, Function)                               \
  struct Name {                                                       \
    static constexpr const char* kName = #Name;                       \
    template <class Event, class Fsm, class Source, class Target>     \
    void operator()(const Event& e, Fsm& m, Source&, Target&) const { \
      Function(e, m);                                                 \
    }                                                                 \
  }
