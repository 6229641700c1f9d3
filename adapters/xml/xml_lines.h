// Where in an XML file something is, for error messages ("file:line").
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

namespace credflow::adapters {

// The 1-based line of byte `offset` in `bytes` (pugixml reports offsets:
// xml_parse_result::offset, xml_node::offset_debug()); 0 when unknown.
inline int LineAtOffset(const std::string& bytes, std::ptrdiff_t offset) {
  if (offset < 0) return 0;
  const auto end = bytes.begin() + std::min<std::ptrdiff_t>(offset, static_cast<std::ptrdiff_t>(bytes.size()));
  return 1 + static_cast<int>(std::count(bytes.begin(), end, '\n'));
}

}  // namespace credflow::adapters
