// Rows: how each table's columns map to the engine's types. A Row holds one
// row's columns as the database sends them (text, integers), in the order of
// its k...Columns list; Bind() binds a Query's columns to it in that order,
// and To...() turns it into the engine's type, parsing timestamps, dates,
// roles and JSON. A corrupt value throws std::runtime_error (or JSON's
// parse_error), which the store reports as Internal.
//
// Why explicit binding and not soci::type_conversion<T>: SOCI maps a struct
// through soci::values, which binds a statement to a row it describes at run
// time and reads each field by column name through a type-checked holder.
// The store binds each statement once per connection, by position, to
// buffers the statement owns (prepared_statement.h), and copies rows out.
// type_conversion would instead bind a cached statement to one caller's
// object, and add per row a name lookup and a dynamic type check for every
// column. That type check follows each backend's own description of a
// column: SOCI's SQLite backend describes an expression without a declared
// type, such as COUNT(*), as text, where PostgreSQL says bigint. And the
// case-with-facts join returns three tables' columns under the same names
// (id, case_id, updated_at), which a by-name mapping cannot tell apart. The
// one value conversion that would fit, Timestamp <-> text, is a Query::Use
// overload one way and ParseTime the other, which names the column in its
// error. So rows are bound explicitly, by position.
//
// Threading: plain values; a Row belongs to the Query that fills it.
#pragma once

#include <soci/soci.h>

#include <array>
#include <string>

#include "adapters/store/prepared_statement.h"
#include "engine/case.h"
#include "engine/case_store.h"
#include "engine/user.h"

namespace credflow::adapters {

inline constexpr const char* kCaseColumns =
    "id, workflow, definition_version, subject, state, outcome, reason, version, policy_id, "
    "policy_version, policy_hash, data, parent_id, department, history_head, created_at, "
    "updated_at, closed";

// cases.overdue, the projection of data.overdue that the overdue query reads:
// 1 only for a JSON true.
int OverdueColumn(const engine::Json& data);

// "a, b, c" -> "x.a, x.b, x.c": a column list for a join.
std::string Qualified(const char* alias, const char* columns);

struct CaseRow {
  std::string id, workflow;
  int definition_version = 0;
  std::string subject, state, outcome, reason;
  long long version = 0;
  std::string policy_id, policy_version, policy_hash, data, parent_id, department, history_head, created_at, updated_at;
  int closed = 0;

  void Bind(Query& q) {
    q.Into(id)
        .Into(workflow)
        .Into(definition_version)
        .Into(subject)
        .Into(state)
        .Into(outcome)
        .Into(reason)
        .Into(version)
        .Into(policy_id)
        .Into(policy_version)
        .Into(policy_hash)
        .Into(data)
        .Into(parent_id)
        .Into(department)
        .Into(history_head)
        .Into(created_at)
        .Into(updated_at)
        .Into(closed);
  }
  engine::Case ToCase() const;
};

inline constexpr const char* kHistoryColumns =
    "case_id, seq, event, from_state, to_state, actor_user, actor_role, actor_department, at, "
    "payload, policy_id, policy_version, policy_hash, prev_hash, hash";

struct HistoryRow {
  std::string case_id;
  long long seq = 0;
  std::string event, from_state, to_state, actor_user, actor_role, actor_department, at, payload, policy_id,
      policy_version, policy_hash, prev_hash, hash;

  void Bind(Query& q) {
    q.Into(case_id)
        .Into(seq)
        .Into(event)
        .Into(from_state)
        .Into(to_state)
        .Into(actor_user)
        .Into(actor_role)
        .Into(actor_department)
        .Into(at)
        .Into(payload)
        .Into(policy_id)
        .Into(policy_version)
        .Into(policy_hash)
        .Into(prev_hash)
        .Into(hash);
  }
  engine::HistoryEvent ToEvent() const;
  // The event with its payload as stored, unparsed.
  engine::StoredEvent ToStoredEvent() const;

 private:
  engine::HistoryEvent WithoutPayload() const;  // every field but the payload
};

inline constexpr const char* kTimerColumns = "id, case_id, name, event, payload, due_on, fire_at, provisional";

struct TimerRow {
  std::string id, case_id, name, event, payload, due_on, fire_at;
  int provisional = 0;

  void Bind(Query& q) {
    q.Into(id).Into(case_id).Into(name).Into(event).Into(payload).Into(due_on).Into(fire_at).Into(provisional);
  }
  engine::Timer ToTimer() const;
};

inline constexpr const char* kRecordColumns = "id, subject, kind, status, case_id, data, created_at, updated_at";

struct RecordRow {
  std::string id, subject, kind, status, case_id, data, created_at, updated_at;
  // For BindNullable: one per column, in column order.
  std::array<soci::indicator, 8> ind{};

  void Bind(Query& q) {
    q.Into(id).Into(subject).Into(kind).Into(status).Into(case_id).Into(data).Into(created_at).Into(updated_at);
  }
  // For the record side of an outer join: present() tells whether there was one.
  void BindNullable(Query& q) {
    q.Into(id, ind[0])
        .Into(subject, ind[1])
        .Into(kind, ind[2])
        .Into(status, ind[3])
        .Into(case_id, ind[4])
        .Into(data, ind[5])
        .Into(created_at, ind[6])
        .Into(updated_at, ind[7]);
  }
  bool present() const { return ind[0] == soci::i_ok; }
  engine::SubjectRecord ToRecord() const;
};

inline constexpr const char* kProfileColumns =
    "code, name, status, grade, grade_set_on, grade_reason, grade_source, case_id, updated_at";

struct ProfileRow {
  std::string code, name, status, grade, grade_set_on, grade_reason, grade_source, case_id, updated_at;
  soci::indicator grade_set_on_ind = soci::i_null;
  // For BindNullable: the other columns', in column order.
  std::array<soci::indicator, 8> ind{};

  void Bind(Query& q) {
    q.Into(code)
        .Into(name)
        .Into(status)
        .Into(grade)
        .Into(grade_set_on, grade_set_on_ind)
        .Into(grade_reason)
        .Into(grade_source)
        .Into(case_id)
        .Into(updated_at);
  }
  // For the subject side of an outer join: present() tells whether there was one.
  void BindNullable(Query& q) {
    q.Into(code, ind[0])
        .Into(name, ind[1])
        .Into(status, ind[2])
        .Into(grade, ind[3])
        .Into(grade_set_on, grade_set_on_ind)
        .Into(grade_reason, ind[4])
        .Into(grade_source, ind[5])
        .Into(case_id, ind[6])
        .Into(updated_at, ind[7]);
  }
  bool present() const { return ind[0] == soci::i_ok; }
  engine::SubjectProfile ToProfile() const;
};

inline constexpr const char* kUserColumns = "name, role, department, token_hash, disabled, created_at, password_hash";

struct UserRow {
  std::string name, role, department, token_hash;
  int disabled = 0;
  std::string created_at, password_hash;

  void Bind(Query& q) {
    q.Into(name).Into(role).Into(department).Into(token_hash).Into(disabled).Into(created_at).Into(password_hash);
  }
  engine::User ToUser() const;
};

inline constexpr const char* kSessionColumns = "id_hash, user_name, created_at, last_seen, expires_at";

struct SessionRow {
  std::string id_hash, user_name, created_at, last_seen, expires_at;

  void Bind(Query& q) { q.Into(id_hash).Into(user_name).Into(created_at).Into(last_seen).Into(expires_at); }
  engine::Session ToSession() const;
};

inline constexpr const char* kNoticeColumns = "id, case_id, recipient, template_id, data, created_at";

struct NoticeRow {
  std::string id, case_id, recipient, template_id, data, created_at;

  void Bind(Query& q) { q.Into(id).Into(case_id).Into(recipient).Into(template_id).Into(data).Into(created_at); }
  engine::Notice ToNotice() const;
};

inline constexpr const char* kChildOutcomeColumns = "parent_id, child_id, child_workflow, outcome, at";

struct ChildOutcomeRow {
  std::string parent_id, child_id, child_workflow, outcome, at;

  void Bind(Query& q) { q.Into(parent_id).Into(child_id).Into(child_workflow).Into(outcome).Into(at); }
  engine::ChildOutcome ToOutcome() const;
};

inline constexpr const char* kResponseColumns = "key, request_hash, case_id, response";

struct ResponseRow {
  std::string key, request_hash, case_id, response;

  void Bind(Query& q) { q.Into(key).Into(request_hash).Into(case_id).Into(response); }
  engine::StoredResponse ToResponse() const;
};

inline constexpr const char* kDocumentNumberColumns =
    "case_id, kind, office, prefix, year, number, issued_on, issued_at";

struct DocumentNumberRow {
  std::string case_id, kind, office, prefix;
  int year = 0;
  long long number = 0;
  std::string issued_on, issued_at;

  void Bind(Query& q) {
    q.Into(case_id).Into(kind).Into(office).Into(prefix).Into(year).Into(number).Into(issued_on).Into(issued_at);
  }
  engine::DocumentNumber ToDocumentNumber() const;
};

}  // namespace credflow::adapters
