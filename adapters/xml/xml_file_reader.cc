#include "adapters/xml/xml_file_reader.h"

#include "adapters/import/text_encoding.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace credflow::adapters {

std::optional<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  // At most one byte more than a rule file may have, so that a larger one is
  // refused without being read whole; read in chunks, so that a small file
  // costs its size (an 8 MiB buffer zeroed per file was the policy fuzz
  // target's whole time, and 15 files' worth at each start).
  std::string bytes;
  char chunk[64 * 1024];
  while (bytes.size() <= kMaxXmlFileBytes && in) {
    in.read(chunk, sizeof chunk);
    bytes.append(chunk, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  if (bytes.size() > kMaxXmlFileBytes + 1) bytes.resize(kMaxXmlFileBytes + 1);
  return bytes;
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
    errors->push_back({path, 0,
                       "the file has " + std::to_string(bytes->size()) + " bytes; at most " +
                           std::to_string(kMaxXmlFileBytes) + " are read"});
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
