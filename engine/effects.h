// Effects: what a transition wants done, returned as data by the workflow's
// actions and written by the engine in the same transaction as the new state
// (an outbox). Actions never do I/O themselves.
//
// Parent/child join. A child case that reaches an outcome does not touch its
// parent's row: the engine writes one ChildOutcome row for that child and one
// delivery timer on the parent, due at once. The scheduler then fires
// "ChildReachedOutcome" on the parent through the ordinary hot path, one
// delivery per transaction, retrying on a version conflict. Concurrent
// children therefore never contend for a shared join counter (the failure
// mode of parallel joins in Camunda and Flowable), and a join reads the
// durable per-child rows, not a counter.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/case.h"
#include "policies/policy.h"

namespace credflow::engine {

// Open a child case of `workflow` for `subject`, then fire `first_event` on it
// (if not empty) in the same transaction.
// Build one with OpenChild(...).
struct OpenChildCase {
  std::string workflow;
  std::string subject;  // empty: the parent's subject
  Json data = Json::object();
  std::string first_event;
  Json first_event_data = Json::object();
  std::string department;  // the department whose task the child is, if any

  // The first event the engine raises on the child, in the same transaction.
  OpenChildCase& ThenRaise(std::string event, Json event_data = Json::object()) {
    first_event = std::move(event);
    first_event_data = std::move(event_data);
    return *this;
  }
  // The department whose task the child is (only it may act on the child).
  OpenChildCase& AsTaskOf(std::string department_id) {
    department = std::move(department_id);
    return *this;
  }
};

// Arm (or re-arm) the case's timer `name`. It fires `event` at the start of
// the day after `due_on` unless `fire_on` says otherwise. A deadline timer
// (ArmDeadline) says how its day was counted, so that the engine can count
// it again when the calendar changes (engine/deadlines.h).
struct SetTimer {
  std::string name;
  std::string event;
  policies::Date due_on;
  std::optional<policies::Date> fire_on;
  Json payload = Json::object();
  bool provisional = false;  // due_on rests on a provisional calendar year
};

// A deadline as a workflow counted it: from `start` by `rule`, on the
// calendar `calendar_version` (`calendar_hash`); provisional when a day it
// depends on lies in a year whose State Council notice is not out yet.
struct Deadline {
  policies::Date start;
  policies::SourcedPeriod rule;
  policies::Date last;
  bool provisional = false;
  std::string calendar_version;
  std::string calendar_hash;
};

struct CancelTimer {
  std::string name;
};

// Create or update a record about a subject (id empty = create).
struct PutSubjectRecord {
  SubjectRecord record;
};

// Queue a notice in the outbox.
struct SendNotice {
  std::string recipient;  // applicant, caseworker, department:<id>
  std::string template_id;
  Json data = Json::object();
};

// Create or replace the subject's profile (the subject case's projection).
struct PutSubjectProfile {
  SubjectProfile profile;
};

// Raise `event` (declared System) on another, existing case. It is
// delivered as a child's outcome is: a delivery timer on the target, due at
// once, fired by the scheduler in a transaction of its own. So the raiser
// never writes the target's row, and many raisers (23 departments approving
// at once) never contend for it. One delivery per (raiser, event, target).
struct RaiseOnCase {
  std::string case_id;
  std::string event;
  Json data = Json::object();
};

using Effect =
    std::variant<OpenChildCase, SetTimer, CancelTimer, PutSubjectRecord, SendNotice, PutSubjectProfile, RaiseOnCase>;
using Effects = std::vector<Effect>;

// Named constructors: what an action says it wants done.
inline OpenChildCase OpenChild(std::string workflow, Json data) {
  OpenChildCase open;
  open.workflow = std::move(workflow);
  open.data = std::move(data);
  return open;
}
// Arms timer `name` to fire `event` at the start of the day after `due_on`.
inline SetTimer ArmTimer(std::string name, std::string event, policies::Date due_on) {
  return SetTimer{std::move(name), std::move(event), due_on, std::nullopt, Json::object()};
}
// Arms timer `name` to fire `event` at the start of the day after the
// deadline's last day. `field` names the member of the case data that shows
// the last day (empty when none); a recount updates it with the timer.
SetTimer ArmDeadline(std::string name, std::string event, const Deadline& deadline, std::string field);
inline CancelTimer DisarmTimer(std::string name) { return CancelTimer{std::move(name)}; }
inline SendNotice Notify(std::string recipient, std::string template_id, Json data) {
  return SendNotice{std::move(recipient), std::move(template_id), std::move(data)};
}
inline PutSubjectRecord RecordAboutSubject(SubjectRecord record) { return PutSubjectRecord{std::move(record)}; }
inline PutSubjectProfile PublishProfile(SubjectProfile profile) { return PutSubjectProfile{std::move(profile)}; }
inline RaiseOnCase RaiseOn(std::string case_id, std::string event, Json data = Json::object()) {
  return RaiseOnCase{std::move(case_id), std::move(event), std::move(data)};
}

// The event the engine fires on a parent when a child reaches an outcome.
inline constexpr const char* kChildReachedOutcomeEvent = "ChildReachedOutcome";

// Timers that deliver something (a child's outcome, an event raised by
// another case) rather than guard a deadline: their names start so.
inline constexpr const char* kChildDeliveryPrefix = "child:";
inline constexpr const char* kRaiseDeliveryPrefix = "raise:";
inline bool IsDeliveryTimer(const std::string& name) {
  return name.rfind(kChildDeliveryPrefix, 0) == 0 || name.rfind(kRaiseDeliveryPrefix, 0) == 0;
}

}  // namespace credflow::engine
