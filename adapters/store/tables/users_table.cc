#include "adapters/store/tables/users_table.h"

#include "adapters/store/rows.h"

namespace credflow::adapters {

using engine::User;

bool UsersTable::Insert(const User& u) {
  Query q(conn_, std::string("INSERT INTO users (") + kUserColumns +
                     ") VALUES (:name, :role, :department, :token_hash, :disabled, "
                     ":created_at, :password_hash) ON CONFLICT DO NOTHING");
  q.Use(u.name)
      .Use(std::string(engine::RoleName(u.role)))
      .Use(u.department)
      .Use(u.token_hash)
      .Use(u.disabled ? 1 : 0)
      .Use(u.created_at)
      .Use(u.password_hash);
  return q.Run() == 1;
}

bool UsersTable::Exists(const std::string& name) {
  long long count = 0;
  Query q(conn_, "SELECT COUNT(*) FROM users WHERE name = :name");
  q.Into(count).Use(name).Start();
  return q.Next() && count > 0;
}

std::optional<User> UsersTable::FindByTokenHash(const std::string& token_hash) {
  UserRow row;
  Query q(conn_, std::string("SELECT ") + kUserColumns + " FROM users WHERE token_hash = :token_hash");
  row.Bind(q);
  q.Use(token_hash).Start();
  if (!q.Next()) return std::nullopt;
  return row.ToUser();
}

std::optional<User> UsersTable::FindByName(const std::string& name) {
  UserRow row;
  Query q(conn_, std::string("SELECT ") + kUserColumns + " FROM users WHERE name = :name");
  row.Bind(q);
  q.Use(name).Start();
  if (!q.Next()) return std::nullopt;
  return row.ToUser();
}

bool UsersTable::SetPassword(const std::string& name, const std::string& password_hash) {
  Query q(conn_, "UPDATE users SET password_hash = :password_hash WHERE name = :name");
  q.Use(password_hash).Use(name);
  return q.Run() == 1;
}

std::vector<User> UsersTable::List() {
  UserRow row;
  Query q(conn_, std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name");
  row.Bind(q);
  q.Start();
  std::vector<User> out;
  while (q.Next()) out.push_back(row.ToUser());
  return out;
}

bool UsersTable::SetDisabled(const std::string& name, bool disabled) {
  Query q(conn_, "UPDATE users SET disabled = :disabled WHERE name = :name");
  q.Use(disabled ? 1 : 0).Use(name);
  return q.Run() == 1;
}

}  // namespace credflow::adapters
