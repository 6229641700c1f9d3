// UsersTable: the SQL of API users. Only a token's hash is stored; the
// UNIQUE index on it serves the lookup every HTTP request makes.
//
// Threading: a table belongs to the Connection it was made with, and so to
// the thread holding that connection (see prepared_statement.h). Every method
// throws what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/store/prepared_statement.h"
#include "engine/case.h"
#include "engine/case_store.h"
#include "engine/user.h"

namespace credflow::adapters {

class UsersTable {
 public:
  explicit UsersTable(Connection& conn) : conn_(conn) {}

  // False when the name or the token hash is taken.
  bool Insert(const engine::User& u);
  bool Exists(const std::string& name);
  std::optional<engine::User> FindByTokenHash(const std::string& token_hash);
  std::optional<engine::User> FindByName(const std::string& name);
  // False when there is no such user.
  bool SetPassword(const std::string& name, const std::string& password_hash);
  // Every user, in name order.
  std::vector<engine::User> List();
  // False when there is no such user.
  bool SetDisabled(const std::string& name, bool disabled);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
