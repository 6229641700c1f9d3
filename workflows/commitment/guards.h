// Guards of the commitment-filing lifecycle: yes/no questions. Guards that
// compete for the same (state, event) are complements, so MSM's reverse-row
// evaluation order never matters.
#pragma once

#include "workflows/commitment/events.h"

namespace credflow::workflows::commitment {

bool IsSubjectEligible(const MachineBase& m);
bool IsDecidedOnSigning(const MachineBase& m);
bool IsResultConforming(const EventBase& e);
bool IsResultNonconforming(const EventBase& e);

#define CREDFLOW_GUARD(Name, Expr)                                          \
  struct Name {                                                             \
    static constexpr const char* kName = #Name;                             \
    template <class Event, class Fsm, class Source, class Target>           \
    bool operator()(const Event& e, Fsm& m, Source&, Target&) const {       \
      (void)e;                                                              \
      (void)m;                                                              \
      return Expr;                                                          \
    }                                                                       \
  }

// No active record of a kind the policy's eligibility blocks list.
CREDFLOW_GUARD(SubjectEligible, IsSubjectEligible(m));
CREDFLOW_GUARD(SubjectIneligible, !IsSubjectEligible(m));
// The catalogue decides this type when the letter is signed...
CREDFLOW_GUARD(DecidedOnSigning, IsDecidedOnSigning(m));
// ...or only after a publication period (e.g. simplified deregistration).
CREDFLOW_GUARD(PublicationRequired, !IsDecidedOnSigning(m));
CREDFLOW_GUARD(ResultConforming, IsResultConforming(e));
// The two results are exclusive; any other value satisfies neither guard and
// the event is refused as invalid data.
CREDFLOW_GUARD(ResultNonconforming, IsResultNonconforming(e));

#undef CREDFLOW_GUARD

}  // namespace credflow::workflows::commitment
