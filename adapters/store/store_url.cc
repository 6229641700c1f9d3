#include "adapters/store/store_url.h"

#include <cctype>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace credflow::adapters {

using engine::Result;
using engine::Status;

namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::string_view kPgKeywordPrefix = "postgresql:";
constexpr std::string_view kPgUriPrefixes[] = {"postgresql://", "postgres://"};

bool UrlStartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

Status BadUrl(const std::string& why) {
  return Status::InvalidArgument("invalid_store_url", "invalid store URL: " + why);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexDigit(in[i + 1]);
    const int lo = HexDigit(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

// Appends `key=value` in libpq keyword/value syntax, unquoted with backslash
// escapes: SOCI 4.0.3 splits its connect string at spaces before libpq sees
// it, so quoted values with spaces cannot survive; values with whitespace are
// refused instead.
Status AppendKeyword(std::string* out, const std::string& key, const std::string& value) {
  for (char c : key) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      return BadUrl("bad parameter name");
    }
  }
  std::string escaped;
  for (char c : value) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      return BadUrl("the value of '" + key + "' contains whitespace, which the SOCI PostgreSQL backend cannot pass");
    }
    if (c == '\\' || c == '\'') escaped.push_back('\\');
    escaped.push_back(c);
  }
  if (!out->empty()) out->push_back(' ');
  *out += key + "=" + escaped;
  return Status::Ok();
}

// postgresql://[user[:password]@][host[:port][,host[:port]...]][/dbname][?k=v&...]
Result<StoreUrl> ParsePgUri(std::string_view rest) {
  StoreUrl url;
  url.backend = StoreBackend::kPostgresql;
  std::string_view params;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    params = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string_view userinfo;
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }
  std::string connect;
  std::string redacted(kPgUriPrefixes[0]);
  std::string decoded;

  if (!userinfo.empty()) {
    std::string_view user = userinfo;
    std::optional<std::string_view> password;
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      password = userinfo.substr(colon + 1);
    }
    if (!PercentDecode(user, &decoded)) return BadUrl("bad percent-encoding in the user");
    if (!decoded.empty()) CREDFLOW_RETURN_IF_ERROR(AppendKeyword(&connect, "user", decoded));
    redacted += std::string(user);
    if (password) {
      if (!PercentDecode(*password, &decoded)) {
        return BadUrl("bad percent-encoding in the password");
      }
      CREDFLOW_RETURN_IF_ERROR(AppendKeyword(&connect, "password", decoded));
      redacted += ":***";
    }
    redacted += "@";
  }

  // Hosts: a comma-separated list of host[:port], a host may be [ipv6].
  std::string hosts, ports;
  bool any_port = false;
  redacted += std::string(rest);
  while (!rest.empty()) {
    std::string_view item = rest;
    if (size_t comma = rest.find(','); comma != std::string_view::npos) {
      item = rest.substr(0, comma);
      rest = rest.substr(comma + 1);
    } else {
      rest = {};
    }
    std::string_view host = item, port;
    if (!item.empty() && item.front() == '[') {
      size_t close = item.find(']');
      if (close == std::string_view::npos) return BadUrl("unclosed '[' in the host");
      host = item.substr(1, close - 1);
      std::string_view after = item.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') return BadUrl("junk after ']' in the host");
        port = after.substr(1);
      }
    } else if (size_t colon = item.rfind(':'); colon != std::string_view::npos) {
      host = item.substr(0, colon);
      port = item.substr(colon + 1);
    }
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return BadUrl("the port is not a number");
    }
    if (!PercentDecode(host, &decoded)) return BadUrl("bad percent-encoding in the host");
    if (!hosts.empty() || !ports.empty() || any_port) {
      hosts += ",";
      ports += ",";
    }
    hosts += decoded;
    ports += std::string(port);
    any_port = any_port || !port.empty();
  }
  if (!hosts.empty() && hosts.find_first_not_of(',') != std::string::npos) {
    CREDFLOW_RETURN_IF_ERROR(AppendKeyword(&connect, "host", hosts));
  }
  if (any_port) CREDFLOW_RETURN_IF_ERROR(AppendKeyword(&connect, "port", ports));

  if (!path.empty()) {
    if (!PercentDecode(path, &decoded)) return BadUrl("bad percent-encoding in the database");
    CREDFLOW_RETURN_IF_ERROR(AppendKeyword(&connect, "dbname", decoded));
    redacted += "/" + std::string(path);
  }

  std::string redacted_params;
  while (!params.empty()) {
    std::string_view item = params;
    if (size_t amp = params.find('&'); amp != std::string_view::npos) {
      item = params.substr(0, amp);
      params = params.substr(amp + 1);
    } else {
      params = {};
    }
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) return BadUrl("a query parameter without '='");
    std::string key, value;
    if (!PercentDecode(item.substr(0, eq), &key) || !PercentDecode(item.substr(eq + 1), &value)) {
      return BadUrl("bad percent-encoding in a query parameter");
    }
    CREDFLOW_RETURN_IF_ERROR(AppendKeyword(&connect, key, value));
    redacted_params += (redacted_params.empty() ? "?" : "&") + key + "=" +
                       (key == "password" ? std::string("***") : std::string(item.substr(eq + 1)));
  }
  redacted += redacted_params;

  url.connect_string = std::move(connect);
  url.redacted = std::move(redacted);
  return url;
}

// Replaces the value of password=... in a keyword/value string by ***.
std::string RedactKeywords(const std::string& keywords) {
  std::string out;
  size_t i = 0;
  while (i < keywords.size()) {
    size_t end = i;
    bool quoted = false;
    while (end < keywords.size() && (quoted || !std::isspace(static_cast<unsigned char>(keywords[end])))) {
      if (keywords[end] == '\\' && end + 1 < keywords.size()) {
        end += 2;
        continue;
      }
      if (keywords[end] == '\'') quoted = !quoted;
      ++end;
    }
    std::string token = keywords.substr(i, end - i);
    size_t eq = token.find('=');
    std::string key = token.substr(0, eq);
    while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
    if (eq != std::string::npos && key == "password") token = "password=***";
    out += token;
    while (end < keywords.size() && std::isspace(static_cast<unsigned char>(keywords[end]))) {
      out.push_back(keywords[end++]);
    }
    i = end;
  }
  return out;
}
}  // namespace

Result<StoreUrl> ParseStoreUrl(const std::string& url) {
  for (std::string_view prefix : kPgUriPrefixes) {
    if (UrlStartsWith(url, prefix)) return ParsePgUri(std::string_view(url).substr(prefix.size()));
  }
  if (UrlStartsWith(url, kPgKeywordPrefix)) {
    StoreUrl out;
    out.backend = StoreBackend::kPostgresql;
    out.connect_string = url.substr(kPgKeywordPrefix.size());
    out.redacted = std::string(kPgKeywordPrefix) + RedactKeywords(out.connect_string);
    return out;
  }
  if (UrlStartsWith(url, kSqlitePrefix)) {
    std::string path = url.substr(kSqlitePrefix.size());
    if (path.empty()) return BadUrl("sqlite: needs a file path");
    if (path == ":memory:" || UrlStartsWith(path, "file:")) {
      // Each pooled connection would see a database of its own.
      return BadUrl("sqlite: needs a plain file path (no :memory:, no file: URI)");
    }
    if (path.find('"') != std::string::npos) return BadUrl("a SQLite path may not contain '\"'");
    StoreUrl out;
    out.backend = StoreBackend::kSqlite;
    // Quoted, so that SOCI keeps spaces and '=' in the path.
    out.connect_string = "db=\"" + path + "\"";
    out.sqlite_path = path;
    out.redacted = url;
    return out;
  }
  return BadUrl("expected sqlite:PATH, postgresql:KEY=VALUE... or postgresql://...");
}

}  // namespace credflow::adapters
