#include "adapters/store/tables/history_table.h"

#include "adapters/store/rows.h"

namespace credflow::adapters {

using engine::HistoryEvent;

bool HistoryTable::Append(const HistoryEvent* events, size_t n) {
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
  return q.Write(static_cast<long long>(n), static_cast<long long>(n));
}

std::vector<HistoryEvent> HistoryTable::List(const std::string& case_id) {
  HistoryRow row;
  Query q(conn_, std::string("SELECT ") + kHistoryColumns + " FROM history WHERE case_id = :case_id ORDER BY seq");
  row.Bind(q);
  q.Use(case_id).Start();
  std::vector<HistoryEvent> out;
  while (q.Next()) out.push_back(row.ToEvent());
  return out;
}

std::vector<engine::StoredEvent> HistoryTable::Scan(const std::string& after_case, int64_t after_seq,
                                                    const std::string& through, int limit) {
  // A row value comparison, which both engines answer from the primary key.
  HistoryRow row;
  Query q(conn_, std::string("SELECT ") + kHistoryColumns +
                     " FROM history WHERE (case_id, seq) > (:after_case, :after_seq)" +
                     (through.empty() ? "" : " AND case_id <= :through") + " ORDER BY case_id, seq LIMIT :limit");
  row.Bind(q);
  q.Use(after_case).Use(static_cast<long long>(after_seq));
  if (!through.empty()) q.Use(through);
  q.Use(static_cast<long long>(limit)).Start();
  std::vector<engine::StoredEvent> out;
  out.reserve(static_cast<size_t>(limit));
  while (q.Next()) out.push_back(row.ToStoredEvent());
  return out;
}

}  // namespace credflow::adapters
