#include "engine/authorization.h"

namespace credflow::engine {

Status CheckActorMayAct(const Actor& actor, const std::string& case_department, const char* noun,
                        const std::string& name) {
  if (actor.role == "auditor") {
    return Status::PermissionDenied("read_only_role", "auditors read cases and change nothing");
  }
  if (actor.role == "department" && (actor.department.empty() || case_department != actor.department)) {
    return Status::PermissionDenied("other_department",
                                    noun + name + " is not a task of department '" + actor.department + "'");
  }
  return Status::Ok();
}

Actor SystemActor() { return Actor{"system", "system", ""}; }

}  // namespace credflow::engine
