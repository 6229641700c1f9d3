// Reading a whole file that comes from outside credflow (rule files,
// scenario files, @file arguments, CSV imports, anchors, keys) without
// letting the file decide how much is read.
//
// Threading: no shared state; safe to call from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace credflow::adapters::input {

// The bytes of the file at `path` when it has at most `max_bytes`; else its
// first max_bytes + 1 bytes, so that the caller can tell "too large"
// (result->size() > max_bytes) without reading the rest. Read in chunks: a
// small file costs its size, not the limit, and a file that never ends (a
// FIFO, /dev/zero) stops at the limit. nullopt when `path` cannot be opened
// or read, or is a directory.
std::optional<std::string> ReadFileAtMost(const std::string& path, std::size_t max_bytes);

}  // namespace credflow::adapters::input
