// Deadlines counted on a provisional calendar year, counted again when the
// year's State Council notice is loaded.
//
// A workflow arms a deadline timer with engine::ArmDeadline: the timer's
// payload says how its last day was counted (start, period, calendar) and
// which member of the case data shows it, and the timer row is flagged
// provisional when a day it depends on lies in a provisional year
// (policies/calendar.h). When the calendar changes, RecountProvisionalDeadlines
// counts each such deadline again:
//  - a last day that moves is a history event on its case
//    (DeadlineRecomputed: old and new day, both calendars), the case data
//    member is updated, the timer moves with it, and the caseworker (and the
//    case's department) get a notice;
//  - a last day that stays is simply no longer provisional (its timer row
//    says so; the case and its history are untouched).
// Each deadline is recounted in its own transaction, guarded by the case's
// version and the timer's id, so a deadline that fires or is re-armed
// meanwhile is left alone (counted again at the next run if still
// provisional). Running it twice changes nothing the second time.
//
// Audit replay re-runs a case's transitions on today's calendar, so the
// transition that armed the deadline replays with the recounted day; the
// DeadlineRecomputed event then sets the same day (engine/audit.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "engine/case_store.h"
#include "engine/effects.h"

namespace credflow::engine {

// The history event of a recount that moved a deadline. Not a workflow
// event: no person, timer or use case can send it.
inline constexpr const char* kDeadlineRecomputedEvent = "DeadlineRecomputed";

// {"deadline": {...}} of a deadline timer's payload; `field` may be empty.
Json DeadlinePayload(const Deadline& d, const std::string& field);
// The deadline a timer payload describes, or nullopt when it is not one.
std::optional<Deadline> DeadlineOf(const Json& timer_payload, std::string* field);

// Writes `last` into `data` at `field` (a JSON pointer, "/due_on"). Internal
// when the pointer is malformed or runs through a non-object.
Status SetDeadlineField(Json* data, const std::string& field, policies::Date last);

struct RecountReport {
  int64_t examined = 0;           // provisional deadlines looked at
  int64_t moved = 0;              // last day changed (a history event each)
  int64_t confirmed = 0;          // same last day, no longer provisional
  int64_t still_provisional = 0;  // still rests on a provisional year
  int64_t left = 0;               // fired, re-armed or failed meanwhile; see problems
  std::vector<std::string> problems;
};

// Counts every provisional deadline again on `rules.calendar` (provisional
// years allowed as the working-calendar policy in force today says). Fails
// only when the store cannot be read; a deadline that cannot be recounted is
// reported in `problems` and left as it was.
Result<RecountReport> RecountProvisionalDeadlines(CaseStore& store, const RuleBook& rules, const Clock& clock);

}  // namespace credflow::engine
