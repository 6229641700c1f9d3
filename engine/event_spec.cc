#include "engine/event_spec.h"

#include <algorithm>
#include <utility>

namespace credflow::engine {
namespace {

// Text in event data is bounded even where a declaration says nothing: a
// line of text, a longer note.
constexpr int kDefaultStringLength = 500;
constexpr int kDefaultTextLength = 4000;

const NestedMember* FindNested(const EventSpec& spec, const std::string& name) {
  for (const NestedMember& n : spec.nested) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

const forms::FieldDefinition* FindField(const EventSpec& spec, const std::string& name) {
  return spec.schema.FindField(name);
}

}  // namespace

const char* OriginName(EventOrigin origin) {
  switch (origin) {
    case EventOrigin::kPerson: return "person";
    case EventOrigin::kTimer: return "timer";
    case EventOrigin::kSystem: return "system";
  }
  return "person";
}

bool EventSpec::MaySend(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Status CheckChannel(const EventSpec& spec, Channel channel, const Actor& actor) {
  switch (channel) {
    case Channel::kPerson:
      if (spec.origin == EventOrigin::kTimer) {
        return Status::PermissionDenied("timer_event", spec.name +
                                                           " is fired by its timer when the deadline has passed, "
                                                           "never by a person");
      }
      if (spec.origin == EventOrigin::kSystem) {
        return Status::PermissionDenied("system_event",
                                        spec.name + " is raised by the engine itself, never by a person");
      }
      if (!spec.MaySend(actor.role)) {
        std::string roles;
        for (const std::string& r : spec.roles) roles += (roles.empty() ? "" : ", ") + r;
        return Status::PermissionDenied(
            "role_not_allowed", "role '" + actor.role + "' may not send " + spec.name + " (sent by: " + roles + ")");
      }
      return Status::Ok();
    case Channel::kTimer:
      if (spec.origin == EventOrigin::kPerson) {
        return Status::PermissionDenied("person_event", spec.name + " is sent by a person, not by a timer");
      }
      return Status::Ok();
    case Channel::kEngine:
      if (spec.origin == EventOrigin::kTimer) {
        return Status::PermissionDenied("timer_event", spec.name + " is fired only by its timer, when it is due");
      }
      return Status::Ok();
  }
  return Status::Internal("unknown channel");
}

EventDataProblems CheckEventData(const EventSpec& spec, const Json& data) {
  EventDataProblems problems;
  if (!data.is_object()) {
    problems.shape.push_back({"", "wrong_type", "event data must be a JSON object"});
    return problems;
  }
  // One pass: members a flat form holds become FormData, the rest are
  // checked as what they are declared to be.
  forms::FormData fields;
  for (auto it = data.begin(); it != data.end(); ++it) {
    const Json& v = *it;
    if (const NestedMember* nested = FindNested(spec, it.key())) {
      if (!v.is_object() && !(v.is_null() && !nested->required)) {
        problems.shape.push_back({it.key(), "wrong_type", it.key() + " must be a JSON object"});
      }
    } else if (v.is_null()) {
      fields[it.key()] = std::monostate{};
    } else if (v.is_boolean()) {
      fields[it.key()] = v.get<bool>();
    } else if (v.is_number_integer()) {
      fields[it.key()] = v.get<int64_t>();
    } else if (v.is_number()) {
      fields[it.key()] = v.get<double>();
    } else if (v.is_string()) {
      fields[it.key()] = v.get<std::string>();
    } else if (v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& item) { return item.is_string(); })) {
      fields[it.key()] = v.get<std::vector<std::string>>();
    } else {
      const bool declared = FindField(spec, it.key()) != nullptr;
      problems.shape.push_back(
          {it.key(), declared ? "wrong_type" : "unknown_field",
           it.key() + (declared ? " must be a value or a list of strings" : " is not a member of " + spec.name)});
    }
  }
  for (const NestedMember& nested : spec.nested) {
    if (!nested.required) continue;
    auto it = data.find(nested.name);
    if (it == data.end() || it->is_null()) {
      problems.missing.push_back({nested.name, "required", nested.name + " is required"});
    }
  }
  for (forms::FieldError& e : forms::Validate(spec.schema, fields)) {
    (e.code == "required" ? problems.missing : problems.shape)
        .push_back({std::move(e.field), std::move(e.code), std::move(e.message)});
  }
  return problems;
}

Status EventDataStatus(const EventSpec& spec, std::vector<FieldError> errors) {
  if (errors.empty()) return Status::Ok();
  std::sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) { return a.field < b.field; });
  std::string which;
  for (const FieldError& e : errors) which += (which.empty() ? "" : ", ") + e.field + " (" + e.code + ")";
  return Status::InvalidArgument("invalid_event_data", spec.name + " data do not fit its declaration: " + which,
                                 std::move(errors));
}

Status ValidateEventData(const EventSpec& spec, const Json& data) {
  EventDataProblems problems = CheckEventData(spec, data);
  problems.shape.insert(problems.shape.end(), problems.missing.begin(), problems.missing.end());
  return EventDataStatus(spec, std::move(problems.shape));
}

Declare Declare::Person(std::vector<std::string> roles) {
  Declare d(EventOrigin::kPerson);
  d.spec_.roles = std::move(roles);
  return d;
}

Declare Declare::Timer() {
  Declare d(EventOrigin::kTimer);
  d.Required("timer", forms::FieldType::kString).Required("due_on", forms::FieldType::kDate);
  return d;
}

Declare Declare::System() { return Declare(EventOrigin::kSystem); }

Declare& Declare::Add(std::string name, forms::FieldType type, bool required) {
  forms::FieldDefinition field;
  field.name = name;
  field.label = std::move(name);
  field.type = type;
  field.required = required;
  if (type == forms::FieldType::kString) field.max_length = kDefaultStringLength;
  if (type == forms::FieldType::kText) field.max_length = kDefaultTextLength;
  spec_.schema.fields.push_back(std::move(field));
  return *this;
}

Declare& Declare::Required(std::string name, forms::FieldType type) { return Add(std::move(name), type, true); }
Declare& Declare::Optional(std::string name, forms::FieldType type) { return Add(std::move(name), type, false); }

Declare& Declare::Range(std::optional<double> min, std::optional<double> max) {
  spec_.schema.fields.back().min = min;
  spec_.schema.fields.back().max = max;
  return *this;
}

Declare& Declare::MaxLength(int code_points) {
  spec_.schema.fields.back().max_length = code_points;
  return *this;
}

Declare& Declare::Options(std::vector<std::string> values) {
  for (std::string& v : values) spec_.schema.fields.back().options.push_back({v, v});
  return *this;
}

Declare& Declare::Form(std::string name) {
  spec_.nested.push_back({std::move(name), NestedMember::Kind::kForm, true});
  return *this;
}

Declare& Declare::Object(std::string name, bool required) {
  spec_.nested.push_back({std::move(name), NestedMember::Kind::kObject, required});
  return *this;
}

Declare& Declare::ReadsChildren() {
  spec_.reads_children = true;
  return *this;
}

Declare& Declare::Describe(std::string text) {
  spec_.description = std::move(text);
  return *this;
}

EventSpec Declare::Named(std::string name) const {
  EventSpec spec = spec_;
  spec.schema.id = name;
  spec.schema.title = name;
  spec.name = std::move(name);
  return spec;
}

}  // namespace credflow::engine
