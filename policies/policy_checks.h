// Helpers the sections' checks share (internal to policies/).
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>

namespace credflow::policies {

inline bool IsOneOf(const std::string& value, std::initializer_list<const char*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return value == a; });
}

}  // namespace credflow::policies
