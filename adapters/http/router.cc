#include "adapters/http/router.h"

#include <algorithm>

#include <boost/algorithm/string/split.hpp>

namespace credflow::adapters::http {
namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> parts;
  boost::algorithm::split(parts, path, [](char c) { return c == '/'; });
  return parts;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF); a decoded segment is echoed in answers, which are JSON.
bool IsUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // bounds of the second byte
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) return false;
    }
    i += n + 1;
  }
  return true;
}

// One segment, percent-decoded; false when it is not a clean segment.
bool DecodeSegment(const std::string& raw, std::string* out) {
  out->clear();
  out->reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c <= 0x20 || c >= 0x7f) return false;  // raw bytes: visible ASCII only
    unsigned char decoded = c;
    if (c == '%') {
      if (i + 2 >= raw.size()) return false;
      const int hi = HexValue(raw[i + 1]);
      const int lo = HexValue(raw[i + 2]);
      if (hi < 0 || lo < 0) return false;
      decoded = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
    }
    if (decoded < 0x20 || decoded == 0x7f || decoded == '/' || decoded == '\\') return false;
    out->push_back(static_cast<char>(decoded));
  }
  return IsUtf8(*out);
}

}  // namespace

std::optional<std::vector<std::string>> DecodePathSegments(const std::string& raw_path) {
  std::vector<std::string> segments = Segments(raw_path);
  for (std::string& s : segments) {
    std::string decoded;
    if (!DecodeSegment(s, &decoded)) return std::nullopt;
    s = std::move(decoded);
  }
  return segments;
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

bool Router::Fits(const std::string& pattern, const std::vector<std::string>& got, PathParams* params) {
  const std::vector<std::string> want = Segments(pattern);
  if (want.size() != got.size()) return false;
  PathParams found;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return false;
      found[w.substr(1, w.size() - 2)] = got[i];
    } else if (w != got[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  const std::optional<std::vector<std::string>> segments = DecodePathSegments(path);
  if (!segments) {
    m.malformed_path = true;
    return m;
  }
  // A literal segment beats a template ("/v1/cases/x/history/verify" vs
  // "/v1/cases/{id}/history" cannot collide: their lengths differ), so the
  // first route that fits in table order wins.
  for (const Route& r : routes_) {
    PathParams params;
    if (!Fits(r.pattern, *segments, &params)) continue;
    if (r.method == method) {
      if (m.route == nullptr) {
        m.route = &r;
        m.params = std::move(params);
      }
    }
    if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end()) {
      m.allowed.push_back(r.method);
    }
  }
  if (m.route != nullptr) m.allowed.clear();
  return m;
}

}  // namespace credflow::adapters::http
