// SessionsTable: the SQL of console sessions (engine::Session). Only the
// SHA-256 of a session id is stored; expires_at (text that sorts as time)
// serves the purge of expired sessions.
//
// Threading: as every table (see prepared_statement.h). Every method throws
// what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <optional>
#include <string>

#include "adapters/store/prepared_statement.h"
#include "engine/user.h"

namespace credflow::adapters {

class SessionsTable {
 public:
  explicit SessionsTable(Connection& conn) : conn_(conn) {}

  // False when the id hash is taken.
  bool Insert(const engine::Session& s);
  std::optional<engine::Session> Find(const std::string& id_hash);
  void Touch(const std::string& id_hash, engine::Timestamp last_seen, engine::Timestamp expires_at);
  void Delete(const std::string& id_hash);
  // Deletes every session that expired before `now`.
  void DeleteExpired(engine::Timestamp now);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
