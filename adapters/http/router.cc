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

}  // namespace

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

bool Router::Fits(const std::string& pattern, const std::string& path, PathParams* params) {
  const std::vector<std::string> want = Segments(pattern);
  const std::vector<std::string> got = Segments(path);
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
  // A literal segment beats a template ("/v1/cases/x/history/verify" vs
  // "/v1/cases/{id}/history" cannot collide: their lengths differ), so the
  // first route that fits in table order wins.
  for (const Route& r : routes_) {
    PathParams params;
    if (!Fits(r.pattern, path, &params)) continue;
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
