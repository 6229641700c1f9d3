// Who may change what, checked by the engine inside the transaction whatever
// an adapter checked before: an auditor changes nothing, and a department
// acts only on its own tasks. What an event's origin allows is checked
// beside it (engine/event_spec.h, CheckChannel).
#pragma once

#include <string>

#include "engine/case.h"
#include "engine/status.h"

namespace credflow::engine {

// OK when `actor` may change a case of `case_department` (`noun` + `name`
// name it in the message, built only on refusal: this runs on every event).
// PermissionDenied("read_only_role") for an auditor,
// PermissionDenied("other_department") for a department acting on a case
// that is not its task.
Status CheckActorMayAct(const Actor& actor, const std::string& case_department, const char* noun,
                        const std::string& name);

// The actor of everything the engine and its timers do.
Actor SystemActor();

}  // namespace credflow::engine
