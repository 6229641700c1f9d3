#include "workflows/common/action_helpers.h"

#include <utility>

#include "engine/json_fields.h"

namespace credflow::workflows {

void Fail(MachineBase& m, engine::Status status) {
  if (!m.output->failure) m.output->failure = std::move(status);
}

std::string Today(const MachineBase& m) { return m.context->today.ToString(); }

std::string Text(const engine::Json& data, const char* key) { return engine::TextOf(data, key); }

std::optional<std::string> TextField(const engine::Json& data, const char* key) {
  if (!data.is_object()) return std::nullopt;
  const auto it = data.find(key);
  if (it == data.end() || it->is_null()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool Given(const engine::Json& data, const char* key) {
  if (!data.is_object()) return false;
  auto it = data.find(key);
  return it != data.end() && !it->is_null();
}

std::string Describe(const policies::Period& p) {
  return std::to_string(p.count) + " " + policies::Period::UnitName(p.unit);
}

std::optional<policies::Date> LastDayOrFail(MachineBase& m, policies::Date start, const policies::SourcedPeriod& rule,
                                            const std::string& what) {
  std::optional<policies::Date> last = m.context->calendar->LastDay(start, rule.period, rule.extend_over_rest_days);
  if (!last) {
    Fail(m, engine::Status::FailedPrecondition("calendar_unknown_year", "the working-day calendar has no data for " +
                                                                            what + " from " + start.ToString()));
  }
  return last;
}

}  // namespace credflow::workflows
