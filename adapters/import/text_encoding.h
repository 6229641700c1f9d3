// Text files as offices hand them over: UTF-8 (with or without a byte order
// mark) or GB 18030, the encoding Excel in mainland China writes a CSV in
// (GBK and GB 2312 are subsets of it). Everything inside credflow is UTF-8;
// these functions turn a file's bytes into UTF-8 text with glibc's iconv(3),
// never by hand, and say on which line a byte is wrong.
//
// Threading: no shared state (each call opens its own iconv descriptor);
// safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace credflow::adapters::importer {

enum class TextEncoding {
  kAuto,     // valid UTF-8 is UTF-8; anything else is read as GB 18030
  kUtf8,     // UTF-8, a leading byte order mark allowed
  kGb18030,  // GB 18030 (and so GBK, GB 2312)
};

// "auto", "utf-8" (or "utf8"), "gb18030" (or "gbk", "gb2312": read as their
// superset); nullopt for anything else. Case-insensitive.
std::optional<TextEncoding> ParseTextEncoding(std::string_view name);
// The name ParseTextEncoding accepts back: auto, utf-8, gb18030.
const char* TextEncodingName(TextEncoding encoding);

// Whether `bytes` are well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);
// Where the first byte that breaks UTF-8 (as IsValidUtf8 judges it) starts in
// `bytes`, or nullopt when all of `bytes` is well-formed UTF-8.
std::optional<size_t> FirstInvalidUtf8Byte(std::string_view bytes);

struct DecodedText {
  std::string utf8;       // the text in UTF-8, without a byte order mark
  TextEncoding encoding;  // what the bytes were read as (never kAuto)
};

// `bytes` as UTF-8 text. With kAuto, valid UTF-8 is taken as it is and
// anything else is converted from GB 18030. On success the text has the same
// line breaks as the bytes. Fails with InvalidArgument("invalid_encoding")
// naming the first line (1-based) whose bytes the encoding does not allow,
// e.g. "line 7: the bytes are not valid GB 18030 (offset 12 in the line)".
// Internal when glibc's iconv has no GB 18030 converter.
engine::Result<DecodedText> DecodeToUtf8(std::string_view bytes, TextEncoding encoding);

// Files larger than this are refused before they are read whole.
inline constexpr size_t kMaxTextFileBytes = 64u << 20;  // 64 MiB

// The file at `path` read whole and decoded as DecodeToUtf8 does.
// NotFound("file_not_found") when it cannot be read,
// InvalidArgument("file_too_large") over `max_bytes`, and DecodeToUtf8's
// failures.
engine::Result<DecodedText> ReadTextFile(const std::string& path, TextEncoding encoding,
                                         size_t max_bytes = kMaxTextFileBytes);

// UTF-8 text converted to `charset` (an iconv name such as "GB18030").
// InvalidArgument("invalid_encoding") for text that is not valid UTF-8 or
// that `charset` cannot represent; Internal for an unknown charset. Used to
// write files in an office's encoding (and by the tests to make them).
engine::Result<std::string> EncodeFromUtf8(std::string_view utf8, const char* charset);

}  // namespace credflow::adapters::importer
