// Actions of the subject lifecycle: imperatives. Each records the change in
// the case data (the subject as the office knows it) and emits the whole
// profile as a PutSubjectProfile effect, the projection guards and queries
// read. No I/O.
#pragma once

#include "workflows/common/machine_parts.h"
#include "workflows/subject/events.h"

namespace credflow::workflows::subject {

void RecordRegistrationOf(const EventBase& e, MachineBase& m);
void RecordGradeOf(const EventBase& e, MachineBase& m);
void RecordStatusOf(const EventBase& e, MachineBase& m);
void RecordNameOf(const EventBase& e, MachineBase& m);

// Records name, status and (if given) grade, and publishes the profile.
CREDFLOW_ACTION(RecordRegistration, RecordRegistrationOf);
// Records the grade with its date (the event's, else today), reason and
// source, and publishes the profile.
CREDFLOW_ACTION(RecordGrade, RecordGradeOf);
// Records the status (with its date and reason) and publishes the profile.
CREDFLOW_ACTION(RecordStatus, RecordStatusOf);
// Records the new name and publishes the profile.
CREDFLOW_ACTION(RecordName, RecordNameOf);

}  // namespace credflow::workflows::subject
