// Reading members of stored or received JSON without throwing: nlohmann's
// value() throws type_error when a member has another type, and stored
// payloads outlive the code that wrote them.
#pragma once

#include <string>

#include "engine/case.h"

namespace credflow::engine {

// The string member `key` of `j`, or "" when `j` is not an object, the
// member is absent, or it is not a string.
inline std::string TextOf(const Json& j, const char* key) {
  if (!j.is_object()) return std::string();
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The object member `key` of `j`, or an empty object.
inline Json ObjectOf(const Json& j, const char* key) {
  if (!j.is_object()) return Json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : Json::object();
}

}  // namespace credflow::engine
