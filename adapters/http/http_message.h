// An HTTP request and response as the API handlers see them: plain values,
// no Poco types, so that handlers and the dispatcher are tested without
// sockets and server.cc alone converts to and from Poco.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <strings.h>

namespace credflow::adapters::http {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const { return ::strcasecmp(a.c_str(), b.c_str()) < 0; }
};
using HeaderMap = std::map<std::string, std::string, CaseInsensitiveLess>;

struct HttpRequest {
  std::string method;                                      // GET, POST, ...
  std::string path;                                        // as sent (percent-encoded), without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  HeaderMap headers;
  std::string body;
  bool body_too_large = false;  // the server stopped reading at kMaxBodyBytes
  std::string client;           // the peer's IP address ("" without a socket)

  // The header's value, or "" when absent.
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  HeaderMap headers;
  std::string body;
};

// The largest request body the API reads (the issue: 1 MiB, then 413).
inline constexpr size_t kMaxBodyBytes = 1 << 20;

}  // namespace credflow::adapters::http
