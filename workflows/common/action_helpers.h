// The helpers every workflow's guards and actions share: reading case and
// event data without throwing, today's date, failing a transition with a
// reason, and period arithmetic that reports a calendar gap.
//
// Pure functions of their arguments; safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "engine/effects.h"
#include "engine/status.h"
#include "policies/policy.h"
#include "workflows/common/machine_base.h"

namespace credflow::workflows {

// Fails the transition with `status` (the first failure wins); nothing of
// it is written.
void Fail(MachineBase& m, engine::Status status);

// The office date of the transition, YYYY-MM-DD.
std::string Today(const MachineBase& m);

// The day a past act took place, at `key` of `data` (a date the event's
// schema has checked): today when absent; refused when after today or
// before the case was opened (a report cannot be dated later than it is
// made, nor before there was a case). Refusing fails the transition with
// InvalidArgument(`reason`) naming the field, and returns nullopt.
std::optional<policies::Date> PastDayOrFail(MachineBase& m, const engine::Json& data, const char* key,
                                            const char* reason);

// A string member, or "" when absent or of another type (never throws).
std::string Text(const engine::Json& data, const char* key);

// A string member: "" when absent or null, nullopt when present but not a
// string (such data is refused, never coerced).
std::optional<std::string> TextField(const engine::Json& data, const char* key);

// True when the member is present and not null.
bool Given(const engine::Json& data, const char* key);

// "30 working_days", "15 days".
std::string Describe(const policies::Period& p);

// The deadline of `rule` counted from `start` on the context's calendar,
// using provisional calendar years as far ahead as the working-calendar
// policy allows (then marked provisional); or nullopt after failing the
// transition with FailedPrecondition("calendar_unknown_year") naming `what`.
std::optional<engine::Deadline> LastDayOrFail(MachineBase& m, policies::Date start, const policies::SourcedPeriod& rule,
                                              const std::string& what);

// Arms deadline timer `timer` to send `event` after the deadline's last day,
// and writes the last day into the case data at `field` (a JSON pointer such
// as "/due_on"), where a recount of the deadline updates it.
void ScheduleDeadline(MachineBase& m, const char* timer, const char* event, const engine::Deadline& deadline,
                      const std::string& field);

}  // namespace credflow::workflows
