#include "adapters/input/bounded_file.h"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace credflow::adapters::input {

std::optional<std::string> ReadFileAtMost(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  // A directory opens as an empty file on Linux.
  if (std::filesystem::is_directory(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes;
  char chunk[64 * 1024];
  while (bytes.size() <= max_bytes && in) {
    in.read(chunk, sizeof chunk);
    bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  if (bytes.size() > max_bytes + 1) bytes.resize(max_bytes + 1);
  return bytes;
}

}  // namespace credflow::adapters::input
