#include "engine/user.h"

#include <openssl/rand.h>
#include <boost/algorithm/hex.hpp>

#include <array>
#include <cctype>
#include <iterator>

#include "engine/history.h"

namespace credflow::engine {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kCaseworker: return "caseworker";
    case Role::kDepartment: return "department";
    case Role::kAuditor: return "auditor";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(const std::string& name) {
  for (Role r : {Role::kCaseworker, Role::kDepartment, Role::kAuditor, Role::kAdmin}) {
    if (name == RoleName(r)) return r;
  }
  return std::nullopt;
}

Status ValidateUser(const User& user) {
  const bool name_ok = !user.name.empty() && user.name.size() <= 64 &&
                       user.name.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789._-") == std::string::npos;
  if (!name_ok) {
    return Status::InvalidArgument("invalid_user", "a user name is 1-64 letters, digits, '.', '_' or '-'");
  }
  if ((user.role == Role::kDepartment) != !user.department.empty()) {
    return Status::InvalidArgument("invalid_user", "a department user names its department; other roles name none");
  }
  if (user.token_hash.size() != 64) return Status::InvalidArgument("invalid_user", "the token hash is missing");
  return Status::Ok();
}

std::string NewToken() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return "";
  std::string token = "cf_";
  boost::algorithm::hex_lower(bytes.begin(), bytes.end(), std::back_inserter(token));
  return token;
}

std::string TokenHash(const std::string& token) { return Sha256Hex(token); }

}  // namespace credflow::engine
