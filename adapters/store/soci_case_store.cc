#include "adapters/store/soci_case_store.h"

#include "adapters/store/dialect.h"
#include "adapters/store/fifo_mutex.h"
#include "adapters/store/prepared_statement.h"
#include "adapters/store/rows.h"
#include "adapters/store/store_errors.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

namespace credflow::adapters {

using engine::Case;
using engine::CaseQuery;
using engine::ChildOutcome;
using engine::HistoryEvent;
using engine::Json;
using engine::Notice;
using engine::Result;
using engine::Status;
using engine::StoredResponse;
using engine::SubjectFacts;
using engine::SubjectProfile;
using engine::SubjectQuery;
using engine::SubjectRecord;
using engine::Timer;
using engine::Timestamp;
using engine::User;

namespace {

// "a, b, c" -> "x.a, x.b, x.c".
std::string Qualified(const char* alias, const char* columns) {
  std::string out = std::string(alias) + ".";
  for (const char* p = columns; *p != '\0'; ++p) {
    out.push_back(*p);
    if (*p == ' ' && p != columns && p[-1] == ',') out += std::string(alias) + ".";
  }
  return out;
}

// A case with its subject's profile and records, in one statement: one row
// per record (at least one row, with NULL record columns when there is none).
std::string BuildCaseWithFactsSql(const Dialect& d) {
  return "SELECT " + Qualified("c", kCaseColumns) + ", " + Qualified("s", kProfileColumns) + ", " +
         Qualified("r", kRecordColumns) +
         " FROM cases c"
         " LEFT JOIN subjects s ON s.code = c.subject" +
         d.key_collate() +
         " LEFT JOIN subject_records r ON r.subject = c.subject"
         " WHERE c.id = :id ORDER BY r.created_at, r.id";
}

const std::string& CaseWithFactsSql(const Dialect& d) {
  static const std::string sqlite = BuildCaseWithFactsSql(DialectFor(StoreBackend::kSqlite));
  static const std::string postgresql = BuildCaseWithFactsSql(DialectFor(StoreBackend::kPostgresql));
  return d.backend() == StoreBackend::kSqlite ? sqlite : postgresql;
}

// Every statement of the store, on one connection. Throws what SOCI throws;
// the callers below catch at the edge.
class Statements {
 public:
  Statements(soci::session& sql, StatementCache& cache, const Dialect& dialect)
      : conn_{sql, cache, dialect}, dialect_(dialect) {}

  std::optional<Case> LoadCase(const std::string& id) {
    CaseRow row;
    Query q(conn_, std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = :id");
    row.Bind(q);
    q.Use(id).Start();
    if (!q.Next()) return std::nullopt;
    return row.ToCase();
  }

  // The case and, in `facts`, the facts about its subject: what LoadCase and
  // LoadSubjectFacts(case.subject) return, in one round trip.
  std::optional<Case> LoadCaseWithFacts(const std::string& id, SubjectFacts* facts) {
    CaseRow case_row;
    ProfileRow profile_row;
    RecordRow record_row;
    Query q(conn_, CaseWithFactsSql(dialect_));
    case_row.Bind(q);
    profile_row.BindNullable(q);
    record_row.BindNullable(q);
    q.Use(id).Start();
    if (!q.Next()) return std::nullopt;
    Case c = case_row.ToCase();
    facts->subject = c.subject;
    facts->records.clear();
    facts->profile.reset();
    if (profile_row.present()) facts->profile = profile_row.ToProfile();
    do {
      if (record_row.present()) facts->records.push_back(record_row.ToRecord());
    } while (q.Next());
    return c;
  }

  // False when the id is taken.
  bool InsertCase(const Case& c) {
    Query q(conn_, std::string("INSERT INTO cases (") + kCaseColumns +
                       ", overdue) VALUES (:id, :workflow, :definition_version, :subject, :state, "
                       ":outcome, :reason, :version, :policy_id, :policy_version, :policy_hash, "
                       ":data, :parent_id, :department, :history_head, :created_at, :updated_at, "
                       ":overdue) ON CONFLICT (id) DO NOTHING");
    q.Use(c.id)
        .Use(c.workflow)
        .Use(c.definition_version)
        .Use(c.subject)
        .Use(c.state)
        .Use(c.outcome)
        .Use(c.reason)
        .Use(static_cast<long long>(c.version))
        .Use(c.policy.id)
        .Use(c.policy.version)
        .Use(c.policy.content_hash)
        .Use(c.data)
        .Use(c.parent_id)
        .Use(c.department)
        .Use(c.history_head)
        .Use(c.created_at)
        .Use(c.updated_at)
        .Use(OverdueColumn(c.data));
    return q.Run() == 1;
  }

  // False when the stored version is not `expected_version` (or no such case).
  bool UpdateCase(const Case& c, int64_t expected_version) {
    Query q(conn_,
            "UPDATE cases SET workflow = :workflow, definition_version = :definition_version, "
            "subject = :subject, state = :state, outcome = :outcome, reason = :reason, "
            "version = :version, policy_id = :policy_id, policy_version = :policy_version, "
            "policy_hash = :policy_hash, data = :data, parent_id = :parent_id, "
            "department = :department, history_head = :history_head, "
            "created_at = :created_at, updated_at = :updated_at, overdue = :overdue "
            "WHERE id = :id AND version = :expected_version");
    q.Use(c.workflow)
        .Use(c.definition_version)
        .Use(c.subject)
        .Use(c.state)
        .Use(c.outcome)
        .Use(c.reason)
        .Use(static_cast<long long>(c.version))
        .Use(c.policy.id)
        .Use(c.policy.version)
        .Use(c.policy.content_hash)
        .Use(c.data)
        .Use(c.parent_id)
        .Use(c.department)
        .Use(c.history_head)
        .Use(c.created_at)
        .Use(c.updated_at)
        .Use(OverdueColumn(c.data))
        .Use(c.id)
        .Use(static_cast<long long>(expected_version));
    return q.Run() == 1;
  }

  // False when there is no such case.
  bool ReplaceCase(const Case& c) {
    Query q(conn_,
            "UPDATE cases SET workflow = :workflow, definition_version = :definition_version, "
            "subject = :subject, state = :state, outcome = :outcome, reason = :reason, "
            "version = :version, policy_id = :policy_id, policy_version = :policy_version, "
            "policy_hash = :policy_hash, data = :data, parent_id = :parent_id, "
            "department = :department, history_head = :history_head, "
            "created_at = :created_at, updated_at = :updated_at, overdue = :overdue "
            "WHERE id = :id");
    q.Use(c.workflow)
        .Use(c.definition_version)
        .Use(c.subject)
        .Use(c.state)
        .Use(c.outcome)
        .Use(c.reason)
        .Use(static_cast<long long>(c.version))
        .Use(c.policy.id)
        .Use(c.policy.version)
        .Use(c.policy.content_hash)
        .Use(c.data)
        .Use(c.parent_id)
        .Use(c.department)
        .Use(c.history_head)
        .Use(c.created_at)
        .Use(c.updated_at)
        .Use(OverdueColumn(c.data))
        .Use(c.id);
    return q.Run() == 1;
  }

  // The children of `parent_id` as a join reads them (cases_parent_id index).
  std::vector<engine::ChildCase> LoadChildren(const std::string& parent_id) {
    engine::ChildCase child;
    Query q(conn_,
            "SELECT id, workflow, state, outcome, reason, department FROM cases "
            "WHERE parent_id = :parent_id ORDER BY created_at, id");
    q.Into(child.id)
        .Into(child.workflow)
        .Into(child.state)
        .Into(child.outcome)
        .Into(child.reason)
        .Into(child.department);
    q.Use(parent_id).Start();
    std::vector<engine::ChildCase> out;
    while (q.Next()) out.push_back(child);
    return out;
  }

  // False when the seq is taken. Throws a constraint error for an unknown case.
  bool AppendHistory(const HistoryEvent& e) { return AppendHistoryRows(&e, 1); }

  // Appends `n` events in one multi-row INSERT (one round trip, one prepared
  // statement per row count); true when every row was new.
  bool AppendHistoryRows(const HistoryEvent* events, size_t n) {
    std::string text = std::string("INSERT INTO history (") + kHistoryColumns + ") VALUES ";
    for (size_t i = 0; i < n; ++i) {
      const std::string k = std::to_string(i);
      text += (i == 0 ? "(" : ", (");
      for (const char* column :
           {"case_id", "seq", "event", "from_state", "to_state", "actor_user", "actor_role", "actor_department", "at",
            "payload", "policy_id", "policy_version", "policy_hash", "prev_hash"}) {
        text += std::string(":") + column + k + ", ";
      }
      text += ":hash" + k + ")";
    }
    text += " ON CONFLICT (case_id, seq) DO NOTHING";
    Query q(conn_, text);
    for (size_t i = 0; i < n; ++i) {
      const HistoryEvent& e = events[i];
      q.Use(e.case_id)
          .Use(static_cast<long long>(e.seq))
          .Use(e.event)
          .Use(e.from_state)
          .Use(e.to_state)
          .Use(e.actor.user)
          .Use(e.actor.role)
          .Use(e.actor.department)
          .Use(e.at)
          .Use(e.payload)
          .Use(e.policy.id)
          .Use(e.policy.version)
          .Use(e.policy.content_hash)
          .Use(e.prev_hash)
          .Use(e.hash);
    }
    return q.Run() == static_cast<long long>(n);
  }

  // The new timer replaces any timer with the same id or the same case and name.
  void PutTimer(const Timer& t) {
    Query del(conn_, "DELETE FROM timers WHERE id = :id OR (case_id = :case_id AND name = :name)");
    del.Use(t.id).Use(t.case_id).Use(t.name).Run();
    Query ins(conn_, std::string("INSERT INTO timers (") + kTimerColumns +
                         ") VALUES (:id, :case_id, :name, :event, :payload, :due_on, :fire_at)");
    ins.Use(t.id).Use(t.case_id).Use(t.name).Use(t.event).Use(t.payload).Use(t.due_on.ToString()).Use(t.fire_at).Run();
  }

  void CancelTimer(const std::string& case_id, const std::string& name) {
    Query q(conn_, "DELETE FROM timers WHERE case_id = :case_id AND name = :name");
    q.Use(case_id).Use(name).Run();
  }

  std::optional<Timer> ClaimDueTimer(Timestamp now) {
    TimerRow row;
    Query q(conn_, std::string("SELECT ") + kTimerColumns +
                       " FROM timers WHERE fire_at <= :now ORDER BY fire_at, id LIMIT 1" + dialect_.claim_lock());
    row.Bind(q);
    q.Use(now).Start();
    if (!q.Next()) return std::nullopt;
    return row.ToTimer();
  }

  void DeleteTimer(const std::string& id) {
    Query q(conn_, "DELETE FROM timers WHERE id = :id");
    q.Use(id).Run();
  }

  SubjectFacts LoadSubjectFacts(const std::string& subject) {
    SubjectFacts facts;
    facts.subject = subject;
    RecordRow row;
    Query q(conn_, std::string("SELECT ") + kRecordColumns +
                       " FROM subject_records WHERE subject = :subject ORDER BY created_at, id");
    row.Bind(q);
    q.Use(subject).Start();
    while (q.Next()) facts.records.push_back(row.ToRecord());
    facts.profile = LoadSubjectProfile(subject);
    return facts;
  }

  std::optional<SubjectProfile> LoadSubjectProfile(const std::string& code) {
    ProfileRow row;
    Query q(conn_, std::string("SELECT ") + kProfileColumns + " FROM subjects WHERE code = :code");
    row.Bind(q);
    q.Use(code).Start();
    if (!q.Next()) return std::nullopt;
    return row.ToProfile();
  }

  void PutSubjectProfile(const SubjectProfile& p) {
    Query q(conn_, std::string("INSERT INTO subjects (") + kProfileColumns +
                       ") VALUES (:code, :name, :status, :grade, :grade_set_on, :grade_reason, "
                       ":grade_source, :case_id, :updated_at) ON CONFLICT (code) DO UPDATE SET "
                       "name = excluded.name, status = excluded.status, grade = excluded.grade, "
                       "grade_set_on = excluded.grade_set_on, "
                       "grade_reason = excluded.grade_reason, "
                       "grade_source = excluded.grade_source, case_id = excluded.case_id, "
                       "updated_at = excluded.updated_at");
    std::optional<std::string> set_on;
    if (p.grade_set_on) set_on = p.grade_set_on->ToString();
    q.Use(p.code)
        .Use(p.name)
        .Use(p.status)
        .Use(p.grade)
        .Use(std::move(set_on))
        .Use(p.grade_reason)
        .Use(p.grade_source)
        .Use(p.case_id)
        .Use(p.updated_at)
        .Run();
  }

  void PutSubjectRecord(const SubjectRecord& r) {
    Query q(conn_, std::string("INSERT INTO subject_records (") + kRecordColumns +
                       ") VALUES (:id, :subject, :kind, :status, :case_id, :data, :created_at, "
                       ":updated_at) ON CONFLICT (id) DO UPDATE SET subject = excluded.subject, "
                       "kind = excluded.kind, status = excluded.status, "
                       "case_id = excluded.case_id, data = excluded.data, "
                       "created_at = excluded.created_at, updated_at = excluded.updated_at");
    q.Use(r.id)
        .Use(r.subject)
        .Use(r.kind)
        .Use(r.status)
        .Use(r.case_id)
        .Use(r.data)
        .Use(r.created_at)
        .Use(r.updated_at)
        .Run();
  }

  void DeleteSubjectRecord(const std::string& id) {
    Query q(conn_, "DELETE FROM subject_records WHERE id = :id");
    q.Use(id).Run();
  }

  void DeleteSubjectProfile(const std::string& code) {
    Query q(conn_, "DELETE FROM subjects WHERE code = :code");
    q.Use(code).Run();
  }

  std::vector<SubjectRecord> ListSubjectRecords(const std::string& after_id, int limit) {
    RecordRow row;
    Query q(conn_, std::string("SELECT ") + kRecordColumns + " FROM subject_records WHERE id > :after_id" +
                       dialect_.key_collate() + " ORDER BY id" + dialect_.key_collate() + " LIMIT :limit");
    row.Bind(q);
    q.Use(after_id).Use(limit).Start();
    std::vector<SubjectRecord> out;
    while (q.Next()) out.push_back(row.ToRecord());
    return out;
  }

  // False when the id is taken.
  bool PutNotice(const Notice& n) {
    Query q(conn_,
            "INSERT INTO notices (id, case_id, recipient, template_id, data, created_at) "
            "VALUES (:id, :case_id, :recipient, :template_id, :data, :created_at) "
            "ON CONFLICT (id) DO NOTHING");
    q.Use(n.id).Use(n.case_id).Use(n.recipient).Use(n.template_id).Use(n.data).Use(n.created_at);
    return q.Run() == 1;
  }

  // False when (parent, child, outcome) is already recorded.
  bool PutChildOutcome(const ChildOutcome& o) {
    Query q(conn_,
            "INSERT INTO child_outcomes (parent_id, child_id, child_workflow, outcome, at) "
            "VALUES (:parent_id, :child_id, :child_workflow, :outcome, :at) "
            "ON CONFLICT (parent_id, child_id, outcome) DO NOTHING");
    q.Use(o.parent_id).Use(o.child_id).Use(o.child_workflow).Use(o.outcome).Use(o.at);
    return q.Run() == 1;
  }

  std::optional<StoredResponse> FindResponse(const std::string& key) {
    ResponseRow row;
    Query q(conn_, std::string("SELECT ") + kResponseColumns + " FROM idempotency WHERE key = :key");
    row.Bind(q);
    q.Use(key).Start();
    if (!q.Next()) return std::nullopt;
    return row.ToResponse();
  }

  // False when the key is taken.
  bool PutResponse(const StoredResponse& r, Timestamp now) {
    Query q(conn_,
            "INSERT INTO idempotency (key, request_hash, case_id, response, created_at) "
            "VALUES (:key, :request_hash, :case_id, :response, :created_at) "
            "ON CONFLICT (key) DO NOTHING");
    q.Use(r.key).Use(r.request_hash).Use(r.case_id).Use(r.response).Use(now);
    return q.Run() == 1;
  }

  // ---- reads outside transactions ----

  std::vector<Case> FindCases(const CaseQuery& query) {
    std::string text = std::string("SELECT ") + kCaseColumns + " FROM cases WHERE 1 = 1";
    // Only fixed SQL fragments are appended; every value is bound.
    std::vector<std::string> values;
    auto filter = [&](const std::string& value, const char* fragment) {
      if (value.empty()) return;
      text += fragment;
      values.push_back(value);
    };
    filter(query.workflow, " AND workflow = :workflow");
    filter(query.state, " AND state = :state");
    filter(query.subject, " AND subject = :subject");
    filter(query.parent_id, " AND parent_id = :parent_id");
    filter(query.department, " AND department = :department");
    if (query.open_only || query.overdue_on) text += " AND outcome = 'pending'";
    if (query.overdue_on) {
      // Flagged by the workflow, or holding a deadline that has passed.
      filter(query.overdue_on->ToString(),
             " AND (overdue = 1 OR id IN (SELECT case_id FROM timers"
             " WHERE due_on < :overdue_on))");
    }
    filter(query.after_id, " AND id > :after_id");
    text += " ORDER BY id LIMIT :limit";

    CaseRow row;
    Query q(conn_, text);
    row.Bind(q);
    for (std::string& v : values) q.Use(std::move(v));
    q.Use(query.limit).Start();
    std::vector<Case> out;
    while (q.Next()) out.push_back(row.ToCase());
    return out;
  }

  std::vector<SubjectProfile> ListSubjects(const SubjectQuery& query) {
    std::string text = std::string("SELECT ") + kProfileColumns + " FROM subjects WHERE 1 = 1";
    // Only fixed SQL fragments are appended; every value is bound.
    std::vector<std::string> values;
    auto filter = [&](const std::string& value, const char* fragment) {
      if (value.empty()) return;
      text += fragment;
      values.push_back(value);
    };
    filter(query.grade, " AND grade = :grade");
    filter(query.status, " AND status = :status");
    filter(query.after_code, " AND code > :after_code");
    text += " ORDER BY code LIMIT :limit";

    ProfileRow row;
    Query q(conn_, text);
    row.Bind(q);
    for (std::string& v : values) q.Use(std::move(v));
    q.Use(query.limit).Start();
    std::vector<SubjectProfile> out;
    while (q.Next()) out.push_back(row.ToProfile());
    return out;
  }

  std::vector<HistoryEvent> History(const std::string& case_id) {
    HistoryRow row;
    Query q(conn_, std::string("SELECT ") + kHistoryColumns + " FROM history WHERE case_id = :case_id ORDER BY seq");
    row.Bind(q);
    q.Use(case_id).Start();
    std::vector<HistoryEvent> out;
    while (q.Next()) out.push_back(row.ToEvent());
    return out;
  }

  std::vector<Timer> Timers(const std::string& case_id) {
    TimerRow row;
    Query q(conn_,
            std::string("SELECT ") + kTimerColumns + " FROM timers WHERE case_id = :case_id ORDER BY fire_at, id");
    row.Bind(q);
    q.Use(case_id).Start();
    std::vector<Timer> out;
    while (q.Next()) out.push_back(row.ToTimer());
    return out;
  }

  std::vector<ChildOutcome> ChildOutcomes(const std::string& parent_id) {
    ChildOutcomeRow row;
    Query q(conn_, std::string("SELECT ") + kChildOutcomeColumns +
                       " FROM child_outcomes WHERE parent_id = :parent_id ORDER BY at, child_id, outcome");
    row.Bind(q);
    q.Use(parent_id).Start();
    std::vector<ChildOutcome> out;
    while (q.Next()) out.push_back(row.ToOutcome());
    return out;
  }

  std::vector<Notice> Notices(const std::string& case_id) {
    NoticeRow row;
    Query q(conn_,
            std::string("SELECT ") + kNoticeColumns + " FROM notices WHERE case_id = :case_id ORDER BY created_at, id");
    row.Bind(q);
    q.Use(case_id).Start();
    std::vector<Notice> out;
    while (q.Next()) out.push_back(row.ToNotice());
    return out;
  }

  std::vector<std::string> CaseIds() {
    std::string id;
    Query q(conn_, "SELECT id FROM cases ORDER BY id");
    q.Into(id).Start();
    std::vector<std::string> out;
    while (q.Next()) out.push_back(id);
    return out;
  }

  int64_t CountDueTimers(Timestamp now) {
    long long count = 0;
    Query q(conn_, "SELECT COUNT(*) FROM timers WHERE fire_at <= :now");
    q.Into(count).Use(now).Start();
    if (!q.Next()) throw std::runtime_error("COUNT returned no row");
    return count;
  }

  void Ping() {
    int one = 0;
    Query q(conn_, "SELECT 1");
    q.Into(one).Start();
    if (!q.Next() || one != 1) throw std::runtime_error("SELECT 1 did not answer 1");
  }

  // ---- users ----

  // False when the name or the token hash is taken.
  bool InsertUser(const User& u) {
    Query q(conn_, std::string("INSERT INTO users (") + kUserColumns +
                       ") VALUES (:name, :role, :department, :token_hash, :disabled, "
                       ":created_at) ON CONFLICT DO NOTHING");
    q.Use(u.name)
        .Use(std::string(engine::RoleName(u.role)))
        .Use(u.department)
        .Use(u.token_hash)
        .Use(u.disabled ? 1 : 0)
        .Use(u.created_at);
    return q.Run() == 1;
  }

  bool UserExists(const std::string& name) {
    long long count = 0;
    Query q(conn_, "SELECT COUNT(*) FROM users WHERE name = :name");
    q.Into(count).Use(name).Start();
    return q.Next() && count > 0;
  }

  std::optional<User> FindUserByTokenHash(const std::string& token_hash) {
    UserRow row;
    Query q(conn_, std::string("SELECT ") + kUserColumns + " FROM users WHERE token_hash = :token_hash");
    row.Bind(q);
    q.Use(token_hash).Start();
    if (!q.Next()) return std::nullopt;
    return row.ToUser();
  }

  std::vector<User> Users() {
    UserRow row;
    Query q(conn_, std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name");
    row.Bind(q);
    q.Start();
    std::vector<User> out;
    while (q.Next()) out.push_back(row.ToUser());
    return out;
  }

  // False when there is no such user.
  bool SetUserDisabled(const std::string& name, bool disabled) {
    Query q(conn_, "UPDATE users SET disabled = :disabled WHERE name = :name");
    q.Use(disabled ? 1 : 0).Use(name);
    return q.Run() == 1;
  }

 private:
  Connection conn_;
  const Dialect& dialect_;
};

class SystemClockHolder {
 public:
  static const engine::Clock& Get() {
    static const engine::SystemClock clock;
    return clock;
  }
};

}  // namespace

// ---- ExecuteOnce -------------------------------------------------------------

Status ExecuteOnce(const std::string& url, const std::string& statement) {
  Result<StoreUrl> parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.status();
  std::unique_ptr<soci::session> sql;
  try {
    const Dialect& dialect = DialectFor(parsed->backend);
    sql = std::make_unique<soci::session>(dialect.factory(), parsed->connect_string);
  } catch (const std::exception& e) {
    spdlog::error("store: cannot connect to {}: {}", parsed->redacted, e.what());
    return Status::Unavailable("cannot connect to the store");
  }
  try {
    StoreOptions defaults;
    DialectFor(parsed->backend).SetUpSession(*sql, defaults);
    *sql << statement;
    return Status::Ok();
  } catch (const std::exception& e) {
    StoreErrorKind kind = ClassifyStoreError(e);
    LogStoreError(kind, "execute_once", e);
    return StoreErrorStatus(kind, "execute_once");
  }
}

// ---- SociCaseStore::Impl ----------------------------------------------------------

class SociCaseStore::Impl {
 public:
  Impl(StoreUrl url, StoreOptions options, std::size_t pool_size)
      : url_(std::move(url)),
        options_(options),
        dialect_(DialectFor(url_.backend)),
        pool_(pool_size),
        pool_size_(pool_size),
        suspect_(pool_size, 0),
        caches_(pool_size) {
    for (StatementCache& cache : caches_) cache.CountPreparesIn(&statements_prepared_);
  }

  // A pooled connection, given back on destruction.
  class Lease {
   public:
    Lease(Impl& impl, std::size_t pos) : impl_(&impl), pos_(pos) {}
    Lease(Lease&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)), pos_(other.pos_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (impl_ != nullptr) impl_->pool_.give_back(pos_);
    }
    soci::session& session() { return impl_->pool_.at(pos_); }
    // The slot's prepared statements; they belong to its current connection.
    StatementCache& cache() { return impl_->caches_[pos_]; }
    // After an error: check the connection before its next use.
    void MarkSuspect() { impl_->suspect_[pos_] = 1; }
    void ClearSuspect() { impl_->suspect_[pos_] = 0; }

   private:
    Impl* impl_;
    std::size_t pos_;
  };

  Status Connect() {
    for (std::size_t i = 0; i < pool_size_; ++i) {
      try {
        soci::session& sql = pool_.at(i);
        sql.open(dialect_.factory(), url_.connect_string);
        dialect_.SetUpSession(sql, options_);
      } catch (const std::exception& e) {
        StoreErrorKind kind = ClassifyStoreError(e);
        spdlog::error("store: cannot open {}: {}", url_.redacted, e.what());
        if (kind == StoreErrorKind::kInternal || kind == StoreErrorKind::kUnavailable) {
          return Status::Unavailable("cannot open the store at " + url_.redacted);
        }
        return StoreErrorStatus(kind, "open");
      }
    }
    return Status::Ok();
  }

  Result<Lease> Acquire(const char* operation) {
    std::size_t pos = 0;
    const auto timeout_ms = options_.acquire_timeout.count();
    const int timeout = timeout_ms > INT32_MAX ? INT32_MAX : static_cast<int>(timeout_ms);
    if (!pool_.try_lease(pos, timeout)) {
      spdlog::error("store: no free connection for {} within {} ms", operation, timeout);
      return Status::Unavailable(std::string("store busy in ") + operation);
    }
    Lease lease(*this, pos);
    if (suspect_[pos]) {
      soci::session& sql = lease.session();
      try {
        // A statement that failed may be left half-run (SOCI keeps per-run
        // state in it): start this connection again with none. The
        // connection is idle here, so this also works before a reconnect.
        DropStatements(lease);
        if (!sql.is_connected()) {
          spdlog::warn("store: reconnecting to {}", url_.redacted);
          sql.reconnect();
          dialect_.SetUpSession(sql, options_);
        }
        suspect_[pos] = 0;
      } catch (const std::exception& e) {
        spdlog::error("store: reconnect to {} failed: {}", url_.redacted, e.what());
        return Status::Unavailable(std::string("store unavailable in ") + operation);
      }
    }
    return lease;
  }

  // After a failed statement: when the connection itself is gone (a server
  // restart, a dropped idle connection), opens it again. True when it did, so
  // that work which cannot have changed anything may be retried once.
  bool Revive(Lease& lease) {
    soci::session& sql = lease.session();
    try {
      if (sql.is_connected()) return false;
      spdlog::warn("store: connection to {} lost; reconnecting", url_.redacted);
      // The prepared statements died with the connection; SOCI's statement
      // objects refer to it, so they must go before reconnect() replaces it.
      DropStatements(lease);
      sql.reconnect();
      dialect_.SetUpSession(sql, options_);
      lease.ClearSuspect();
      return true;
    } catch (const std::exception& e) {
      spdlog::error("store: reconnect to {} failed: {}", url_.redacted, e.what());
      lease.MarkSuspect();
      return false;
    }
  }

  // Empties the slot's statement cache (see Revive and Acquire).
  void DropStatements(Lease& lease) { lease.cache().Clear(); }

  // How many statements were prepared for the caches, on every slot, ever.
  uint64_t StatementsPrepared() const { return statements_prepared_.load(); }

  // Maps an exception caught while `lease` was in use.
  Status MapError(const std::exception& e, const std::string& operation, Lease& lease) {
    StoreErrorKind kind = ClassifyStoreError(e);
    lease.MarkSuspect();
    if (kind == StoreErrorKind::kInternal && url_.backend == StoreBackend::kPostgresql) {
      // A dropped connection often surfaces without a SQLSTATE.
      bool connected = true;
      try {
        connected = lease.session().is_connected();
      } catch (...) {
        connected = false;
      }
      if (!connected) kind = StoreErrorKind::kUnavailable;
    }
    LogStoreError(kind, operation, e);
    return StoreErrorStatus(kind, operation);
  }

  // Runs `body(Statements&)` on a leased connection, outside any transaction.
  template <typename R, typename Body>
  R Read(const char* operation, Body&& body) {
    Result<Lease> lease = Acquire(operation);
    if (!lease.ok()) return R(lease.status());
    for (int attempt = 0;; ++attempt) {
      try {
        Statements statements(lease->session(), lease->cache(), dialect_);
        return body(statements);
      } catch (const std::exception& e) {
        // A read changes nothing, so it may run again on a new connection.
        if (attempt == 0 && Revive(*lease)) continue;
        return R(MapError(e, operation, *lease));
      }
    }
  }

  Status RunInTransaction(const std::function<Status(engine::StoreTransaction&)>& fn);
  // Runs `body(Statements&)` in a write transaction of its own, for the
  // store's writes that are not the engine's (users). Errors map as in any
  // transaction.
  Status Write(const char* operation, const std::function<Status(Statements&)>& body);
  // What both run: `fn(SociTransaction&)` in one transaction (defined below,
  // with SociTransaction).
  template <typename Fn>
  Status RunTransaction(Fn&& fn);

  Status Migrate() {
    Result<Lease> lease = Acquire("migrate");
    if (!lease.ok()) return lease.status();
    try {
      const engine::Clock& clock = options_.clock != nullptr ? *options_.clock : SystemClockHolder::Get();
      MigrationOutcome outcome = ApplySchemaMigrations(lease->session(), url_.backend, clock);
      if (outcome.after > SchemaTargetVersion()) {
        spdlog::error("store: {} is at schema version {}, newer than this build's {}", url_.redacted, outcome.after,
                      SchemaTargetVersion());
        return Status::FailedPrecondition("schema_too_new",
                                          "the store's schema is version " + std::to_string(outcome.after) +
                                              ", newer than this build's " + std::to_string(SchemaTargetVersion()));
      }
      if (outcome.applied > 0) {
        spdlog::info("store: migrated {} from schema version {} to {}", url_.redacted, outcome.before, outcome.after);
      }
      return Status::Ok();
    } catch (const std::exception& e) {
      return MapError(e, "migrate", *lease);
    }
  }

  Status Execute(const std::string& statement) {
    Result<Lease> lease = Acquire("execute");
    if (!lease.ok()) return lease.status();
    try {
      lease->session() << statement;
      return Status::Ok();
    } catch (const std::exception& e) {
      return MapError(e, "execute", *lease);
    }
  }

  Result<std::vector<int>> ReadAppliedVersions() {
    Result<Lease> lease = Acquire("schema_version");
    if (!lease.ok()) return lease.status();
    try {
      return ReadAppliedSchemaVersions(lease->session(), url_.backend);
    } catch (const std::exception& e) {
      return MapError(e, "schema_version", *lease);
    }
  }

  const StoreUrl& url() const { return url_; }
  const Dialect& dialect() const { return dialect_; }
  const StoreOptions& options() const { return options_; }
  const engine::Clock& clock() const { return options_.clock != nullptr ? *options_.clock : SystemClockHolder::Get(); }

 private:
  StoreUrl url_;
  StoreOptions options_;
  const Dialect& dialect_;
  soci::connection_pool pool_;
  std::size_t pool_size_;
  // Per pool slot; only the thread holding the slot's lease touches it.
  std::vector<char> suspect_;
  // Per pool slot, like suspect_. Declared after pool_, so destroyed before
  // the connections its statements belong to.
  std::vector<StatementCache> caches_;
  std::atomic<uint64_t> statements_prepared_{0};

  // SQLite: one writer at a time in this process, so writers queue on a
  // lock instead of polling the file lock (busy_timeout still covers other
  // processes). First come, first served: see fifo_mutex.h.
  FifoMutex sqlite_writer_;
  std::atomic<std::thread::id> sqlite_writer_owner_{};
};

namespace {

// One transaction on one leased connection. A database error dooms it: the
// first such error is returned by every later call and by RunInTransaction.
class SociTransaction final : public engine::StoreTransaction {
 public:
  using Lease = SociCaseStore::Impl::Lease;

  SociTransaction(SociCaseStore::Impl& impl, Lease& lease)
      : impl_(impl), lease_(lease), statements_(lease.session(), lease.cache(), impl.dialect()) {}

  const Status& doom() const { return doom_; }

  // Runs `body` on this transaction's statements (Impl::Write).
  Status Write(const char* operation, const std::function<Status(Statements&)>& body) {
    return Guard<Status>(operation, [&]() { return body(statements_); });
  }

  // Loads the facts about the case's subject in the same statement: a
  // transition asks for them next (engine/case_service.cc), and this saves
  // it a round trip. LoadSubjectFacts hands them out once, unless a write to
  // records or profiles came in between.
  Result<Case> LoadCase(const std::string& id) override {
    return Guard<Result<Case>>("load_case", [&]() -> Result<Case> {
      prefetched_facts_.reset();
      SubjectFacts facts;
      std::optional<Case> c = statements_.LoadCaseWithFacts(id, &facts);
      if (!c) return Status::NotFound("case_not_found", "no case " + id);
      prefetched_facts_ = std::move(facts);
      return std::move(*c);
    });
  }

  Status InsertCase(const Case& c) override {
    return Guard<Status>("insert_case", [&]() {
      if (!statements_.InsertCase(c)) {
        return Status::AlreadyExists("case_exists", "case " + c.id + " already exists");
      }
      return Status::Ok();
    });
  }

  Status UpdateCase(const Case& c, int64_t expected_version) override {
    if (c.version <= expected_version) {
      return Status::Internal("update_case: the new version must be above expected_version");
    }
    return Guard<Status>("update_case", [&]() {
      if (!statements_.UpdateCase(c, expected_version)) {
        return Status::Conflict("version_mismatch",
                                "case " + c.id + " is not at version " + std::to_string(expected_version));
      }
      return Status::Ok();
    });
  }

  Status ReplaceCase(const Case& c) override {
    return Guard<Status>("replace_case", [&]() {
      if (!statements_.ReplaceCase(c)) return Status::NotFound("case_not_found", "no case " + c.id);
      return Status::Ok();
    });
  }

  Result<std::vector<engine::ChildCase>> LoadChildren(const std::string& parent_id) override {
    return Guard<Result<std::vector<engine::ChildCase>>>(
        "load_children", [&]() { return Result<std::vector<engine::ChildCase>>(statements_.LoadChildren(parent_id)); });
  }

  Status AppendHistory(const engine::HistoryEvent& e) override {
    // Sequence clashes are caught by ON CONFLICT; the one constraint left is
    // the reference to the case.
    return Guard<Status>(
        "append_history",
        [&]() {
          if (!statements_.AppendHistory(e)) {
            return Status::Conflict("history_seq_taken",
                                    "case " + e.case_id + " already has history event " + std::to_string(e.seq));
          }
          return Status::Ok();
        },
        Status::NotFound("case_not_found", "history for unknown case " + e.case_id));
  }

  // A command's history goes in multi-row INSERTs of at most
  // kHistoryRowsPerInsert rows (a filing: 5 rows, one round trip).
  Status AppendHistoryBatch(const std::vector<engine::HistoryEvent>& events) override {
    constexpr size_t kHistoryRowsPerInsert = 8;
    for (size_t at = 0; at < events.size(); at += kHistoryRowsPerInsert) {
      const size_t n = std::min(kHistoryRowsPerInsert, events.size() - at);
      Status st = Guard<Status>(
          "append_history",
          [&]() {
            if (!statements_.AppendHistoryRows(&events[at], n)) {
              return Status::Conflict("history_seq_taken",
                                      "case " + events[at].case_id + " already has one of these history events");
            }
            return Status::Ok();
          },
          Status::NotFound("case_not_found", "history for unknown case " + events[at].case_id));
      CREDFLOW_RETURN_IF_ERROR(st);
    }
    return Status::Ok();
  }

  Status PutTimer(const Timer& t) override {
    return Guard<Status>("put_timer", [&]() {
      statements_.PutTimer(t);
      return Status::Ok();
    });
  }

  Status CancelTimer(const std::string& case_id, const std::string& name) override {
    return Guard<Status>("cancel_timer", [&]() {
      statements_.CancelTimer(case_id, name);
      return Status::Ok();
    });
  }

  Result<std::optional<Timer>> ClaimDueTimer(Timestamp now) override {
    return Guard<Result<std::optional<Timer>>>(
        "claim_due_timer", [&]() { return Result<std::optional<Timer>>(statements_.ClaimDueTimer(now)); });
  }

  Status DeleteTimer(const std::string& timer_id) override {
    return Guard<Status>("delete_timer", [&]() {
      statements_.DeleteTimer(timer_id);
      return Status::Ok();
    });
  }

  Result<SubjectFacts> LoadSubjectFacts(const std::string& subject) override {
    if (doom_.ok() && prefetched_facts_ && prefetched_facts_->subject == subject) {
      SubjectFacts facts = std::move(*prefetched_facts_);
      prefetched_facts_.reset();
      return facts;
    }
    return Guard<Result<SubjectFacts>>("load_subject_facts",
                                       [&]() { return Result<SubjectFacts>(statements_.LoadSubjectFacts(subject)); });
  }

  Status PutSubjectProfile(const SubjectProfile& p) override {
    prefetched_facts_.reset();
    return Guard<Status>("put_subject_profile", [&]() {
      statements_.PutSubjectProfile(p);
      return Status::Ok();
    });
  }

  Status PutSubjectRecord(const SubjectRecord& r) override {
    prefetched_facts_.reset();
    return Guard<Status>("put_subject_record", [&]() {
      statements_.PutSubjectRecord(r);
      return Status::Ok();
    });
  }

  Status DeleteSubjectProfile(const std::string& code) override {
    prefetched_facts_.reset();
    return Guard<Status>("delete_subject_profile", [&]() {
      statements_.DeleteSubjectProfile(code);
      return Status::Ok();
    });
  }

  Status DeleteSubjectRecord(const std::string& id) override {
    prefetched_facts_.reset();
    return Guard<Status>("delete_subject_record", [&]() {
      statements_.DeleteSubjectRecord(id);
      return Status::Ok();
    });
  }

  Status PutNotice(const Notice& n) override {
    return Guard<Status>("put_notice", [&]() {
      if (!statements_.PutNotice(n)) {
        return Status::AlreadyExists("notice_exists", "notice " + n.id + " already exists");
      }
      return Status::Ok();
    });
  }

  Status PutChildOutcome(const ChildOutcome& o) override {
    return Guard<Status>("put_child_outcome", [&]() {
      if (!statements_.PutChildOutcome(o)) {
        return Status::AlreadyExists("child_outcome_exists", "child " + o.child_id + " already reported " + o.outcome);
      }
      return Status::Ok();
    });
  }

  Result<std::optional<StoredResponse>> FindResponse(const std::string& key) override {
    return Guard<Result<std::optional<StoredResponse>>>(
        "find_response", [&]() { return Result<std::optional<StoredResponse>>(statements_.FindResponse(key)); });
  }

  Status PutResponse(const StoredResponse& r) override {
    return Guard<Status>("put_response", [&]() {
      if (!statements_.PutResponse(r, impl_.clock().Now())) {
        return Status::AlreadyExists("idempotency_key_exists", "idempotency key already used");
      }
      return Status::Ok();
    });
  }

 private:
  // Runs `body`, mapping what it throws. `on_constraint`, when not OK, is
  // what a constraint violation means for this operation.
  template <typename R, typename Body>
  R Guard(const char* operation, Body&& body, Status on_constraint = Status::Ok()) {
    if (!doom_.ok()) return R(doom_);
    try {
      return body();
    } catch (const std::exception& e) {
      Status s = impl_.MapError(e, operation, lease_);
      if (!on_constraint.ok() && ClassifyStoreError(e) == StoreErrorKind::kConstraint) s = on_constraint;
      doom_ = s;
      return R(s);
    }
  }

  SociCaseStore::Impl& impl_;
  Lease& lease_;
  Statements statements_;
  Status doom_;
  // The facts LoadCase read with the case, until used or made stale.
  std::optional<SubjectFacts> prefetched_facts_;
};

// Releases the in-process SQLite writer lock when a transaction ends.
class WriterLock {
 public:
  explicit WriterLock(FifoMutex* mu) : mu_(mu) {}
  ~WriterLock() { mu_->Unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  FifoMutex* mu_;
};

// Resets the in-process SQLite writer owner when a transaction ends.
class WriterOwnerReset {
 public:
  explicit WriterOwnerReset(std::atomic<std::thread::id>* owner) : owner_(owner) {}
  ~WriterOwnerReset() {
    if (owner_ != nullptr) owner_->store(std::thread::id());
  }
  WriterOwnerReset(const WriterOwnerReset&) = delete;
  WriterOwnerReset& operator=(const WriterOwnerReset&) = delete;

 private:
  std::atomic<std::thread::id>* owner_;
};

// Rolls back a transaction that did not commit (also when fn throws).
class RollbackOnExit {
 public:
  explicit RollbackOnExit(soci::session& sql) : sql_(sql) {}
  ~RollbackOnExit() {
    if (done_) return;
    try {
      sql_ << "ROLLBACK";
    } catch (const std::exception& e) {
      spdlog::warn("store: rollback failed: {}", e.what());
    }
  }
  RollbackOnExit(const RollbackOnExit&) = delete;
  RollbackOnExit& operator=(const RollbackOnExit&) = delete;
  void Done() { done_ = true; }

 private:
  soci::session& sql_;
  bool done_ = false;
};

}  // namespace

template <typename Fn>
Status SociCaseStore::Impl::RunTransaction(Fn&& fn) {
  std::optional<WriterLock> writer;
  std::optional<WriterOwnerReset> owner_reset;
  if (dialect_.one_writer_at_a_time()) {
    if (sqlite_writer_owner_.load() == std::this_thread::get_id()) {
      return Status::Internal("store: RunInTransaction called inside a transaction");
    }
    if (!sqlite_writer_.TryLockFor(options_.acquire_timeout)) {
      return Status::Unavailable("store busy in begin");
    }
    writer.emplace(&sqlite_writer_);
    sqlite_writer_owner_.store(std::this_thread::get_id());
    owner_reset.emplace(&sqlite_writer_owner_);
  }

  Result<Lease> lease = Acquire("begin");
  if (!lease.ok()) return lease.status();
  soci::session& sql = lease->session();
  try {
    sql << dialect_.begin_transaction();
  } catch (const std::exception& e) {
    // Nothing has happened yet: on a connection that was lost, start over.
    if (!Revive(*lease)) return MapError(e, "begin", *lease);
    try {
      sql << dialect_.begin_transaction();
    } catch (const std::exception& again) {
      return MapError(again, "begin", *lease);
    }
  }
  RollbackOnExit rollback(sql);

  SociTransaction tx(*this, *lease);
  Status status = fn(tx);
  if (status.ok() && !tx.doom().ok()) {
    spdlog::warn("store: a transaction ignored a store error; rolling back");
    status = tx.doom();
  }
  if (!status.ok()) return status;  // ~RollbackOnExit rolls back

  try {
    sql << "COMMIT";
    rollback.Done();
  } catch (const std::exception& e) {
    // SQLite keeps the transaction open after a failed COMMIT; PostgreSQL
    // has ended it (the ROLLBACK then only warns).
    return MapError(e, "commit", *lease);
  }
  return Status::Ok();
}

Status SociCaseStore::Impl::RunInTransaction(const std::function<Status(engine::StoreTransaction&)>& fn) {
  return RunTransaction([&](SociTransaction& tx) { return fn(tx); });
}

Status SociCaseStore::Impl::Write(const char* operation, const std::function<Status(Statements&)>& body) {
  return RunTransaction([&](SociTransaction& tx) { return tx.Write(operation, body); });
}

// ---- SociCaseStore ----------------------------------------------------------

SociCaseStore::SociCaseStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SociCaseStore::~SociCaseStore() = default;

Result<std::unique_ptr<SociCaseStore>> SociCaseStore::Open(const std::string& url, const StoreOptions& options) {
  Result<StoreUrl> parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.status();
  const std::size_t pool_size = options.pool_size > 0 ? options.pool_size : 4;
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(std::move(parsed).value(), options, pool_size);
  } catch (const std::exception& e) {
    spdlog::error("store: cannot create a connection pool: {}", e.what());
    return Status::Internal("store error in open");
  }
  CREDFLOW_RETURN_IF_ERROR(impl->Connect());
  if (options.migrate) {
    CREDFLOW_RETURN_IF_ERROR(impl->Migrate());
  } else {
    Result<std::vector<int>> applied = impl->ReadAppliedVersions();
    if (!applied.ok()) return applied.status();
    if (!applied->empty() && applied->back() > SchemaTargetVersion()) {
      return Status::FailedPrecondition("schema_too_new", "the store's schema is newer than this build's");
    }
  }
  return std::unique_ptr<SociCaseStore>(new SociCaseStore(std::move(impl)));
}

Status SociCaseStore::RunInTransaction(const std::function<Status(engine::StoreTransaction&)>& fn) {
  return impl_->RunInTransaction(fn);
}

Result<Case> SociCaseStore::GetCase(const std::string& id) {
  return impl_->Read<Result<Case>>("get_case", [&](Statements& s) -> Result<Case> {
    std::optional<Case> c = s.LoadCase(id);
    if (!c) return Status::NotFound("case_not_found", "no case " + id);
    return std::move(*c);
  });
}

Result<std::vector<Case>> SociCaseStore::FindCases(const CaseQuery& query) {
  if (query.limit <= 0) {
    return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  }
  return impl_->Read<Result<std::vector<Case>>>(
      "find_cases", [&](Statements& s) { return Result<std::vector<Case>>(s.FindCases(query)); });
}

Result<std::vector<HistoryEvent>> SociCaseStore::GetHistory(const std::string& case_id) {
  return impl_->Read<Result<std::vector<HistoryEvent>>>(
      "get_history", [&](Statements& s) { return Result<std::vector<HistoryEvent>>(s.History(case_id)); });
}

Result<std::vector<Timer>> SociCaseStore::GetTimers(const std::string& case_id) {
  return impl_->Read<Result<std::vector<Timer>>>(
      "get_timers", [&](Statements& s) { return Result<std::vector<Timer>>(s.Timers(case_id)); });
}

Result<SubjectFacts> SociCaseStore::GetSubjectFacts(const std::string& subject) {
  return impl_->Read<Result<SubjectFacts>>(
      "get_subject_facts", [&](Statements& s) { return Result<SubjectFacts>(s.LoadSubjectFacts(subject)); });
}

Result<std::optional<SubjectProfile>> SociCaseStore::GetSubjectProfile(const std::string& code) {
  return impl_->Read<Result<std::optional<SubjectProfile>>>("get_subject_profile", [&](Statements& s) {
    return Result<std::optional<SubjectProfile>>(s.LoadSubjectProfile(code));
  });
}

Result<std::vector<SubjectProfile>> SociCaseStore::ListSubjects(const SubjectQuery& query) {
  if (query.limit <= 0) {
    return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  }
  return impl_->Read<Result<std::vector<SubjectProfile>>>(
      "list_subjects", [&](Statements& s) { return Result<std::vector<SubjectProfile>>(s.ListSubjects(query)); });
}

Result<std::vector<SubjectRecord>> SociCaseStore::ListSubjectRecords(const std::string& after_id, int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  return impl_->Read<Result<std::vector<SubjectRecord>>>("list_subject_records", [&](Statements& s) {
    return Result<std::vector<SubjectRecord>>(s.ListSubjectRecords(after_id, limit));
  });
}

Result<std::vector<ChildOutcome>> SociCaseStore::GetChildOutcomes(const std::string& parent_id) {
  return impl_->Read<Result<std::vector<ChildOutcome>>>("get_child_outcomes", [&](Statements& s) {
    return Result<std::vector<ChildOutcome>>(s.ChildOutcomes(parent_id));
  });
}

Result<std::vector<Notice>> SociCaseStore::GetNotices(const std::string& case_id) {
  return impl_->Read<Result<std::vector<Notice>>>(
      "get_notices", [&](Statements& s) { return Result<std::vector<Notice>>(s.Notices(case_id)); });
}

Result<std::vector<std::string>> SociCaseStore::ListCaseIds() {
  return impl_->Read<Result<std::vector<std::string>>>(
      "list_case_ids", [&](Statements& s) { return Result<std::vector<std::string>>(s.CaseIds()); });
}

Result<int64_t> SociCaseStore::CountDueTimers(Timestamp now) {
  return impl_->Read<Result<int64_t>>("count_due_timers",
                                      [&](Statements& s) { return Result<int64_t>(s.CountDueTimers(now)); });
}

Status SociCaseStore::Ping() {
  return impl_->Read<Status>("ping", [&](Statements& s) {
    s.Ping();
    return Status::Ok();
  });
}

Status SociCaseStore::PutUser(const User& user) {
  CREDFLOW_RETURN_IF_ERROR(engine::ValidateUser(user));
  return impl_->Write("put_user", [&](Statements& s) {
    if (s.InsertUser(user)) return Status::Ok();
    if (s.UserExists(user.name)) {
      return Status::AlreadyExists("user_exists", "user " + user.name + " already exists");
    }
    return Status::AlreadyExists("token_exists", "another user holds this token");
  });
}

Result<std::optional<User>> SociCaseStore::FindUserByTokenHash(const std::string& token_hash) {
  return impl_->Read<Result<std::optional<User>>>(
      "find_user", [&](Statements& s) { return Result<std::optional<User>>(s.FindUserByTokenHash(token_hash)); });
}

Result<std::vector<User>> SociCaseStore::ListUsers() {
  return impl_->Read<Result<std::vector<User>>>("list_users",
                                                [&](Statements& s) { return Result<std::vector<User>>(s.Users()); });
}

Status SociCaseStore::SetUserDisabled(const std::string& name, bool disabled) {
  return impl_->Write("set_user_disabled", [&](Statements& s) {
    if (!s.SetUserDisabled(name, disabled)) {
      return Status::NotFound("user_not_found", "no user " + name);
    }
    return Status::Ok();
  });
}

Status SociCaseStore::Migrate() { return impl_->Migrate(); }

Result<int> SociCaseStore::CurrentSchemaVersion() {
  Result<std::vector<int>> applied = impl_->ReadAppliedVersions();
  if (!applied.ok()) return applied.status();
  return applied->empty() ? 0 : applied->back();
}

Result<std::vector<int>> SociCaseStore::AppliedSchemaVersions() { return impl_->ReadAppliedVersions(); }

int SociCaseStore::TargetSchemaVersion() { return SchemaTargetVersion(); }

StoreBackend SociCaseStore::backend() const { return impl_->url().backend; }

const std::string& SociCaseStore::redacted_url() const { return impl_->url().redacted; }

Status SociCaseStore::ExecuteForTesting(const std::string& statement) { return impl_->Execute(statement); }

uint64_t SociCaseStore::StatementsPreparedForTesting() const { return impl_->StatementsPrepared(); }

}  // namespace credflow::adapters
