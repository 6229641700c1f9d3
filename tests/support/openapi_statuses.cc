#include "tests/support/openapi_statuses.h"

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/split.hpp>
#include <boost/algorithm/string/trim.hpp>

#include "adapters/http/api.h"

namespace credflow::testing {
namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> parts;
  boost::algorithm::split(parts, path, [](char c) { return c == '/'; });
  return parts;
}

bool IsTemplate(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::string MediaType(const std::string& content_type) {
  return boost::algorithm::to_lower_copy(boost::algorithm::trim_copy(content_type.substr(0, content_type.find(';'))));
}

}  // namespace

const std::set<int>& OpenApiStatuses::Unrouted() {
  // 404 no path, 405 no such method there (and TRACE, CONNECT anywhere); the
  // server's refusals of a request head or body it cannot serve.
  static const std::set<int> kUnrouted = {400, 404, 405, 408, 411, 413, 414, 417, 431, 501, 503, 505};
  return kUnrouted;
}

OpenApiStatuses::OpenApiStatuses(const nlohmann::json& document) {
  for (const auto& [pattern, item] : document.at("paths").items()) {
    PathItem path{pattern, Segments(pattern), {}};
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters" || !op.is_object() || !op.contains("responses")) continue;
      Operation operation;
      for (const auto& [status, response] : op.at("responses").items()) {
        // A $ref names a shared response; its content is looked up there.
        const nlohmann::json* r = &response;
        if (response.contains("$ref")) {
          const std::string ref = response.at("$ref").get<std::string>();
          r = &document.at(nlohmann::json::json_pointer(ref.substr(1)));
        }
        std::set<std::string>& types = operation.responses[status];
        const nlohmann::json content = r->value("content", nlohmann::json::object());
        for (auto it = content.begin(); it != content.end(); ++it) types.insert(MediaType(it.key()));
      }
      path.operations[boost::algorithm::to_upper_copy(method)] = std::move(operation);
    }
    paths_.push_back(std::move(path));
  }
}

const OpenApiStatuses& OpenApiStatuses::Served() {
  static const OpenApiStatuses kServed(nlohmann::json::parse(adapters::http::OpenApiDocument()));
  return kServed;
}

const OpenApiStatuses::PathItem* OpenApiStatuses::Find(const std::string& path) const {
  if (path.empty() || path.front() != '/') return nullptr;
  const std::vector<std::string> got = Segments(path);
  const PathItem* best = nullptr;
  int best_literals = -1;
  for (const PathItem& item : paths_) {
    if (item.segments.size() != got.size()) continue;
    int literals = 0;
    bool fits = true;
    for (size_t i = 0; fits && i < got.size(); ++i) {
      if (IsTemplate(item.segments[i])) {
        fits = !got[i].empty();
      } else {
        fits = item.segments[i] == got[i];
        ++literals;
      }
    }
    // A literal segment wins over a template (OpenAPI 3.0 "Path Templating").
    if (fits && literals > best_literals) {
      best = &item;
      best_literals = literals;
    }
  }
  return best;
}

std::string OpenApiStatuses::Check(const std::string& method, const std::string& target, int status,
                                   const std::string& content_type) const {
  const std::string path = target.substr(0, target.find_first_of("?#"));
  const PathItem* item = Find(path);
  const std::string answer = method + " " + target + " answered " + std::to_string(status);
  if (item == nullptr || item->operations.count(method) == 0) {
    if (Unrouted().count(status)) return "";
    return answer + (item == nullptr ? ", but the document has no path for it"
                                     : ", but the document has no " + method + " on " + item->pattern);
  }
  const Operation& op = item->operations.at(method);
  auto it = op.responses.find(std::to_string(status));
  if (it == op.responses.end()) it = op.responses.find("default");
  if (it == op.responses.end()) {
    return answer + ", which the document does not list for " + method + " " + item->pattern;
  }
  if (!it->second.empty() && it->second.count(MediaType(content_type)) == 0) {
    return answer + " as '" + content_type + "', which the document does not list for that answer of " + method + " " +
           item->pattern;
  }
  return "";
}

}  // namespace credflow::testing
