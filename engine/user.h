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
  // The console password's Argon2id hash in libsodium's string form
  // ("$argon2id$v=19$..."), or empty when the user has no password (tokens
  // only). Set by `credflow user passwd`; never shown, never logged.
  std::string password_hash;
};

// A signed-in console session (adapters/http/session.h). The session id is
// the cookie's value and is never stored: only its SHA-256 (TokenHash), as
// for tokens. A session ends at `expires_at` unless a request renews it.
struct Session {
  std::string id_hash;  // TokenHash(session id)
  std::string user;     // the user's name
  Timestamp created_at{};
  Timestamp last_seen{};
  Timestamp expires_at{};
};

// The longest user name, in code points (张三 is 2).
inline constexpr size_t kMaxUserNameLength = 64;
// The length of `name` in code points when it is valid UTF-8 made only of
// what a user name may hold: letters and digits (ASCII, and the letters of
// the scripts Chinese offices write names in: CJK ideographs, Latin with
// accents, Tibetan, Uyghur, Mongolian, ...), '.', '_', '-' and the middle dot
// '·'. nullopt otherwise (spaces, controls, slashes, punctuation, symbols,
// malformed UTF-8).
std::optional<size_t> NameLength(const std::string& name);

// Checks a user before it is stored: a name as NameLength accepts, 1-64
// code points; a department exactly for the department role.
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
