#include "adapters/store/tables/cases_table.h"

#include <utility>

#include "adapters/store/rows.h"
#include "engine/clock.h"

namespace credflow::adapters {

using engine::Case;
using engine::CaseQuery;
using engine::SubjectFacts;

namespace {

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

// Every column but id, in kCaseColumns order (closed last), then the overdue
// projection.
constexpr const char* kUpdateSet =
    "UPDATE cases SET workflow = :workflow, definition_version = :definition_version, "
    "subject = :subject, state = :state, outcome = :outcome, reason = :reason, "
    "version = :version, policy_id = :policy_id, policy_version = :policy_version, "
    "policy_hash = :policy_hash, data = :data, parent_id = :parent_id, "
    "department = :department, history_head = :history_head, "
    "created_at = :created_at, updated_at = :updated_at, closed = :closed, overdue = :overdue";

void UseColumnsAfterId(Query& q, const Case& c) {
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
      .Use(c.closed ? 1 : 0)
      .Use(OverdueColumn(c.data));
}

}  // namespace

std::optional<Case> CasesTable::Load(const std::string& id) {
  CaseRow row;
  Query q(conn_, std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = :id");
  row.Bind(q);
  q.Use(id).Start();
  if (!q.Next()) return std::nullopt;
  return row.ToCase();
}

std::optional<Case> CasesTable::LoadWithFacts(const std::string& id, SubjectFacts* facts) {
  CaseRow case_row;
  ProfileRow profile_row;
  RecordRow record_row;
  Query q(conn_, CaseWithFactsSql(conn_.dialect));
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

bool CasesTable::Insert(const Case& c) {
  Query q(conn_, std::string("INSERT INTO cases (") + kCaseColumns +
                     ", overdue) VALUES (:id, :workflow, :definition_version, :subject, :state, "
                     ":outcome, :reason, :version, :policy_id, :policy_version, :policy_hash, "
                     ":data, :parent_id, :department, :history_head, :created_at, :updated_at, "
                     ":closed, :overdue) ON CONFLICT (id) DO NOTHING");
  q.Use(c.id);
  UseColumnsAfterId(q, c);
  return q.Write(1, 1);
}

bool CasesTable::Update(const Case& c, int64_t expected_version) {
  Query q(conn_, std::string(kUpdateSet) + " WHERE id = :id AND version = :expected_version");
  UseColumnsAfterId(q, c);
  q.Use(c.id).Use(static_cast<long long>(expected_version));
  return q.Write(1, 1);
}

bool CasesTable::Replace(const Case& c) {
  Query q(conn_, std::string(kUpdateSet) + " WHERE id = :id");
  UseColumnsAfterId(q, c);
  q.Use(c.id);
  return q.Run() == 1;
}

std::vector<engine::ChildCase> CasesTable::LoadChildren(const std::string& parent_id) {
  engine::ChildCase child;
  Query q(conn_,
          "SELECT id, workflow, state, outcome, reason, department FROM cases "
          "WHERE parent_id = :parent_id AND parent_id <> '' ORDER BY created_at, id");
  q.Into(child.id).Into(child.workflow).Into(child.state).Into(child.outcome).Into(child.reason).Into(child.department);
  q.Use(parent_id).Start();
  std::vector<engine::ChildCase> out;
  while (q.Next()) out.push_back(child);
  return out;
}

std::vector<Case> CasesTable::Find(const CaseQuery& query) {
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
  // The indexes on parent and department hold only the rows that have one
  // (schema version 10): a query states that to use them.
  filter(query.parent_id, " AND parent_id = :parent_id AND parent_id <> ''");
  filter(query.department, " AND department = :department AND department <> ''");
  // Open: not in a final state of its workflow (engine::Case::closed).
  if (query.open_only || query.overdue_on) text += " AND closed = 0";
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

std::map<std::string, int64_t> CasesTable::CountOverdue(const std::string& workflow, policies::Date today) {
  std::string department;
  long long count = 0;
  Query q(conn_,
          "SELECT department, COUNT(*) FROM cases WHERE workflow = :workflow AND closed = 0"
          " AND (overdue = 1 OR id IN (SELECT case_id FROM timers WHERE due_on < :today))"
          " GROUP BY department");
  q.Into(department).Into(count).Use(workflow).Use(today.ToString()).Start();
  std::map<std::string, int64_t> out;
  while (q.Next()) out[department] = count;
  return out;
}

std::vector<std::string> CasesTable::ListIds() {
  std::string id;
  Query q(conn_, "SELECT id FROM cases ORDER BY id");
  q.Into(id).Start();
  std::vector<std::string> out;
  while (q.Next()) out.push_back(id);
  return out;
}

std::optional<std::string> CasesTable::IdAt(int64_t position) {
  std::string id;
  Query q(conn_, "SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET :position");
  q.Into(id).Use(static_cast<long long>(position)).Start();
  if (!q.Next()) return std::nullopt;
  return id;
}

std::vector<engine::CaseHead> CasesTable::ScanHeads(const std::string& after, const std::string& through, int limit) {
  engine::CaseHead head;
  Query q(conn_, std::string("SELECT id, history_head FROM cases WHERE id > :after") +
                     (through.empty() ? "" : " AND id <= :through") + " ORDER BY id LIMIT :limit");
  q.Into(head.id).Into(head.history_head).Use(after);
  if (!through.empty()) q.Use(through);
  q.Use(static_cast<long long>(limit)).Start();
  std::vector<engine::CaseHead> out;
  while (q.Next()) out.push_back(head);
  return out;
}

int64_t CasesTable::Count() {
  long long count = 0;
  Query q(conn_, "SELECT COUNT(*) FROM cases");
  q.Into(count).Start();
  if (!q.Next()) throw std::runtime_error("COUNT returned no row");
  return count;
}

std::vector<engine::CaseCount> CasesTable::CountCreated(const engine::CaseCountQuery& query) {
  // The member's name is bound once, as a column of the derived table p, so
  // the dialect's expression may read it twice.
  const std::string member_text = query.data_member.empty() ? "''" : conn_.dialect.data_member_text();
  Query q(conn_, "SELECT substr(created_at, 1, 13), outcome, " + member_text +
                     ", COUNT(*) FROM cases, (SELECT CAST(:member AS TEXT) AS member) p"
                     " WHERE workflow = :workflow AND created_at >= :created_from AND created_at < :created_to"
                     " GROUP BY 1, 2, 3");
  engine::CaseCount row;
  long long count = 0;
  q.Into(row.created_hour).Into(row.outcome).Into(row.data_value).Into(count);
  q.Use(query.data_member)
      .Use(query.workflow)
      .Use(engine::FormatTimestamp(query.created_from))
      .Use(engine::FormatTimestamp(query.created_to))
      .Start();
  std::vector<engine::CaseCount> out;
  while (q.Next()) {
    row.count = count;
    out.push_back(row);
  }
  return out;
}

bool CasesTable::Exists(const std::string& id) {
  long long count = 0;
  Query q(conn_, "SELECT COUNT(*) FROM cases WHERE id = :id");
  q.Into(count).Use(id).Start();
  return q.Next() && count > 0;
}

}  // namespace credflow::adapters
