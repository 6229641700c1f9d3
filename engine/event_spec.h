// EventSpec: a workflow event declared once. Its name, who may send it (its
// origin) and the schema of its data. The engine reads the declaration
// before any machine runs: it refuses, inside the transaction and before any
// write, an event sent through a channel its origin does not allow, a person
// whose role is not listed, and data that does not fit the schema.
//
// Schemas reuse the forms module: each scalar field is a
// forms::FieldDefinition, checked by forms::Validate, so an event's errors
// have the same per-field shape (field, code, message) as a form's. Two
// kinds of member go beyond a flat form: a nested form (the commitment
// letter, the verification report: checked against the form the workflow
// names for the event) and an object the engine builds itself (a child's
// data on a delivery).
//
// Immutable once built; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/status.h"
#include "forms/form.h"

namespace credflow::engine {

// Who may send an event.
enum class EventOrigin {
  kPerson,  // a user through the API or the CLI, if their role is listed
  kTimer,   // only the event's own timer, once it is due
  kSystem,  // only the engine: draws, child outcomes, deliveries, repairs decided elsewhere
};
// "person", "timer", "system".
const char* OriginName(EventOrigin origin);

// How an event reached the engine. Set by the engine's entry points, never
// by request data: CaseService::Fire is kPerson, the timer scheduler kTimer,
// and the engine's own use cases (child cases, the verification plan)
// kEngine.
enum class Channel { kPerson, kTimer, kEngine };

// A member of event data that is not a flat form field.
struct NestedMember {
  enum class Kind {
    kForm,    // an object checked against the event's form (WorkflowDefinition::FormFor)
    kObject,  // an object the engine builds (opaque to the schema)
  };
  std::string name;
  Kind kind = Kind::kForm;
  bool required = true;
};

struct EventSpec {
  std::string name;
  EventOrigin origin = EventOrigin::kPerson;
  // kPerson only: the roles (engine/user.h RoleName) that may send it.
  std::vector<std::string> roles;
  // The flat fields of the data, as a form (id = the event's name).
  forms::FormDefinition schema;
  std::vector<NestedMember> nested;
  // The engine loads the case's children into TransitionContext::children
  // (and records them in the history) before the machine sees this event.
  bool reads_children = false;
  std::string description;

  bool MaySend(const std::string& role) const;
};

// OK when `channel` may deliver an event of `spec` sent by `actor`:
//   kPerson: origin kPerson and the actor's role listed, else
//            PermissionDenied("timer_event" | "system_event" | "role_not_allowed");
//   kTimer:  origin kTimer or kSystem (a delivery rides on a timer);
//   kEngine: origin kPerson or kSystem; a timer event is
//            PermissionDenied("timer_event").
Status CheckChannel(const EventSpec& spec, Channel channel, const Actor& actor);

// Checks `data` against the schema: InvalidArgument("invalid_event_data")
// with one FieldError per offending or missing member. Nested forms are not
// checked here (see ValidateNestedForms).
Status ValidateEventData(const EventSpec& spec, const Json& data);

// The same check in one pass, its findings kept apart: `shape` (not an
// object, unknown members, wrong types, values out of bounds) and `missing`
// (required members absent). The executor reports shape, then checks the
// sender, then reports what is missing: malformed data is 422 whoever sends
// it, and an event that is not the sender's to send is 403 even without the
// members its timer or the engine would have supplied.
struct EventDataProblems {
  std::vector<FieldError> shape;
  std::vector<FieldError> missing;
};
EventDataProblems CheckEventData(const EventSpec& spec, const Json& data);
// InvalidArgument("invalid_event_data") naming `errors` in field order; OK
// when there are none.
Status EventDataStatus(const EventSpec& spec, std::vector<FieldError> errors);

// Builds EventSpecs in declarations (workflows/common/event_declaration.h):
//   Declare::Person({"caseworker", "admin"}).Optional("reason", forms::FieldType::kText)
class Declare {
 public:
  static Declare Person(std::vector<std::string> roles);
  // Declares the members every timer event carries: "timer" (its name) and
  // "due_on" (the last day of the deadline it guards).
  static Declare Timer();
  static Declare System();

  Declare& Required(std::string name, forms::FieldType type);
  Declare& Optional(std::string name, forms::FieldType type);
  // Constraints on the field declared last.
  Declare& Range(std::optional<double> min, std::optional<double> max);
  Declare& MaxLength(int code_points);
  Declare& Options(std::vector<std::string> values);
  // A nested form, checked against the event's form.
  Declare& Form(std::string name);
  // An object the engine builds.
  Declare& Object(std::string name, bool required);
  Declare& ReadsChildren();
  Declare& Describe(std::string text);

  // Completes the spec under `name`.
  EventSpec Named(std::string name) const;

 private:
  explicit Declare(EventOrigin origin) { spec_.origin = origin; }
  Declare& Add(std::string name, forms::FieldType type, bool required);

  EventSpec spec_;
};

}  // namespace credflow::engine
