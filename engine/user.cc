#include "engine/user.h"

#include <openssl/rand.h>
#include <boost/algorithm/hex.hpp>

#include <array>
#include <cctype>
#include <iterator>
#include <optional>

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

namespace {

// Decodes one UTF-8 code point at `*i` and advances past it; nullopt for
// malformed, overlong or surrogate sequences.
std::optional<char32_t> NextCodePoint(const std::string& s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(*i);
  int length = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    length = 1;
    cp = lead;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (*i + static_cast<size_t>(length) > s.size()) return std::nullopt;
  for (int k = 1; k < length; ++k) {
    const unsigned char c = byte(*i + static_cast<size_t>(k));
    if ((c & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  *i += static_cast<size_t>(length);
  return cp;
}

// The letters and digits of the scripts a Chinese office writes names in,
// by Unicode block: Latin (with accents, precomposed), Greek, Cyrillic,
// Arabic script (Uyghur, Kazakh), Tibetan, Mongolian, Yi, Hangul, kana,
// Bopomofo and every CJK ideograph block; and the middle dot of
// transliterated names (阿依古丽·买买提). Spaces, controls, punctuation,
// symbols, slashes of any width, combining marks and fullwidth forms (look-
// alikes of ASCII names) are not in it. A table rather than a locale, so that
// every machine accepts the same names.
bool IsNameLetter(char32_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) != 0 || c == '.' || c == '_' || c == '-';
  static constexpr char32_t kRanges[][2] = {
      {0x00B7, 0x00B7},   {0x00C0, 0x00D6}, {0x00D8, 0x00F6},   {0x00F8, 0x024F},   {0x0386, 0x0386},
      {0x0388, 0x03CE},   {0x0400, 0x0481}, {0x048A, 0x04FF},   {0x0620, 0x064A},   {0x0660, 0x0669},
      {0x066E, 0x06D3},   {0x06D5, 0x06D5}, {0x06F0, 0x06FC},   {0x0F20, 0x0F29},   {0x0F40, 0x0F6C},
      {0x1810, 0x1819},   {0x1820, 0x1878}, {0x3007, 0x3007},   {0x3041, 0x3096},   {0x30A1, 0x30FA},
      {0x30FC, 0x30FC},   {0x3105, 0x312F}, {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA48C},
      {0xAC00, 0xD7A3},   {0xF900, 0xFAFF}, {0x20000, 0x2A6DF}, {0x2A700, 0x2EBEF}, {0x2F800, 0x2FA1F},
      {0x30000, 0x323AF},
  };
  for (const auto& r : kRanges) {
    if (c >= r[0] && c <= r[1]) return true;
  }
  return false;
}

}  // namespace

std::optional<size_t> NameLength(const std::string& name) {
  size_t count = 0;
  for (size_t i = 0; i < name.size(); ++count) {
    std::optional<char32_t> c = NextCodePoint(name, &i);
    if (!c || !IsNameLetter(*c)) return std::nullopt;
  }
  return count;
}

Status ValidateUser(const User& user) {
  const std::optional<size_t> length = NameLength(user.name);
  if (!length || *length == 0 || *length > kMaxUserNameLength) {
    return Status::InvalidArgument("invalid_user",
                                   "a user name is 1-64 letters or digits (Chinese and the other scripts of China's "
                                   "offices included), '.', '_', '-' or '·'; no spaces, slashes or control "
                                   "characters");
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
