#include "adapters/store/rows.h"

#include "adapters/input/bounded_json.h"

#include <optional>
#include <stdexcept>

namespace credflow::adapters {

using engine::Case;
using engine::ChildOutcome;
using engine::HistoryEvent;
using engine::Json;
using engine::Notice;
using engine::Result;
using engine::StoredResponse;
using engine::SubjectProfile;
using engine::SubjectRecord;
using engine::Timer;
using engine::Timestamp;
using engine::User;

namespace {

Timestamp ParseTime(const std::string& text, const char* what) {
  Timestamp t{};
  if (!engine::ParseTimestamp(text, &t)) {
    throw std::runtime_error(std::string("corrupt timestamp in ") + what);
  }
  return t;
}

// Stored JSON was bounded when it came in (input::DecodeJson), but a row
// is read back with bounds too: someone who can write the tables must not
// be able to crash a reader with a document nested deep enough to exhaust
// the stack of nlohmann's recursive destructor and dump(). Stored documents
// wrap their inputs a few levels deep and may be large (a committed
// inspection plan's answer lists its draw), so only the depth is tight.
constexpr input::JsonLimits kStoredJsonLimits{/*max_depth=*/64, /*max_string_bytes=*/size_t{64} << 20,
                                              /*max_bytes=*/size_t{1} << 30};

Json ParseJson(const std::string& text) {
  Result<Json> json = input::DecodeJson(text, "a stored row", kStoredJsonLimits);
  if (!json.ok()) throw std::runtime_error("corrupt JSON (" + json.status().reason() + "): " + json.status().message());
  return *std::move(json);
}

}  // namespace

int OverdueColumn(const Json& data) {
  if (!data.is_object()) return 0;
  auto it = data.find("overdue");
  return it != data.end() && it->is_boolean() && it->get<bool>() ? 1 : 0;
}

std::string Qualified(const char* alias, const char* columns) {
  std::string out = std::string(alias) + ".";
  for (const char* p = columns; *p != '\0'; ++p) {
    out.push_back(*p);
    if (*p == ' ' && p != columns && p[-1] == ',') out += std::string(alias) + ".";
  }
  return out;
}

Case CaseRow::ToCase() const {
  Case c;
  c.id = id;
  c.workflow = workflow;
  c.definition_version = definition_version;
  c.subject = subject;
  c.state = state;
  c.outcome = outcome;
  c.reason = reason;
  c.version = version;
  c.policy = {policy_id, policy_version, policy_hash};
  c.data = ParseJson(data);
  c.parent_id = parent_id;
  c.department = department;
  c.history_head = history_head;
  c.created_at = ParseTime(created_at, "cases.created_at");
  c.updated_at = ParseTime(updated_at, "cases.updated_at");
  c.closed = closed != 0;
  return c;
}

HistoryEvent HistoryRow::ToEvent() const {
  HistoryEvent e = WithoutPayload();
  e.payload = ParseJson(payload);
  return e;
}

engine::StoredEvent HistoryRow::ToStoredEvent() const { return {WithoutPayload(), payload}; }

HistoryEvent HistoryRow::WithoutPayload() const {
  HistoryEvent e;
  e.case_id = case_id;
  e.seq = seq;
  e.event = event;
  e.from_state = from_state;
  e.to_state = to_state;
  e.actor = {actor_user, actor_role, actor_department};
  e.at = ParseTime(at, "history.at");
  e.policy = {policy_id, policy_version, policy_hash};
  e.prev_hash = prev_hash;
  e.hash = hash;
  return e;
}

Timer TimerRow::ToTimer() const {
  Timer t;
  t.id = id;
  t.case_id = case_id;
  t.name = name;
  t.event = event;
  t.payload = ParseJson(payload);
  std::optional<policies::Date> due = policies::Date::Parse(due_on);
  if (!due) throw std::runtime_error("corrupt date in timers.due_on");
  t.due_on = *due;
  t.fire_at = ParseTime(fire_at, "timers.fire_at");
  t.provisional = provisional != 0;
  return t;
}

SubjectRecord RecordRow::ToRecord() const {
  SubjectRecord r;
  r.id = id;
  r.subject = subject;
  r.kind = kind;
  r.status = status;
  r.case_id = case_id;
  r.data = ParseJson(data);
  r.created_at = ParseTime(created_at, "subject_records.created_at");
  r.updated_at = ParseTime(updated_at, "subject_records.updated_at");
  return r;
}

SubjectProfile ProfileRow::ToProfile() const {
  SubjectProfile p;
  p.code = code;
  p.name = name;
  p.status = status;
  p.grade = grade;
  if (grade_set_on_ind == soci::i_ok) {
    std::optional<policies::Date> d = policies::Date::Parse(grade_set_on);
    if (!d) throw std::runtime_error("corrupt date in subjects.grade_set_on");
    p.grade_set_on = *d;
  }
  p.grade_reason = grade_reason;
  p.grade_source = grade_source;
  p.case_id = case_id;
  p.updated_at = ParseTime(updated_at, "subjects.updated_at");
  return p;
}

User UserRow::ToUser() const {
  User u;
  u.name = name;
  std::optional<engine::Role> parsed = engine::ParseRole(role);
  if (!parsed) throw std::runtime_error("corrupt role in users.role");
  u.role = *parsed;
  u.department = department;
  u.token_hash = token_hash;
  u.disabled = disabled != 0;
  u.created_at = ParseTime(created_at, "users.created_at");
  u.password_hash = password_hash;
  return u;
}

engine::Session SessionRow::ToSession() const {
  engine::Session s;
  s.id_hash = id_hash;
  s.user = user_name;
  s.created_at = ParseTime(created_at, "sessions.created_at");
  s.last_seen = ParseTime(last_seen, "sessions.last_seen");
  s.expires_at = ParseTime(expires_at, "sessions.expires_at");
  return s;
}

Notice NoticeRow::ToNotice() const {
  Notice n;
  n.id = id;
  n.case_id = case_id;
  n.recipient = recipient;
  n.template_id = template_id;
  n.data = ParseJson(data);
  n.created_at = ParseTime(created_at, "notices.created_at");
  return n;
}

ChildOutcome ChildOutcomeRow::ToOutcome() const {
  ChildOutcome o;
  o.parent_id = parent_id;
  o.child_id = child_id;
  o.child_workflow = child_workflow;
  o.outcome = outcome;
  o.at = ParseTime(at, "child_outcomes.at");
  return o;
}

StoredResponse ResponseRow::ToResponse() const {
  StoredResponse r;
  r.key = key;
  r.request_hash = request_hash;
  r.case_id = case_id;
  r.response = ParseJson(response);
  return r;
}

engine::DocumentNumber DocumentNumberRow::ToDocumentNumber() const {
  engine::DocumentNumber d;
  d.case_id = case_id;
  d.kind = kind;
  d.office = office;
  d.prefix = prefix;
  d.year = year;
  d.number = number;
  std::optional<policies::Date> on = policies::Date::Parse(issued_on);
  if (!on) throw std::runtime_error("corrupt date in document_numbers.issued_on");
  d.issued_on = *on;
  d.issued_at = ParseTime(issued_at, "document_numbers.issued_at");
  return d;
}

}  // namespace credflow::adapters
