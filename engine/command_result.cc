#include "engine/command_result.h"

#include "engine/json_fields.h"

namespace credflow::engine {

CommandResult CommandResult::Of(const Case& c) {
  return CommandResult{c.id, c.workflow, c.state, c.outcome, c.reason, c.version, false, {}};
}

Json CommandResult::ToJson() const {
  Json children = Json::array();
  for (const auto& [id, child_workflow] : opened) children.push_back({{"id", id}, {"workflow", child_workflow}});
  return Json{{"id", case_id},    {"workflow", workflow}, {"state", state},    {"outcome", outcome},
              {"reason", reason}, {"version", version},   {"opened", children}};
}

CommandResult CommandResult::FromJson(const Json& j) {
  CommandResult r;
  if (!j.is_object()) return r;
  r.case_id = TextOf(j, "id");
  r.workflow = TextOf(j, "workflow");
  r.state = TextOf(j, "state");
  r.outcome = TextOf(j, "outcome");
  r.reason = TextOf(j, "reason");
  if (auto v = j.find("version"); v != j.end() && v->is_number_integer()) r.version = v->get<int64_t>();
  if (auto o = j.find("opened"); o != j.end() && o->is_array()) {
    for (const Json& child : *o) {
      if (child.is_object()) r.opened.emplace_back(TextOf(child, "id"), TextOf(child, "workflow"));
    }
  }
  return r;
}

}  // namespace credflow::engine
