// Where in an XML file something is, for error messages ("file:line").
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace credflow::adapters {

// The 1-based line of byte `offset` in `bytes` (pugixml reports offsets:
// xml_parse_result::offset, xml_node::offset_debug()); 0 when unknown.
inline int LineAtOffset(const std::string& bytes, std::ptrdiff_t offset) {
  if (offset < 0) return 0;
  const auto end = bytes.begin() + std::min<std::ptrdiff_t>(offset, static_cast<std::ptrdiff_t>(bytes.size()));
  return 1 + static_cast<int>(std::count(bytes.begin(), end, '\n'));
}

// The lines of one text, for many lookups: LineAtOffset counts the newlines
// before the offset each time, so a reader asking for the line of every
// element (a calendar's days, a form's fields) or of every error took time
// quadratic in the file's size. The newlines are indexed at the first
// lookup; each lookup is then a binary search. `bytes` must outlive it and
// stay unchanged. Not thread-safe (the index is built lazily).
class LineIndex {
 public:
  explicit LineIndex(std::string_view bytes) : bytes_(bytes) {}

  // As LineAtOffset(bytes, offset).
  int At(std::ptrdiff_t offset) const {
    if (offset < 0) return 0;
    if (!built_) Build();
    const size_t at = std::min(static_cast<size_t>(offset), bytes_.size());
    const auto before = std::lower_bound(newlines_.begin(), newlines_.end(), at);
    return 1 + static_cast<int>(before - newlines_.begin());
  }

 private:
  void Build() const {
    for (size_t i = bytes_.find('\n'); i != std::string_view::npos; i = bytes_.find('\n', i + 1)) {
      newlines_.push_back(i);
    }
    built_ = true;
  }

  std::string_view bytes_;
  mutable std::vector<size_t> newlines_;
  mutable bool built_ = false;
};

}  // namespace credflow::adapters
