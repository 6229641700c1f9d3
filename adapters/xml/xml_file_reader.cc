#include "adapters/xml/xml_file_reader.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace credflow::adapters {

std::optional<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(bytes).str();
}

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// Reads the file and parses it; reports and returns false on failure.
bool ParseFile(const std::string& path, std::string* bytes, pugi::xml_document* doc,
               std::vector<policies::PolicyError>* errors) {
  std::optional<std::string> read = ReadFileBytes(path);
  if (!read) {
    errors->push_back({path, 0, "cannot read the file"});
    return false;
  }
  *bytes = std::move(*read);
  const pugi::xml_parse_result parsed =
      doc->load_buffer(bytes->data(), bytes->size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    errors->push_back(
        {path, LineAtOffset(*bytes, parsed.offset), std::string("XML parse error: ") + parsed.description()});
    return false;
  }
  return true;
}

}  // namespace credflow::adapters
