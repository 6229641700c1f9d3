// The auditor's desk routes (auditor and admin only, checked by the route
// table in api.cc): the whole store's chain check a page at a time, a case's
// replay, and the anchor files of `serve --anchor-dir` listed and checked
// against the store. Read-only; they change nothing.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/http/api.h"
#include "adapters/http/problem.h"
#include "engine/anchor.h"
#include "engine/audit.h"

namespace credflow::adapters::http {
namespace {

using engine::Json;

constexpr int kDefaultChains = 100;
constexpr int kMaxChains = 500;
constexpr int kDefaultAnchors = 20;
constexpr int kMaxAnchors = 100;
// An anchor checked against a rewritten store lists this many mismatches
// (and counts them all).
constexpr size_t kMaxMismatchesShown = 100;

HttpResponse JsonAnswer(const Json& body) {
  HttpResponse r;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

// `limit` (1..max, default `fallback`) and `after` from the query; no other
// parameter, none twice. The problem, or nullopt.
std::optional<HttpResponse> PageParameters(const HttpRequest& req, int fallback, int max, int* limit,
                                           std::string* after) {
  *limit = fallback;
  std::set<std::string> seen;
  for (const auto& [name, value] : req.query) {
    if (name != "limit" && name != "after") {
      return Problem(400, "invalid_parameter", "unknown query parameter '" + name + "'");
    }
    if (!seen.insert(name).second)
      return Problem(400, "invalid_parameter", "query parameter '" + name + "' is given twice");
    if (name == "after") {
      if (value.size() > 200) return Problem(400, "invalid_parameter", "after is at most 200 bytes");
      *after = value;
      continue;
    }
    const bool digits = !value.empty() && value.size() <= 4 &&
                        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    *limit = digits ? std::stoi(value) : 0;
    if (*limit < 1 || *limit > max) return Problem(400, "invalid_parameter", "limit must be 1-" + std::to_string(max));
  }
  return std::nullopt;
}

Json BreakJson(const engine::ChainBreak& b) {
  return {{"case", b.case_id}, {"seq", b.seq}, {"event", b.event}, {"problem", b.problem}};
}

}  // namespace

HttpResponse Api::VerifyStore(const HttpRequest& req, const PathParams&, const Caller&) {
  int limit = 0;
  std::string after;
  if (auto problem = PageParameters(req, kDefaultChains, kMaxChains, &limit, &after)) return *problem;
  // One page of cases in id order (one more than the page, to know whether
  // another follows): the store is never read whole for one request.
  engine::CaseQuery page;
  page.after_id = after;
  page.limit = limit + 1;
  const ReadSource reads = Reads();
  engine::Result<std::vector<engine::Case>> cases = reads.store->FindCases(page);
  if (!cases.ok()) return Fail(cases.status());
  engine::Result<int64_t> total = reads.store->CountAllCases();
  if (!total.ok()) return Fail(total.status());
  const bool more = static_cast<int>(cases->size()) > limit;
  if (more) cases->pop_back();
  Json broken = Json::array();
  for (const engine::Case& c : *cases) {
    engine::Result<std::optional<engine::ChainBreak>> r = engine::VerifyCaseHistory(*reads.store, c.id);
    if (!r.ok() && !r.status().IsNotFound()) return Fail(r.status());
    if (r.ok() && r->has_value()) broken.push_back(BreakJson(**r));
  }
  Json answer = Json::object();
  answer["checked"] = cases->size();
  answer["total"] = *total;
  answer["intact"] = broken.empty();
  answer["first_broken"] = broken.empty() ? Json(nullptr) : broken[0];
  answer["broken"] = std::move(broken);
  answer["next"] = more ? Json(cases->back().id) : Json(nullptr);
  return ReadFrom(reads, JsonAnswer(answer));
}

HttpResponse Api::ReplayOneCase(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  if (!req.query.empty()) return Problem(400, "invalid_parameter", "this route takes no query parameters");
  engine::Result<engine::Case> c = LoadVisibleCase(p.at("id"), caller);
  if (!c.ok()) return Fail(c.status());
  engine::Result<engine::ReplayReport> r =
      engine::ReplayCase(service_->store(), service_->workflows(), service_->rules(), c->id);
  if (!r.ok()) return Fail(r.status());
  return JsonAnswer({{"case", r->case_id},
                     {"matches", r->matches},
                     {"stored_state", r->stored_state},
                     {"replayed_state", r->replayed_state},
                     {"events", r->events},
                     {"problem", r->problem.empty() ? Json(nullptr) : Json(r->problem)}});
}

namespace {

Json ShelvedJson(const ShelvedAnchor& a) {
  Json j = {{"name", a.name}, {"signature_ok", a.signature_ok}};
  if (!a.signature_ok) {
    j["problem"] = a.problem;
    return j;
  }
  j["at"] = engine::FormatOfficeTimestamp(a.statement.at);
  j["cases"] = a.statement.cases;
  j["events"] = a.statement.events;
  j["root"] = a.statement.root;
  j["key_fingerprint"] = a.key_fingerprint;
  j["key_given"] = a.key_given;
  return j;
}

}  // namespace

HttpResponse Api::ListAnchors(const HttpRequest& req, const PathParams&, const Caller&) {
  int limit = 0;
  std::string after;
  if (auto problem = PageParameters(req, kDefaultAnchors, kMaxAnchors, &limit, &after)) return *problem;
  Json items = Json::array();
  Json next = nullptr;
  if (options_.anchors != nullptr) {
    engine::Result<std::vector<std::string>> names = options_.anchors->Names();
    if (!names.ok()) return Fail(names.status());
    // Newest first: the page after `after` holds the smaller names.
    auto it = names->begin();
    if (!after.empty()) {
      it = std::find_if(names->begin(), names->end(), [&after](const std::string& n) { return n < after; });
    }
    for (; it != names->end(); ++it) {
      if (static_cast<int>(items.size()) == limit) {
        next = items.back()["name"];
        break;
      }
      engine::Result<ShelvedAnchor> a = options_.anchors->Open(*it);
      if (!a.ok()) {
        if (a.status().IsNotFound()) continue;  // removed meanwhile
        return Fail(a.status());
      }
      items.push_back(ShelvedJson(*a));
    }
  }
  return JsonAnswer({{"configured", options_.anchors != nullptr}, {"items", std::move(items)}, {"next", next}});
}

HttpResponse Api::CheckAnchorFile(const HttpRequest& req, const PathParams& p, const Caller&) {
  if (!req.query.empty()) return Problem(400, "invalid_parameter", "this route takes no query parameters");
  if (options_.anchors == nullptr) {
    return Problem(404, "anchor_not_found", "the server keeps no anchor folder (serve --anchor-dir)");
  }
  engine::Result<ShelvedAnchor> a = options_.anchors->Open(p.at("name"));
  if (!a.ok()) return Fail(a.status());
  Json answer = ShelvedJson(*a);
  answer["ok"] = false;
  answer["matched"] = 0;
  answer["mismatches"] = Json::array();
  answer["mismatch_count"] = 0;
  answer["not_covered"] = 0;
  answer["first_mismatch"] = nullptr;
  if (a->signature_ok) {
    engine::Result<engine::AnchorCheck> check = engine::CheckAnchor(service_->store(), a->statement);
    if (!check.ok()) return Fail(check.status());
    Json mismatches = Json::array();
    for (const engine::AnchorMismatch& m : check->mismatches) {
      if (mismatches.size() == kMaxMismatchesShown) break;
      mismatches.push_back({{"case", m.case_id}, {"seq", m.seq}, {"problem", m.problem}});
    }
    answer["ok"] = check->ok();
    answer["matched"] = check->matched;
    answer["mismatch_count"] = check->mismatches.size();
    answer["not_covered"] = check->not_covered.size();
    answer["first_mismatch"] = mismatches.empty() ? Json(nullptr) : mismatches[0];
    answer["mismatches"] = std::move(mismatches);
  }
  return JsonAnswer(answer);
}

}  // namespace credflow::adapters::http
