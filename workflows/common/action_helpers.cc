#include "workflows/common/action_helpers.h"

#include <utility>

#include "engine/clock.h"
#include "engine/json_fields.h"
#include "policies/calendar_rules.h"

namespace credflow::workflows {

void Fail(MachineBase& m, engine::Status status) {
  if (!m.output->failure) m.output->failure = std::move(status);
}

std::string Today(const MachineBase& m) { return m.context->today.ToString(); }

std::optional<policies::Date> PastDayOrFail(MachineBase& m, const engine::Json& data, const char* key,
                                            const char* reason) {
  const policies::Date today = m.context->today;
  if (!Given(data, key)) return today;
  const std::string text = Text(data, key);
  const std::optional<policies::Date> day = policies::Date::Parse(text);
  const policies::Date opened = engine::OfficeDate(m.context->current->created_at);
  std::string code;
  std::string problem;
  if (!day) {
    code = "invalid_date";
    problem = std::string(key) + " must be a date (YYYY-MM-DD)";
  } else if (*day > today) {
    code = "in_future";
    problem = std::string(key) + " " + text + " is after today (" + today.ToString() + ")";
  } else if (*day < opened && m.context->current->created_at != engine::Timestamp{}) {
    code = "before_case";
    problem = std::string(key) + " " + text + " is before the case was opened (" + opened.ToString() + ")";
  }
  if (problem.empty()) return day;
  Fail(m, engine::Status::InvalidArgument(reason, problem, {{key, code, problem}}));
  return std::nullopt;
}

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

std::optional<engine::Deadline> LastDayOrFail(MachineBase& m, policies::Date start, const policies::SourcedPeriod& rule,
                                              const std::string& what) {
  const policies::WorkingCalendar& calendar = *m.context->calendar;
  const int through = policies::ProvisionalThroughYear(*m.context->policies, m.context->today);
  const std::optional<policies::CalendarDay> last =
      calendar.LastDay(start, rule.period, rule.extend_over_rest_days, through);
  if (!last) {
    Fail(m, engine::Status::FailedPrecondition(
                "calendar_unknown_year",
                "the working-day calendar has no data for " + what + " from " + start.ToString() +
                    (through == 0 ? std::string()
                                  : " (provisional years are counted up to " + std::to_string(through) + ")")));
    return std::nullopt;
  }
  return engine::Deadline{start, rule, last->date, last->provisional, calendar.version(), calendar.content_hash()};
}

void ScheduleDeadline(MachineBase& m, const char* timer, const char* event, const engine::Deadline& deadline,
                      const std::string& field) {
  m.output->data[engine::Json::json_pointer(field)] = deadline.last.ToString();
  m.output->effects.push_back(engine::ArmDeadline(timer, event, deadline, field));
}

}  // namespace credflow::workflows
