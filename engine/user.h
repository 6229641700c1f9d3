// API users and their bearer tokens. A token is shown once, when it is
// created, and only its SHA-256 is stored: a stolen database does not yield
// working tokens. Tokens carry 256 random bits, so a plain hash suffices (a
// slow password hash guards low-entropy secrets, which these are not).
#pragma once

#include <optional>
#include <string>

#include "engine/clock.h"
#include "engine/status.h"

namespace credflow::engine {

// What a user may do (ARCHITECTURE.md, Interfaces): caseworkers act on cases,
// a department acts on its own tasks, auditors read everything and change
// nothing, admins do everything.
enum class Role { kCaseworker, kDepartment, kAuditor, kAdmin };

const char* RoleName(Role role);
// nullopt for a name that is not a role.
std::optional<Role> ParseRole(const std::string& name);

struct User {
  std::string name;
  Role role = Role::kCaseworker;
  std::string department;  // required for kDepartment, empty otherwise
  std::string token_hash;  // TokenHash(token), lower-case hex
  bool disabled = false;
  Timestamp created_at{};
};

// Checks a user before it is stored: a name of 1-64 letters, digits, '.', '_'
// or '-'; a department exactly for the department role.
// InvalidArgument("invalid_user") otherwise.
Status ValidateUser(const User& user);

// A new random token: "cf_" and 64 hex digits (256 bits from OpenSSL's
// CSPRNG). Empty if the CSPRNG fails (never silently weak).
std::string NewToken();
// SHA-256 of the token, lower-case hex.
std::string TokenHash(const std::string& token);
// A token an operator chose (--token-file) must be at least this long.
inline constexpr size_t kMinTokenLength = 32;

}  // namespace credflow::engine
