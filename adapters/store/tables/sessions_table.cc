#include "adapters/store/tables/sessions_table.h"

#include "adapters/store/rows.h"

namespace credflow::adapters {

bool SessionsTable::Insert(const engine::Session& s) {
  Query q(conn_, std::string("INSERT INTO sessions (") + kSessionColumns +
                     ") VALUES (:id_hash, :user_name, :created_at, :last_seen, :expires_at) ON CONFLICT DO NOTHING");
  q.Use(s.id_hash).Use(s.user).Use(s.created_at).Use(s.last_seen).Use(s.expires_at);
  return q.Run() == 1;
}

std::optional<engine::Session> SessionsTable::Find(const std::string& id_hash) {
  SessionRow row;
  Query q(conn_, std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id_hash = :id_hash");
  row.Bind(q);
  q.Use(id_hash).Start();
  if (!q.Next()) return std::nullopt;
  return row.ToSession();
}

void SessionsTable::Touch(const std::string& id_hash, engine::Timestamp last_seen, engine::Timestamp expires_at) {
  Query q(conn_, "UPDATE sessions SET last_seen = :last_seen, expires_at = :expires_at WHERE id_hash = :id_hash");
  q.Use(last_seen).Use(expires_at).Use(id_hash);
  q.Run();
}

void SessionsTable::Delete(const std::string& id_hash) {
  Query q(conn_, "DELETE FROM sessions WHERE id_hash = :id_hash");
  q.Use(id_hash);
  q.Run();
}

void SessionsTable::DeleteExpired(engine::Timestamp now) {
  Query q(conn_, "DELETE FROM sessions WHERE expires_at < :now");
  q.Use(now);
  q.Run();
}

}  // namespace credflow::adapters
