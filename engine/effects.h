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
#include <variant>
#include <vector>

#include "engine/case.h"

namespace credflow::engine {

// Open a child case of `workflow` for `subject`, then fire `first_event` on it
// (if not empty) in the same transaction.
struct OpenChildCase {
  std::string workflow;
  std::string subject;
  Json data = Json::object();
  std::string first_event;
  Json first_event_data = Json::object();
  std::string department;  // the department whose task the child is, if any
};

// Arm (or re-arm) the case's timer `name`. It fires `event` at the start of
// the day after `due_on` unless `fire_on` says otherwise.
struct SetTimer {
  std::string name;
  std::string event;
  policies::Date due_on;
  std::optional<policies::Date> fire_on;
  Json payload = Json::object();
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

using Effect = std::variant<OpenChildCase, SetTimer, CancelTimer, PutSubjectRecord, SendNotice, PutSubjectProfile>;
using Effects = std::vector<Effect>;

// The event the engine fires on a parent when a child reaches an outcome.
inline constexpr const char* kChildReachedOutcomeEvent = "ChildReachedOutcome";

}  // namespace credflow::engine
