#include "adapters/store/tables/timers_table.h"

#include <algorithm>
#include <stdexcept>

#include "adapters/store/rows.h"

namespace credflow::adapters {

using engine::Timer;
using engine::Timestamp;

void TimersTable::Put(const Timer& t, bool may_replace) {
  if (may_replace) {
    Query del(conn_, "DELETE FROM timers WHERE id = :id OR (case_id = :case_id AND name = :name)");
    del.Use(t.id).Use(t.case_id).Use(t.name).Write();
  }
  Query ins(conn_, std::string("INSERT INTO timers (") + kTimerColumns +
                       ") VALUES (:id, :case_id, :name, :event, :payload, :due_on, :fire_at, :provisional)");
  ins.Use(t.id)
      .Use(t.case_id)
      .Use(t.name)
      .Use(t.event)
      .Use(t.payload)
      .Use(t.due_on.ToString())
      .Use(t.fire_at)
      .Use(t.provisional ? 1 : 0)
      .Write();
}

bool TimersTable::Update(const Timer& t) {
  Query q(conn_,
          "UPDATE timers SET case_id = :case_id, name = :name, event = :event, payload = :payload,"
          " due_on = :due_on, fire_at = :fire_at, provisional = :provisional WHERE id = :id");
  return q.Use(t.case_id)
      .Use(t.name)
      .Use(t.event)
      .Use(t.payload)
      .Use(t.due_on.ToString())
      .Use(t.fire_at)
      .Use(t.provisional ? 1 : 0)
      .Use(t.id)
      .Write(1);
}

std::vector<Timer> TimersTable::ListProvisional(const std::string& after_id, int limit) {
  TimerRow row;
  Query q(conn_, std::string("SELECT ") + kTimerColumns +
                     " FROM timers WHERE provisional = 1 AND id > :after ORDER BY id LIMIT :limit");
  row.Bind(q);
  q.Use(after_id).Use(limit).Start();
  std::vector<Timer> out;
  while (q.Next()) out.push_back(row.ToTimer());
  return out;
}

void TimersTable::Cancel(const std::string& case_id, const std::string& name) {
  Query q(conn_, "DELETE FROM timers WHERE case_id = :case_id AND name = :name");
  q.Use(case_id).Use(name).Write();
}

std::vector<Timer> TimersTable::ClaimDue(Timestamp now, int limit) {
  TimerRow row;
  Query q(conn_, std::string("SELECT ") + kTimerColumns +
                     " FROM timers WHERE fire_at <= :now ORDER BY fire_at, id LIMIT :limit" +
                     conn_.dialect.claim_lock());
  row.Bind(q);
  q.Use(now).Use(std::max(limit, 1)).Start();
  std::vector<Timer> out;
  while (q.Next()) out.push_back(row.ToTimer());
  return out;
}

void TimersTable::Delete(const std::string& id) {
  Query q(conn_, "DELETE FROM timers WHERE id = :id");
  q.Use(id).Write();
}

std::vector<Timer> TimersTable::List(const std::string& case_id) {
  TimerRow row;
  Query q(conn_, std::string("SELECT ") + kTimerColumns + " FROM timers WHERE case_id = :case_id ORDER BY fire_at, id");
  row.Bind(q);
  q.Use(case_id).Start();
  std::vector<Timer> out;
  while (q.Next()) out.push_back(row.ToTimer());
  return out;
}

int64_t TimersTable::CountDue(Timestamp now) {
  long long count = 0;
  Query q(conn_, "SELECT COUNT(*) FROM timers WHERE fire_at <= :now");
  q.Into(count).Use(now).Start();
  if (!q.Next()) throw std::runtime_error("COUNT returned no row");
  return count;
}

}  // namespace credflow::adapters
