#include "adapters/store/tables/notices_table.h"

#include "adapters/store/rows.h"

namespace credflow::adapters {

using engine::Notice;

bool NoticesTable::Put(const Notice& n) {
  Query q(conn_,
          "INSERT INTO notices (id, case_id, recipient, template_id, data, created_at) "
          "VALUES (:id, :case_id, :recipient, :template_id, :data, :created_at) "
          "ON CONFLICT (id) DO NOTHING");
  q.Use(n.id).Use(n.case_id).Use(n.recipient).Use(n.template_id).Use(n.data).Use(n.created_at);
  return q.Write(1, 1);
}

std::vector<Notice> NoticesTable::List(const std::string& case_id) {
  NoticeRow row;
  Query q(conn_,
          std::string("SELECT ") + kNoticeColumns + " FROM notices WHERE case_id = :case_id ORDER BY created_at, id");
  row.Bind(q);
  q.Use(case_id).Start();
  std::vector<Notice> out;
  while (q.Next()) out.push_back(row.ToNotice());
  return out;
}

}  // namespace credflow::adapters
