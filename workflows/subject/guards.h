// Guards of the subject lifecycle: yes/no questions about the event's data,
// answered against the pinned risk-classification policy. Each (state,
// event) has one row, so a guard that says no refuses the event as invalid
// data (InvalidArgument "invalid_event_data") and nothing changes.
#pragma once

#include "workflows/common/machine_parts.h"
#include "workflows/subject/events.h"

namespace credflow::workflows::subject {

bool IsRegistrationValid(const EventBase& e, const MachineBase& m);
bool IsGradeInPolicy(const EventBase& e, const MachineBase& m);
bool IsStatusInPolicy(const EventBase& e, const MachineBase& m);
bool IsNameGiven(const EventBase& e);

// A name, a status the policy lists, and either no grade or a valid grade
// (as GradeInPolicy).
CREDFLOW_GUARD(RegistrationValid, IsRegistrationValid(e, m));
// A grade the policy lists, a known grade source, and a grade date (if
// given) that is a real date not after today.
CREDFLOW_GUARD(GradeInPolicy, IsGradeInPolicy(e, m));
// A status the policy lists.
CREDFLOW_GUARD(StatusInPolicy, IsStatusInPolicy(e, m));
// A non-blank name.
CREDFLOW_GUARD(NameGiven, IsNameGiven(e));

}  // namespace credflow::workflows::subject
