#include "adapters/xml/xml_file_reader.h"

#include "adapters/import/text_encoding.h"
#include "adapters/input/bounded_file.h"

#include <charconv>
#include <sstream>

namespace credflow::adapters {

std::optional<std::string> ReadFileBytes(const std::string& path) {
  // In chunks: an 8 MiB buffer zeroed per file was the policy fuzz target's
  // whole time, and 15 files' worth at each start.
  return input::ReadFileAtMost(path, kMaxXmlFileBytes);
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
  if (bytes->size() > kMaxXmlFileBytes) {
    errors->push_back(
        {path, 0,
         "the file has more than " + std::to_string(kMaxXmlFileBytes) + " bytes, the most a rule file may have"});
    return false;
  }
  // pugixml takes the bytes as UTF-8 without checking them (encoding_utf8);
  // text that is not would reach the rules and the history as it is.
  if (const std::optional<size_t> bad = importer::FirstInvalidUtf8Byte(*bytes)) {
    errors->push_back({path, LineAtOffset(*bytes, static_cast<ptrdiff_t>(*bad)),
                       "the bytes are not valid UTF-8 (byte " + std::to_string(*bad) + "); save the file as UTF-8"});
    return false;
  }
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
