// JSON from outside credflow (HTTP bodies, --data/--form arguments,
// scenario files) decoded with bounds the input cannot move: a size limit
// checked before parsing, and a nesting limit and a string-length limit
// checked while nlohmann's (iterative) parser reads, so that a hostile
// document is refused at the first container or string over the limit,
// before it is built whole. A value DecodeJson returns is therefore at most
// kMaxJsonDepth deep, which keeps nlohmann's recursive dump() and the
// history's hashing within a few dozen frames.
//
// Threading: no shared state; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/case.h"
#include "engine/status.h"

namespace credflow::adapters::input {

// Containers (objects and arrays) nested deeper than this are refused. Forms,
// event data and scenario files need fewer than ten levels.
inline constexpr size_t kMaxJsonDepth = 32;
// A string (a value or an object key) longer than this many bytes of UTF-8
// is refused.
inline constexpr size_t kMaxJsonStringBytes = 64u << 10;  // 64 KiB
// A document larger than this is refused before it is parsed (the HTTP API
// uses its own body limit, kMaxBodyBytes, of the same size).
inline constexpr size_t kMaxJsonDocumentBytes = 1u << 20;  // 1 MiB

struct JsonLimits {
  size_t max_depth = kMaxJsonDepth;
  size_t max_string_bytes = kMaxJsonStringBytes;
  size_t max_bytes = kMaxJsonDocumentBytes;
};

// `text` parsed as one JSON value (RFC 8259, UTF-8, no comments). `what`
// names the input in messages ("the request body", "--data",
// "scenario.json"). Fails with InvalidArgument and one of these reasons:
//   too_large        `text` is over limits.max_bytes (nothing is parsed)
//   too_deep         a container opens deeper than limits.max_depth
//   string_too_long  a string or key is over limits.max_string_bytes
//   invalid_utf8     `text` is not well-formed UTF-8 (the byte offset)
//   malformed_json   anything else nlohmann's parser refuses (the byte offset)
// The message names `what` and where in it the problem starts.
engine::Result<engine::Json> DecodeJson(std::string_view text, const std::string& what,
                                        const JsonLimits& limits = JsonLimits{});

}  // namespace credflow::adapters::input
