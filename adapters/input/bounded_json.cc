// Bounded JSON decoding on nlohmann's parser callback (see bounded_json.h).
#include "adapters/input/bounded_json.h"

#include <optional>
#include <utility>

#include "adapters/import/text_encoding.h"

namespace credflow::adapters::input {
namespace {

using engine::Json;
using engine::Result;
using engine::Status;

// Thrown from the parser callback to stop nlohmann's parser at once (a
// callback that returns false only skips the value and reads on).
struct LimitExceeded {
  Status status;
};

}  // namespace

Result<Json> DecodeJson(std::string_view text, const std::string& what, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::InvalidArgument("too_large", what + " has " + std::to_string(text.size()) + " bytes; at most " +
                                                    std::to_string(limits.max_bytes) + " are read");
  }
  // nlohmann calls back with the depth of the container being opened (0 for
  // the outermost) and with every key and value once it is read; its parser
  // keeps its own stack, so reading never recurses with the input.
  const Json::parser_callback_t bound = [&](int depth, Json::parse_event_t event, Json& parsed) {
    const bool opens = event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
    if (opens && static_cast<size_t>(depth) >= limits.max_depth) {
      throw LimitExceeded{Status::InvalidArgument(
          "too_deep", what + " nests objects and arrays more than " + std::to_string(limits.max_depth) + " deep")};
    }
    const bool text_value = event == Json::parse_event_t::key || event == Json::parse_event_t::value;
    if (text_value && parsed.is_string() && parsed.get_ref<const std::string&>().size() > limits.max_string_bytes) {
      throw LimitExceeded{Status::InvalidArgument(
          "string_too_long", what + " holds a string of " +
                                 std::to_string(parsed.get_ref<const std::string&>().size()) + " bytes; at most " +
                                 std::to_string(limits.max_string_bytes) + " are accepted")};
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), bound, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const LimitExceeded& e) {
    return e.status;
  } catch (const Json::parse_error& e) {
    // nlohmann's lexer refuses ill-formed UTF-8 in strings (and any byte
    // over 0x7F outside them); iconv tells that apart from other syntax.
    if (std::optional<size_t> bad = importer::FirstInvalidUtf8Byte(text)) {
      return Status::InvalidArgument(
          "invalid_utf8", what + " is not valid UTF-8 (byte " + std::to_string(*bad) + "); send text in UTF-8");
    }
    return Status::InvalidArgument("malformed_json",
                                   what + " is not valid JSON (near byte " + std::to_string(e.byte) + ")");
  } catch (const Json::exception&) {
    // out_of_range 406: a number too large for a double (1e999).
    return Status::InvalidArgument("malformed_json", what + " holds a number out of range");
  }
}

}  // namespace credflow::adapters::input
