// OpenApiStatuses: whether an answer of the server is one that the OpenAPI
// document (adapters/http/openapi.json) says its route can give. The HTTP
// test client checks every answer it receives with it, so a route that
// answers a status its operation does not list fails the test that saw it.
// Immutable after construction; safe for concurrent use.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace credflow::testing {

class OpenApiStatuses {
 public:
  // The statuses the server gives before or instead of routing, whatever
  // the path (the document's info.description lists them): a request whose
  // path or method has no operation in the document may only get these.
  static const std::set<int>& Unrouted();

  explicit OpenApiStatuses(const nlohmann::json& document);

  // The embedded document the server serves (adapters/http/api.h).
  static const OpenApiStatuses& Served();

  // Empty when `status` (with the media type of `content_type`, when the
  // document names the content of that answer) is documented for `method`
  // on the path of `target`; otherwise why it is not.
  std::string Check(const std::string& method, const std::string& target, int status,
                    const std::string& content_type) const;

 private:
  struct Operation {
    // status ("404" or "default") -> documented media types (empty: no body).
    std::map<std::string, std::set<std::string>> responses;
  };
  struct PathItem {
    std::string pattern;
    std::vector<std::string> segments;
    std::map<std::string, Operation> operations;  // by upper-case method
  };

  const PathItem* Find(const std::string& path) const;

  std::vector<PathItem> paths_;
};

}  // namespace credflow::testing
