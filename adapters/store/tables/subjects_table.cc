#include "adapters/store/tables/subjects_table.h"

#include <map>

#include <utility>

#include "adapters/store/rows.h"
#include "adapters/text/pinyin.h"

namespace credflow::adapters {

using engine::SubjectFacts;
using engine::SubjectProfile;
using engine::SubjectQuery;
using engine::SubjectRecord;

// The profile and the records in one statement (a filing reads them before
// its first transition): one row per record, at least one row, with NULL
// record columns when there is none and NULL profile columns when the
// subject has no profile.
SubjectFacts SubjectsTable::LoadFacts(const std::string& subject, const std::vector<std::string>& kinds) {
  SubjectFacts facts;
  facts.subject = subject;
  ProfileRow profile_row;
  RecordRow record_row;
  std::string in;  // " AND r.kind IN (:k0, :k1, ...)" (numbered placeholders; every value is bound)
  for (size_t i = 0; i < kinds.size(); ++i) in += (i == 0 ? " AND r.kind IN (:k" : ", :k") + std::to_string(i);
  if (!in.empty()) in += ")";
  Query q(conn_, "SELECT " + Qualified("s", kProfileColumns) + ", " + Qualified("r", kRecordColumns) +
                     " FROM (SELECT CAST(:subject AS TEXT) AS code) k"
                     " LEFT JOIN subjects s ON s.code = k.code" +
                     conn_.dialect.key_collate() + " LEFT JOIN subject_records r ON r.subject = k.code" + in +
                     " ORDER BY r.created_at, r.id");
  profile_row.BindNullable(q);
  record_row.BindNullable(q);
  q.Use(subject);
  for (const std::string& k : kinds) q.Use(k);
  q.Start();
  while (q.Next()) {
    if (!facts.profile && profile_row.present()) facts.profile = profile_row.ToProfile();
    if (record_row.present()) facts.records.push_back(record_row.ToRecord());
  }
  return facts;
}

std::vector<SubjectFacts> SubjectsTable::LoadFactsOf(const std::vector<std::string>& subjects) {
  std::map<std::string, size_t> index;  // subject -> position in `out`
  std::vector<SubjectFacts> out(subjects.size());
  std::string in;  // ":c0, :c1, ..." (numbered placeholders; every value is bound)
  for (size_t i = 0; i < subjects.size(); ++i) {
    out[i].subject = subjects[i];
    index.emplace(subjects[i], i);
    in += (i == 0 ? ":c" : ", :c") + std::to_string(i);
  }
  {
    RecordRow row;
    Query q(conn_, std::string("SELECT ") + kRecordColumns + " FROM subject_records WHERE subject IN (" + in +
                       ") ORDER BY subject, created_at, id");
    row.Bind(q);
    for (const std::string& s : subjects) q.Use(s);
    q.Start();
    while (q.Next()) {
      SubjectRecord r = row.ToRecord();
      auto it = index.find(r.subject);
      if (it != index.end()) out[it->second].records.push_back(std::move(r));
    }
  }
  ProfileRow row;
  Query q(conn_, std::string("SELECT ") + kProfileColumns + " FROM subjects WHERE code IN (" + in + ")");
  row.Bind(q);
  for (const std::string& s : subjects) q.Use(s);
  q.Start();
  while (q.Next()) {
    SubjectProfile p = row.ToProfile();
    auto it = index.find(p.code);
    if (it != index.end()) out[it->second].profile = std::move(p);
  }
  // A subject named twice gets the same facts in both places.
  for (size_t i = 0; i < subjects.size(); ++i) {
    const size_t first = index.at(subjects[i]);
    if (first != i) out[i] = out[first];
  }
  return out;
}

std::optional<SubjectProfile> SubjectsTable::LoadProfile(const std::string& code) {
  ProfileRow row;
  Query q(conn_, std::string("SELECT ") + kProfileColumns + " FROM subjects WHERE code = :code");
  row.Bind(q);
  q.Use(code).Start();
  if (!q.Next()) return std::nullopt;
  return row.ToProfile();
}

void SubjectsTable::PutProfile(const SubjectProfile& p) {
  Query q(conn_, std::string("INSERT INTO subjects (") + kProfileColumns +
                     ", search_key) VALUES (:code, :name, :status, :grade, :grade_set_on, :grade_reason, "
                     ":grade_source, :case_id, :updated_at, :search_key) ON CONFLICT (code) DO UPDATE SET "
                     "name = excluded.name, search_key = excluded.search_key, status = excluded.status, "
                     "grade = excluded.grade, "
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
      .Use(text::PinyinSearchKey(p.name))
      .Write();
}

void SubjectsTable::DeleteProfile(const std::string& code) {
  Query q(conn_, "DELETE FROM subjects WHERE code = :code");
  q.Use(code).Run();
}

std::vector<SubjectProfile> SubjectsTable::ListProfiles(const SubjectQuery& query) {
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
  if (!query.text.empty()) {
    // The search text is a LIKE pattern's literal part: its wildcards and
    // the escape character are escaped. Codes are upper-case.
    std::string literal;
    for (char c : query.text) {
      if (c == '%' || c == '_' || c == '\\') literal += '\\';
      literal += c;
    }
    std::string upper = literal;
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    text += " AND (code LIKE :code_prefix ESCAPE '\\' OR name LIKE :name_part ESCAPE '\\'";
    values.push_back(upper + "%");
    values.push_back("%" + literal + "%");
    if (const std::string pinyin = text::PinyinQuery(query.text); !pinyin.empty()) {
      // "hefeng", "He Feng" or "szhf": letters only, so nothing to escape.
      text += " OR search_key LIKE :pinyin";
      values.push_back("%" + pinyin + "%");
    }
    text += ")";
  }
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

void SubjectsTable::PutRecord(const SubjectRecord& r) {
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
      .Write();
}

void SubjectsTable::DeleteRecord(const std::string& id) {
  Query q(conn_, "DELETE FROM subject_records WHERE id = :id");
  q.Use(id).Run();
}

std::vector<SubjectRecord> SubjectsTable::ListRecords(const std::string& after_id, int limit) {
  RecordRow row;
  Query q(conn_, std::string("SELECT ") + kRecordColumns + " FROM subject_records WHERE id > :after_id" +
                     conn_.dialect.key_collate() + " ORDER BY id" + conn_.dialect.key_collate() + " LIMIT :limit");
  row.Bind(q);
  q.Use(after_id).Use(limit).Start();
  std::vector<SubjectRecord> out;
  while (q.Next()) out.push_back(row.ToRecord());
  return out;
}

std::vector<std::string> SubjectsTable::FindByRecords(const engine::RecordCountQuery& query) {
  // Only fixed fragments and numbered placeholders are appended; every value is bound.
  std::string text = "SELECT subject FROM subject_records WHERE kind IN (";
  std::vector<std::string> values;
  auto list = [&](const std::vector<std::string>& items, const char* prefix) {
    for (size_t i = 0; i < items.size(); ++i) {
      text += (i == 0 ? ":" : ", :") + std::string(prefix) + std::to_string(i);
      values.push_back(items[i]);
    }
  };
  list(query.kinds, "k");
  text += ")";
  if (!query.statuses.empty()) {
    text += " AND status IN (";
    list(query.statuses, "s");
    text += ")";
  }
  if (!query.excluded_statuses.empty()) {
    text += " AND status NOT IN (";
    list(query.excluded_statuses, "x");
    text += ")";
  }
  text += std::string(" GROUP BY subject HAVING COUNT(*) >= :min_count ORDER BY subject") + conn_.dialect.key_collate();
  std::string subject;
  Query q(conn_, text);
  q.Into(subject);
  for (std::string& v : values) q.Use(std::move(v));
  q.Use(query.min_count).Start();
  std::vector<std::string> out;
  while (q.Next()) out.push_back(subject);
  return out;
}

}  // namespace credflow::adapters
