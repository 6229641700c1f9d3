// The route table: method + path template ("/v1/cases/{id}/events") -> the
// roles that may call it and the handler. The table is data, so the OpenAPI
// test and the role x route test walk the same routes the server serves.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/http_message.h"
#include "engine/user.h"

namespace credflow::adapters::http {

using PathParams = std::map<std::string, std::string>;

// Who is calling: the authenticated user (empty name on a public route).
struct Caller {
  engine::User user;
  bool authenticated = false;
};

using Handler = std::function<HttpResponse(const HttpRequest&, const PathParams&, const Caller&)>;

struct Route {
  std::string method;
  std::string pattern;              // "/v1/cases/{id}", the metrics label too
  bool is_public = false;           // no token needed
  std::vector<engine::Role> roles;  // who may call it (when not public)
  Handler handler;
};

// The path's segments ("/v1/cases/a%20b" -> "", "v1", "cases", "a b"):
// split on '/' while still percent-encoded, then each decoded. nullopt when
// the path holds a byte that is not visible ASCII, a bad escape ("%zz",
// "%4"), or a segment that decodes to '/', a backslash, a control character (NUL
// included) or DEL: such a path is malformed, never a near-miss of a route.
std::optional<std::vector<std::string>> DecodePathSegments(const std::string& raw_path);

class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;  // null: no route for this method
    PathParams params;
    std::vector<std::string> allowed;  // methods the path does accept (405)
    bool malformed_path = false;       // a segment does not decode (400)
  };
  // The route for `method` and `path`, the path as sent (percent-encoded).
  // The path is split on '/' first and each segment decoded after, so an
  // encoded delimiter never moves a segment boundary. malformed_path when a
  // segment does not decode to a clean segment (see DecodePathSegments);
  // else route == nullptr and allowed empty when no template matches the
  // path (404), allowed non-empty when only the method is wrong (405).
  // Template parameters hold the decoded segment.
  Match Find(const std::string& method, const std::string& path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // Fills params when the decoded segments fit `pattern`.
  static bool Fits(const std::string& pattern, const std::vector<std::string>& segments, PathParams* params);

  std::vector<Route> routes_;
};

}  // namespace credflow::adapters::http
