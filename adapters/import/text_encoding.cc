// Reading UTF-8 and GB 18030 text with glibc's iconv(3) (see text_encoding.h).
#include "adapters/import/text_encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>

#include "adapters/input/bounded_file.h"

namespace credflow::adapters::importer {
namespace {

using engine::Result;
using engine::Status;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// An iconv descriptor, closed on every path.
class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  // Converts `in` whole, appending to *out. On a byte sequence the source
  // encoding does not allow (or cut short at the end), returns false and sets
  // *bad_offset to where it starts in `in`.
  bool Convert(std::string_view in, std::string* out, size_t* bad_offset) {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // initial shift state
    // iconv(3) takes char**, though it does not write through the input.
    char* src = const_cast<char*>(in.data());
    size_t src_left = in.size();
    char buffer[4096];
    while (src_left > 0) {
      char* dst = buffer;
      size_t dst_left = sizeof buffer;
      const size_t done = iconv(cd_, &src, &src_left, &dst, &dst_left);
      out->append(buffer, static_cast<size_t>(dst - buffer));
      if (done != static_cast<size_t>(-1)) continue;
      if (errno == E2BIG) continue;  // buffer full: drain and go on
      *bad_offset = static_cast<size_t>(src - in.data());
      return false;  // EILSEQ (not allowed) or EINVAL (cut short)
    }
    char* dst = buffer;
    size_t dst_left = sizeof buffer;
    iconv(cd_, nullptr, nullptr, &dst, &dst_left);  // flush any shift sequence
    out->append(buffer, static_cast<size_t>(dst - buffer));
    return true;
  }

 private:
  iconv_t cd_;
};

// Length of the valid UTF-8 prefix of `s`, as iconv's UTF-8 decoder judges
// it (no overlong forms, no surrogates, nothing above U+10FFFF).
size_t ValidUtf8Prefix(std::string_view s) {
  // Into UTF-16, which cannot hold what lies above U+10FFFF (glibc's
  // UTF-8 to UTF-8 lets it through).
  Iconv cd("UTF-16LE", "UTF-8");
  if (!cd.ok()) return 0;
  std::string sink;
  size_t bad = 0;
  return cd.Convert(s, &sink, &bad) ? s.size() : bad;
}

// Calls `f(line, number)` for each line of `text` (split on '\n', which is
// never part of a GB 18030 or UTF-8 multi-byte character); stops at the
// first false.
template <typename F>
bool EachLine(std::string_view text, F f) {
  size_t start = 0;
  int number = 1;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (!f(text.substr(start, end - start), number)) return false;
    if (end == text.size()) break;
    start = end + 1;
    ++number;
  }
  return true;
}

Status BadLine(int line, size_t offset, const char* encoding) {
  return Status::InvalidArgument("invalid_encoding", "line " + std::to_string(line) + ": the bytes are not valid " +
                                                         encoding + " (offset " + std::to_string(offset) +
                                                         " in the line); save the file as UTF-8 or GB 18030, or "
                                                         "name its encoding with --encoding");
}

Result<DecodedText> FromUtf8(std::string_view bytes) {
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) bytes.remove_prefix(kUtf8Bom.size());
  std::optional<Status> problem;
  EachLine(bytes, [&](std::string_view line, int number) {
    const size_t valid = ValidUtf8Prefix(line);
    if (valid == line.size()) return true;
    problem = BadLine(number, valid, "UTF-8");
    return false;
  });
  if (problem) return *problem;
  return DecodedText{std::string(bytes), TextEncoding::kUtf8};
}

Result<DecodedText> FromGb18030(std::string_view bytes) {
  Iconv cd("UTF-8", "GB18030");
  if (!cd.ok()) return Status::Internal("iconv has no GB18030 to UTF-8 converter on this system");
  DecodedText decoded{std::string(), TextEncoding::kGb18030};
  decoded.utf8.reserve(bytes.size() + bytes.size() / 2);
  std::optional<Status> problem;
  EachLine(bytes, [&](std::string_view line, int number) {
    if (number > 1) decoded.utf8 += '\n';
    size_t bad = 0;
    if (cd.Convert(line, &decoded.utf8, &bad)) return true;
    problem = BadLine(number, bad, "GB 18030");
    return false;
  });
  if (problem) return *problem;
  // GB 18030's own byte order mark (84 31 95 33) comes out as U+FEFF.
  if (std::string_view(decoded.utf8).substr(0, kUtf8Bom.size()) == kUtf8Bom) decoded.utf8.erase(0, kUtf8Bom.size());
  return decoded;
}

}  // namespace

std::optional<TextEncoding> ParseTextEncoding(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "auto") return TextEncoding::kAuto;
  if (lower == "utf-8" || lower == "utf8") return TextEncoding::kUtf8;
  if (lower == "gb18030" || lower == "gb-18030" || lower == "gbk" || lower == "gb2312") return TextEncoding::kGb18030;
  return std::nullopt;
}

const char* TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kAuto: return "auto";
    case TextEncoding::kUtf8: return "utf-8";
    case TextEncoding::kGb18030: return "gb18030";
  }
  return "auto";
}

bool IsValidUtf8(std::string_view bytes) { return ValidUtf8Prefix(bytes) == bytes.size(); }

std::optional<size_t> FirstInvalidUtf8Byte(std::string_view bytes) {
  const size_t valid = ValidUtf8Prefix(bytes);
  if (valid == bytes.size()) return std::nullopt;
  return valid;
}

Result<DecodedText> DecodeToUtf8(std::string_view bytes, TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8: return FromUtf8(bytes);
    case TextEncoding::kGb18030: return FromGb18030(bytes);
    case TextEncoding::kAuto: break;
  }
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) return FromUtf8(bytes);  // the mark says so
  return IsValidUtf8(bytes) ? FromUtf8(bytes) : FromGb18030(bytes);
}

Result<DecodedText> ReadTextFile(const std::string& path, TextEncoding encoding, size_t max_bytes) {
  const std::optional<std::string> bytes = input::ReadFileAtMost(path, max_bytes);
  if (!bytes) return Status::NotFound("file_not_found", "cannot read " + path);
  if (bytes->size() > max_bytes) {
    return Status::InvalidArgument(
        "file_too_large", path + " has more than " + std::to_string(max_bytes) + " bytes, the most that is read");
  }
  return DecodeToUtf8(*bytes, encoding);
}

Result<std::string> EncodeFromUtf8(std::string_view utf8, const char* charset) {
  if (!IsValidUtf8(utf8)) {
    return Status::InvalidArgument("invalid_encoding", "the text is not valid UTF-8");
  }
  Iconv cd(charset, "UTF-8");
  if (!cd.ok()) return Status::Internal(std::string("iconv has no UTF-8 to ") + charset + " converter");
  std::string out;
  size_t bad = 0;
  if (!cd.Convert(utf8, &out, &bad)) {
    return Status::InvalidArgument("invalid_encoding", std::string("the text at byte ") + std::to_string(bad) +
                                                           " cannot be written in " + charset);
  }
  return out;
}

}  // namespace credflow::adapters::importer
