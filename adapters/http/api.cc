#include "adapters/http/api.h"

#include <spdlog/spdlog.h>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/trim.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <set>

#include "adapters/app/views.h"
#include "adapters/documents/documents.h"
#include "adapters/http/problem.h"
#include "adapters/http/statistics.h"
#include "adapters/import/text_encoding.h"
#include "adapters/input/bounded_json.h"
#include "engine/audit.h"
#include "engine/form_data.h"
#include "engine/projections.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/enforcement/enforcement_workflow.h"
#include "workflows/record/record_workflow.h"
#include "workflows/remediation_ledger/ledger_workflow.h"
#include "workflows/repair/names.h"
#include "workflows/repair/repair_workflow.h"

namespace credflow::adapters::http {
namespace {

using engine::Json;
using engine::Role;
using engine::Status;

constexpr int kMaxPageSize = 500;
constexpr int kDefaultPageSize = 100;
constexpr size_t kMaxIdempotencyKey = 200;

const std::vector<Role> kAnyRole = {Role::kCaseworker, Role::kDepartment, Role::kAuditor, Role::kAdmin};
const std::vector<Role> kActOnCases = {Role::kCaseworker, Role::kAdmin};
const std::vector<Role> kReadCases = {Role::kCaseworker, Role::kAuditor, Role::kAdmin};
// Everyone, but a department only for its own tasks (checked in the handler).
const std::vector<Role> kTaskReaders = {Role::kCaseworker, Role::kDepartment, Role::kAuditor, Role::kAdmin};
const std::vector<Role> kAuditors = {Role::kAuditor, Role::kAdmin};
const std::vector<Role> kEventSenders = {Role::kCaseworker, Role::kDepartment, Role::kAdmin};
// A department task's decision is its department's alone (the engine checks
// which department).
const std::vector<Role> kDepartments = {Role::kDepartment};
// Bounds on a repair application (the workflow bounds the records too).
constexpr size_t kMaxDocuments = 20;

// Invalid UTF-8 (from a path or query echoed back) must not throw here.
std::string ETagOf(int64_t version) { return "\"" + std::to_string(version) + "\""; }

engine::Actor ActorOf(const Caller& caller) {
  return engine::Actor{caller.user.name, engine::RoleName(caller.user.role), caller.user.department};
}

// The request body as a JSON object, decoded within the input limits
// (bounded_json.h), or the problem: 415 for another media type, 413 for a
// body over kMaxBodyBytes, 400 for malformed JSON or bytes that are not
// UTF-8, 422 for nesting over kMaxJsonDepth, a string over
// kMaxJsonStringBytes, or JSON that is not an object. Nothing deeper than the
// limit is ever built, so nothing deeper reaches the engine or the store.
std::optional<HttpResponse> ParseObject(const HttpRequest& req, Json* out) {
  // Media types compare case-insensitively, parameters (charset) aside.
  const std::string type = req.Header("Content-Type");
  const std::string media =
      boost::algorithm::to_lower_copy(boost::algorithm::trim_copy(type.substr(0, type.find(';'))));
  if (!media.empty() && media != "application/json") {
    return Problem(415, "unsupported_media_type", "send the body as application/json");
  }
  input::JsonLimits limits;
  limits.max_bytes = kMaxBodyBytes;
  engine::Result<Json> parsed = input::DecodeJson(req.body, "the request body", limits);
  if (!parsed.ok()) {
    const std::string& reason = parsed.status().reason();
    if (reason == "too_large") return Problem(413, "body_too_large", parsed.status().message());
    const int status = reason == "too_deep" || reason == "string_too_long" ? 422 : 400;
    return Problem(status, reason, parsed.status().message());
  }
  if (!parsed->is_object()) return Problem(422, "invalid_body", "the request body must be a JSON object");
  *out = std::move(*parsed);
  return std::nullopt;
}

// Field errors for members of `object` that are not in `allowed`.
void UnknownFields(const Json& object, const std::set<std::string>& allowed, const std::string& prefix,
                   std::vector<engine::FieldError>* errors) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (allowed.count(it.key()) == 0) {
      errors->push_back({prefix + it.key(), "unknown_field", prefix + it.key() + " is not a field of this request"});
    }
  }
}

// Checks that `object[name]` exists (when required) and has the JSON type.
void Expect(const Json& object, const std::string& name, const std::string& path, Json::value_t type, bool required,
            std::vector<engine::FieldError>* errors) {
  auto it = object.find(name);
  if (it == object.end()) {
    if (required) errors->push_back({path, "missing_field", path + " is required"});
    return;
  }
  if (it->type() != type) {
    const char* what = type == Json::value_t::object ? "an object" : "a string";
    errors->push_back({path, "invalid_type", path + " must be " + what});
  }
}

// 400 invalid_utf8 naming the first path parameter whose decoded value is
// not UTF-8 (e.g. GBK bytes percent-encoded), so that no handler looks it up
// or quotes it. (Query values are checked where a handler reads them.)
std::optional<HttpResponse> Utf8PathParameters(const PathParams& params) {
  for (const auto& [name, value] : params) {
    if (!importer::IsValidUtf8(value)) {
      return Problem(400, "invalid_utf8", "the path parameter {" + name + "} is not valid UTF-8");
    }
  }
  return std::nullopt;
}

HttpResponse FieldProblem(std::vector<engine::FieldError> errors) {
  const std::string code = errors.front().code;
  return Problem(422, code, std::to_string(errors.size()) + " field(s) of the request are not acceptable", errors);
}

// The Idempotency-Key header: absent, or 1-200 visible ASCII characters.
// Keys are scoped to the user, so two users never collide.
std::optional<HttpResponse> IdempotencyKey(const HttpRequest& req, const Caller& caller, std::string* key) {
  const std::string raw = req.Header("Idempotency-Key");
  if (raw.empty()) return std::nullopt;
  const bool visible = std::all_of(raw.begin(), raw.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  if (raw.size() > kMaxIdempotencyKey || !visible) {
    return Problem(400, "invalid_header", "Idempotency-Key must be 1-200 visible ASCII characters");
  }
  *key = "http:" + caller.user.name + ":" + raw;
  return std::nullopt;
}

// If-Match: "7" (or 7, or *). Weak tags cannot satisfy If-Match.
std::optional<HttpResponse> IfMatch(const HttpRequest& req, std::optional<int64_t>* version) {
  std::string raw = req.Header("If-Match");
  if (raw.empty() || raw == "*") return std::nullopt;
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') raw = raw.substr(1, raw.size() - 2);
  const bool digits = !raw.empty() && raw.size() <= 18 &&
                      std::all_of(raw.begin(), raw.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits)
    return Problem(400, "invalid_header", "If-Match must be a case version as its ETag gives it, e.g. \"3\"");
  *version = std::stoll(raw);
  return std::nullopt;
}

// Query parameters, each at most once and each known to the route.
class Query {
 public:
  static std::optional<HttpResponse> Parse(const HttpRequest& req, const std::set<std::string>& known, Query* q) {
    for (const auto& [name, value] : req.query) {
      if (known.count(name) == 0) return Problem(400, "invalid_parameter", "unknown query parameter '" + name + "'");
      if (!importer::IsValidUtf8(value)) {
        return Problem(400, "invalid_utf8", "query parameter '" + name + "' is not valid UTF-8");
      }
      if (!q->values_.emplace(name, value).second) {
        return Problem(400, "invalid_parameter", "query parameter '" + name + "' is given twice");
      }
    }
    return std::nullopt;
  }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }

 private:
  std::map<std::string, std::string> values_;
};

// limit and after, shared by every paged list.
std::optional<HttpResponse> PageOf(const Query& q, engine::CaseQuery* query) {
  const std::string limit = q.Get("limit");
  if (!limit.empty()) {
    const bool digits =
        limit.size() <= 4 && std::all_of(limit.begin(), limit.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int n = digits ? std::stoi(limit) : 0;
    if (n < 1 || n > kMaxPageSize) {
      return Problem(400, "invalid_parameter", "limit must be 1-" + std::to_string(kMaxPageSize));
    }
    query->limit = n;
  } else {
    query->limit = kDefaultPageSize;
  }
  query->after_id = q.Get("after");
  return std::nullopt;
}

// One page of cases, asking the store for one more to know if another page
// follows.
// A page of case summaries. With `deadlines_on` (an inbox), each item also
// lists the case's deadlines as of that day (views.h DeadlinesJson).
HttpResponse CasePage(engine::CaseStore& store, engine::CaseQuery query,
                      const std::function<HttpResponse(const Status&)>& fail,
                      std::optional<policies::Date> deadlines_on = std::nullopt) {
  const int limit = query.limit;
  query.limit = limit + 1;
  engine::Result<std::vector<engine::Case>> cases = store.FindCases(query);
  if (!cases.ok()) return fail(cases.status());
  Json items = Json::array();
  Json next = nullptr;
  for (size_t i = 0; i < cases->size(); ++i) {
    if (static_cast<int>(i) == limit) {
      next = (*cases)[i - 1].id;
      break;
    }
    Json item = CaseSummaryJson((*cases)[i]);
    if (deadlines_on) {
      engine::Result<Json> deadlines = DeadlinesJson(store, (*cases)[i].id, *deadlines_on);
      if (!deadlines.ok()) return fail(deadlines.status());
      item["deadlines"] = std::move(*deadlines);
    }
    items.push_back(std::move(item));
  }
  return JsonResponse(200, {{"items", std::move(items)}, {"next", std::move(next)}});
}

HttpResponse CommandAnswer(int status, const engine::CommandResult& r) {
  HttpResponse resp = JsonResponse(status, r.ToJson());
  resp.headers["ETag"] = ETagOf(r.version);
  if (r.replayed) resp.headers["Idempotent-Replayed"] = "true";
  return resp;
}

// The embedded document, plus one schema per event a person may send (from
// its declaration), the request body of POST /v1/cases/{id}/events being one
// of them. The events only timers and the engine record are listed on that
// operation as `x-credflow-recorded-events`, with the same schema: they are
// part of every history, but a component no operation refers to is an error
// to the linters (no-unused-components).
std::string DocumentWithEvents(const std::string& base, const engine::WorkflowRegistry& workflows) {
  Json doc = Json::parse(base);
  Json& schemas = doc["components"]["schemas"];
  Json sendable = Json::array();
  Json recorded = Json::array();
  for (const std::string& name : workflows.Names()) {
    for (const engine::EventSpec& spec : workflows.Find(name)->events()) {
      const std::string key = "Event." + name + "." + spec.name;
      Json body = {
          {"type", "object"},
          {"additionalProperties", false},
          {"required", {"event"}},
          {"description", spec.description},
          {"properties", {{"event", {{"type", "string"}, {"enum", {spec.name}}}}, {"data", EventDataSchema(spec)}}},
          {"x-credflow-workflow", name},
          {"x-credflow-origin", engine::OriginName(spec.origin)},
          {"x-credflow-roles", spec.roles}};
      if (spec.origin == engine::EventOrigin::kPerson) {
        schemas[key] = std::move(body);
        sendable.push_back({{"$ref", "#/components/schemas/" + key}});
      } else {
        body["title"] = key;
        recorded.push_back(std::move(body));
      }
    }
  }
  Json& operation = doc["paths"]["/v1/cases/{id}/events"]["post"];
  operation["requestBody"]["content"]["application/json"]["schema"] = {{"oneOf", std::move(sendable)}};
  operation["x-credflow-recorded-events"] = std::move(recorded);
  // The generic EventRequest the committed document has there is replaced.
  std::string text = doc.dump(1);
  if (text.find("\"#/components/schemas/EventRequest\"") == std::string::npos) {
    schemas.erase("EventRequest");
    text = doc.dump(1);
  }
  return text;
}

bool HasRole(const std::vector<Role>& roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace

Api::Api(engine::CaseService* service, ApiOptions options)
    : service_(service),
      options_(options),
      auth_(&service->store(), options.auth_cache_ttl),
      sessions_(&service->store(), &service->clock(), options.sessions),
      backoff_(options.auth_backoff, options.steady_now) {
  service_->set_commit_observer(
      [this](const std::vector<std::string>& workflows) { metrics_.CountTransitions(workflows); });
  auto bind = [this](HttpResponse (Api::*fn)(const HttpRequest&, const PathParams&, const Caller&)) {
    return [this, fn](const HttpRequest& req, const PathParams& p, const Caller& c) { return (this->*fn)(req, p, c); };
  };
  router_.Add({"POST", "/v1/commitments", false, kActOnCases, bind(&Api::FileCommitment)});
  router_.Add({"GET", "/v1/cases", false, kReadCases, bind(&Api::ListCases)});
  router_.Add({"GET", "/v1/cases/{id}", false, kTaskReaders, bind(&Api::GetCase)});
  router_.Add({"POST", "/v1/cases/{id}/events", false, kEventSenders, bind(&Api::FireEvent)});
  router_.Add({"POST", "/v1/cases/{id}/objections", false, kActOnCases, bind(&Api::RaiseObjection)});
  router_.Add({"GET", "/v1/cases/{id}/history", false, kTaskReaders, bind(&Api::GetHistory)});
  // Documents are the window's: a department task's would be its
  // application's (the repair notice, with every department's records, and
  // its number issued), which GET /v1/repairs/{id}/notice keeps from departments.
  router_.Add({"GET", "/v1/cases/{id}/documents/{kind}", false, kReadCases, bind(&Api::GetDocument)});
  router_.Add({"GET", "/v1/cases/{id}/history/verify", false, kAuditors, bind(&Api::VerifyHistory)});
  router_.Add({"GET", "/v1/audit/projections", false, kAuditors, bind(&Api::CheckProjections)});
  router_.Add({"GET", "/v1/subjects", false, kReadCases, bind(&Api::SearchSubjects)});
  router_.Add({"GET", "/v1/subjects/{code}", false, kReadCases, bind(&Api::GetSubject)});
  router_.Add({"GET", "/v1/policies", false, kAnyRole, bind(&Api::ListPolicies)});
  router_.Add({"GET", "/v1/policies/{id}/{version}", false, kAnyRole, bind(&Api::GetPolicy)});
  router_.Add({"GET", "/v1/workflows/{name}", false, kAnyRole, bind(&Api::GetWorkflow)});
  router_.Add({"GET", "/v1/departments/{dept}/tasks", false, kTaskReaders, bind(&Api::DepartmentTasks)});
  router_.Add({"POST", "/v1/records", false, kActOnCases, bind(&Api::RecordDishonesty)});
  router_.Add({"POST", "/v1/enforcement", false, kActOnCases, bind(&Api::ReportViolation)});
  router_.Add({"POST", "/v1/records/{id}/fulfilment", false, kActOnCases, bind(&Api::FulfilObligations)});
  router_.Add({"GET", "/v1/subjects/{code}/records", false, kReadCases, bind(&Api::SubjectRecords)});
  router_.Add({"POST", "/v1/repairs", false, kActOnCases, bind(&Api::ApplyForRepair)});
  router_.Add({"GET", "/v1/repairs/{id}", false, kReadCases, bind(&Api::GetRepair)});
  router_.Add({"GET", "/v1/repairs/{id}/notice", false, kReadCases, bind(&Api::GetRepairNotice)});
  router_.Add({"POST", "/v1/repairs/{id}/documents", false, kActOnCases, bind(&Api::SupplyDocuments)});
  router_.Add({"POST", "/v1/repairs/{id}/revocation", false, kActOnCases, bind(&Api::RevokeRepair)});
  router_.Add({"GET", "/v1/ledger/report", false, kReadCases, bind(&Api::LedgerReport)});
  router_.Add({"GET", "/v1/statistics", false, kReadCases, bind(&Api::GetStatistics)});
  router_.Add({"POST", "/v1/tasks/{id}/decision", false, kDepartments, bind(&Api::DecideTask)});
  router_.Add({"POST", "/v1/tasks/{id}/extension", false, kDepartments, bind(&Api::ExtendTask)});
  // The window's console: a case's printable documents, and a form's
  // definition to render it from.
  router_.Add({"GET", "/v1/cases/{id}/documents", false, kReadCases, bind(&Api::ListDocuments)});
  router_.Add({"GET", "/v1/forms/{id}", false, kAnyRole, bind(&Api::GetForm)});
  // The auditor's desk (api_audit.cc).
  router_.Add({"GET", "/v1/audit/verify", false, kAuditors, bind(&Api::VerifyStore)});
  router_.Add({"GET", "/v1/cases/{id}/replay", false, kAuditors, bind(&Api::ReplayOneCase)});
  router_.Add({"GET", "/v1/audit/anchors", false, kAuditors, bind(&Api::ListAnchors)});
  router_.Add({"GET", "/v1/audit/anchors/{name}", false, kAuditors, bind(&Api::CheckAnchorFile)});
  router_.Add({"GET", "/healthz", true, {}, bind(&Api::Health)});
  router_.Add({"GET", "/readyz", true, {}, bind(&Api::Ready)});
  router_.Add({"GET", "/metrics", true, {}, bind(&Api::RenderMetrics)});
  router_.Add({"GET", "/v1/openapi.json", true, {}, bind(&Api::OpenApi)});
  // The console's sign-in (session.h): signing in needs no token; who am I
  // and signing out take either a session or a token.
  router_.Add({"POST", "/v1/session", true, {}, [this](const HttpRequest& req, const PathParams&, const Caller&) {
                 return SignIn(req);
               }});
  router_.Add(
      {"GET", "/v1/session", false, kAnyRole,
       [this](const HttpRequest& req, const PathParams&, const Caller& c) { return sessions_.Describe(req, c.user); }});
  router_.Add({"DELETE", "/v1/session", false, kAnyRole,
               [this](const HttpRequest& req, const PathParams&, const Caller&) { return sessions_.SignOut(req); }});
  openapi_ = ServedOpenApiDocument(service_->workflows());
}

HttpResponse Api::Handle(const HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  const Router::Match match = router_.Find(request.method, request.path);
  HttpResponse response;
  std::string label = "unmatched";
  try {
    if (match.malformed_path) {
      response = Problem(400, "invalid_path",
                         "a path segment decodes to '/', a control character or bytes that are not UTF-8");
    } else if (match.route == nullptr && match.allowed.empty()) {
      std::optional<HttpResponse> page;
      if (options_.console != nullptr && request.method == "GET") page = options_.console->Serve(request);
      if (page) {
        label = "console";
        response = std::move(*page);
      } else {
        response = Problem(404, "not_found", "no resource at " + request.path);
      }
    } else if (match.route == nullptr) {
      std::string allow;
      for (const std::string& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      response = Problem(405, "method_not_allowed", request.method + " is not allowed here; use " + allow);
      response.headers["Allow"] = allow;
    } else {
      const Route& route = *match.route;
      label = route.pattern;
      response = Admit(request, route, match.params);
    }
  } catch (const std::exception& e) {
    spdlog::error("http: {} {}: unexpected exception: {}", request.method, label, e.what());
    response = Problem(500, "internal", "the server could not complete the request; see its log");
  }
  if (response.content_type == "application/problem+json") {
    // RFC 9457 "instance": the request that failed.
    Json body = Json::parse(response.body, nullptr, false);
    if (body.is_object()) {
      body["instance"] = request.path;
      response.body = DumpJson(body);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Label values stay bounded: a client may send any method name.
  static const std::set<std::string> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  const std::string method = kMethods.count(request.method) ? request.method : "OTHER";
  metrics_.ObserveRequest(label, method, response.status, seconds);
  // The route template, never the path or the headers: no token, no
  // personal data in the log.
  spdlog::debug("http: {} {} {} {:.1f} ms", method, label, response.status, seconds * 1e3);
  return response;
}

HttpResponse Api::Fail(const Status& st) {
  if (st.code() == Status::Code::kUnavailable || st.code() == Status::Code::kInternal) {
    metrics_.CountStoreError();
    spdlog::error("http: {}", st.ToString());
  }
  return ProblemFrom(st);
}

std::optional<HttpResponse> Api::BackedOff(const std::string& client) {
  const std::chrono::seconds wait = backoff_.RetryAfter(client);
  if (wait.count() <= 0) return std::nullopt;
  metrics_.CountAuthBackoff();
  HttpResponse r =
      Problem(429, "too_many_authentication_failures",
              "this address failed authentication too often; retry after " + std::to_string(wait.count()) + " s");
  r.headers["Retry-After"] = std::to_string(wait.count());
  return r;
}

void Api::CountFailure(const std::string& client, const std::string& code, const std::string& why,
                       const HttpRequest& request, const std::string& pattern, bool guess) {
  metrics_.CountAuthFailure(code);
  if (!guess) {
    spdlog::debug("http: no credential from {}: {} ({} {})", client, why, request.method, pattern);
    return;
  }
  // The address and what was wrong; never the token, its hash or a password.
  spdlog::warn("http: authentication failed from {}: {} ({} {})", client, why, request.method, pattern);
  if (const std::chrono::seconds backoff = backoff_.Fail(client); backoff.count() > 0) {
    spdlog::warn("http: {} backed off for {} s after {} authentication failures", AuthBackoff::KeyOf(client),
                 backoff.count(), options_.auth_backoff.failure_limit);
  }
}

HttpResponse Api::SignIn(const HttpRequest& request) {
  // The password is not looked at while the address is backed off, and a
  // wrong one counts like a wrong token.
  const std::string client = request.client.empty() ? "?" : request.client;
  if (std::optional<HttpResponse> refused = BackedOff(client)) return *refused;
  HttpResponse r = sessions_.SignIn(request);
  if (r.status == 401)
    CountFailure(client, "invalid_credentials", "wrong user name or password", request, "/v1/session",
                 /*guess=*/true);
  return r;
}

HttpResponse Api::Admit(const HttpRequest& request, const Route& route, const PathParams& params) {
  if (request.body_too_large || request.body.size() > kMaxBodyBytes) {
    return Problem(413, "body_too_large", "the request body is over the 1 MiB limit");
  }
  if (auto problem = Utf8PathParameters(params)) return *problem;
  Caller caller;
  if (!route.is_public) {
    // A backed-off address is refused before its token is looked at: no
    // store lookup, no timing to learn, and no thread kept waiting.
    const std::string client = request.client.empty() ? "?" : request.client;
    if (std::optional<HttpResponse> refused = BackedOff(client)) return *refused;
    // A console request: the session cookie (and no token) stands for the
    // user; the role check below is the same.
    std::string why;
    engine::Result<engine::User> user = engine::User{};
    if (request.Header("Authorization").empty() && !SessionManager::CookieOf(request).empty()) {
      if (std::optional<HttpResponse> problem = sessions_.Admit(request, &*user)) {
        if (problem->status == 401) {
          CountFailure(client, "session_expired", "unknown or ended session", request, route.pattern,
                       /*guess=*/false);
        }
        return *problem;
      }
    } else {
      user = auth_.Authenticate(request.Header("Authorization"), &why);
    }
    if (!user.ok()) {
      if (!user.status().IsInvalidArgument()) return Fail(user.status());
      CountFailure(client, user.status().reason(), why, request, route.pattern,
                   /*guess=*/user.status().reason() != "missing_token");
      HttpResponse r = Problem(401, user.status().reason(), user.status().message());
      r.headers["WWW-Authenticate"] = "Bearer realm=\"credflow\"";
      return r;
    }
    if (!HasRole(route.roles, user->role)) {
      return Problem(
          403, "forbidden_role",
          std::string("the ") + engine::RoleName(user->role) + " role may not " + request.method + " " + route.pattern);
    }
    caller.user = std::move(*user);
    caller.authenticated = true;
  }
  return route.handler(request, params, caller);
}

engine::Result<engine::Case> Api::LoadVisibleCase(const std::string& id, const Caller& caller) {
  engine::Result<engine::Case> c = service_->store().GetCase(id);
  if (!c.ok()) return c.status();
  if (caller.user.role == Role::kDepartment && c->department != caller.user.department) {
    return Status::PermissionDenied("other_department",
                                    "case " + id + " is not a task of department '" + caller.user.department + "'");
  }
  return c;
}

// ---- commands ---------------------------------------------------------------

HttpResponse Api::FileCommitment(const HttpRequest& req, const PathParams&, const Caller& caller) {
  Json body;
  if (auto problem = ParseObject(req, &body)) return *problem;
  std::string key;
  if (auto problem = IdempotencyKey(req, caller, &key)) return *problem;
  std::vector<engine::FieldError> errors;
  UnknownFields(body, {"subject", "type", "form"}, "", &errors);
  Expect(body, "subject", "subject", Json::value_t::object, true, &errors);
  Expect(body, "type", "type", Json::value_t::string, true, &errors);
  Expect(body, "form", "form", Json::value_t::object, true, &errors);
  if (errors.empty()) {
    const Json& subject = body["subject"];
    UnknownFields(subject, {"code", "name"}, "subject.", &errors);
    Expect(subject, "code", "subject.code", Json::value_t::string, true, &errors);
    Expect(subject, "name", "subject.name", Json::value_t::string, false, &errors);
  }
  if (!errors.empty()) return FieldProblem(std::move(errors));
  const std::string code = body["subject"]["code"].get<std::string>();
  if (Status st = engine::CheckCreditCode(code, "subject.code"); !st.ok()) return Fail(st);

  workflows::commitment::FileCommitmentRequest request;
  request.subject = code;
  request.subject_name = body["subject"].value("name", "");
  request.commitment_type = body["type"].get<std::string>();
  request.form = body["form"];
  request.actor = ActorOf(caller);
  request.idempotency_key = key;
  engine::Result<engine::CommandResult> r = workflows::commitment::FileCommitment(*service_, request);
  if (!r.ok()) return Fail(r.status());
  HttpResponse resp = CommandAnswer(201, *r);
  resp.headers["Location"] = "/v1/cases/" + r->case_id;
  return resp;
}

HttpResponse Api::FireEvent(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  Json body;
  if (auto problem = ParseObject(req, &body)) return *problem;
  std::string key;
  if (auto problem = IdempotencyKey(req, caller, &key)) return *problem;
  std::optional<int64_t> expected;
  if (auto problem = IfMatch(req, &expected)) return *problem;
  std::vector<engine::FieldError> errors;
  UnknownFields(body, {"event", "data"}, "", &errors);
  Expect(body, "event", "event", Json::value_t::string, true, &errors);
  Expect(body, "data", "data", Json::value_t::object, false, &errors);
  if (!errors.empty()) return FieldProblem(std::move(errors));

  engine::FireEventRequest request;
  request.case_id = p.at("id");
  request.event =
      engine::EventInput{body["event"].get<std::string>(), body.value("data", Json::object()), ActorOf(caller)};
  request.expected_version = expected;
  request.idempotency_key = key;
  return SendEvent(request);
}

// An objection to a published undertaking: the commitment case's
// ObjectionRaised, with who objected and why.
HttpResponse Api::RaiseObjection(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  Json body;
  if (auto problem = ParseObject(req, &body)) return *problem;
  std::string key;
  if (auto problem = IdempotencyKey(req, caller, &key)) return *problem;
  std::optional<int64_t> expected;
  if (auto problem = IfMatch(req, &expected)) return *problem;
  std::vector<engine::FieldError> errors;
  UnknownFields(body, {"by", "grounds"}, "", &errors);
  Expect(body, "by", "by", Json::value_t::string, true, &errors);
  Expect(body, "grounds", "grounds", Json::value_t::string, false, &errors);
  if (!errors.empty()) return FieldProblem(std::move(errors));

  engine::FireEventRequest request;
  request.case_id = p.at("id");
  request.event = engine::EventInput{"ObjectionRaised", body, ActorOf(caller)};
  request.expected_version = expected;
  request.idempotency_key = key;
  return SendEvent(request);
}

HttpResponse Api::SendEvent(const engine::FireEventRequest& request) {
  // Without If-Match, the engine retries a race lost to another write.
  engine::Result<engine::CommandResult> r = service_->Fire(request);
  if (r.ok()) return CommandAnswer(200, *r);

  HttpResponse problem = Fail(r.status());
  const std::string& reason = r.status().reason();
  // The client's If-Match named another version: RFC 9110 13.1.1.
  if (reason == "version_mismatch" && request.expected_version) {
    problem = Problem(412, reason, r.status().message());
  }
  if (reason == "event_not_allowed" || reason == "version_mismatch") {
    // Tell the client where the case is now and what it accepts.
    engine::Result<engine::Case> now = service_->store().GetCase(request.case_id);
    Json body_now = Json::parse(problem.body, nullptr, false);
    if (now.ok() && body_now.is_object()) {
      const engine::WorkflowDefinition* def = service_->workflows().Find(now->workflow);
      body_now["state"] = now->state;
      body_now["version"] = now->version;
      body_now["events_allowed"] = def ? def->EventsAcceptedIn(now->state) : std::vector<std::string>{};
      problem.body = DumpJson(body_now);
      problem.headers["ETag"] = ETagOf(now->version);
    }
  }
  return problem;
}

// ---- reads ------------------------------------------------------------------

HttpResponse Api::GetCase(const HttpRequest&, const PathParams& p, const Caller& caller) {
  engine::Result<engine::Case> c = LoadVisibleCase(p.at("id"), caller);
  if (!c.ok()) return Fail(c.status());
  engine::Result<Json> view =
      CaseView(service_->store(), service_->workflows(), *service_->rules().policies, service_->clock().Today(), *c);
  if (!view.ok()) return Fail(view.status());
  if (c->workflow == workflows::repair::kTaskWorkflowName && !c->parent_id.empty()) {
    // The deciding department reads the documents the applicant gave, not
    // the application (a caseworker's case).
    engine::Result<engine::Case> application = service_->store().GetCase(c->parent_id);
    if (!application.ok()) return Fail(application.status());
    (*view)["application_documents"] = application->data.value("documents", Json::array());
  }
  HttpResponse resp = JsonResponse(200, *view);
  resp.headers["ETag"] = ETagOf(view->value("version", c->version));
  return resp;
}

namespace {

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::optional<HttpResponse> UnknownWorkflowOrState(const engine::WorkflowRegistry& workflows,
                                                   const std::string& workflow, const std::string& state) {
  std::vector<const engine::WorkflowDefinition*> defs;
  if (!workflow.empty()) {
    const engine::WorkflowDefinition* def = workflows.Find(workflow);
    if (def == nullptr) {
      return Problem(400, "unknown_workflow",
                     "no workflow named '" + workflow + "'; known: " + Joined(workflows.Names()));
    }
    defs.push_back(def);
  } else {
    for (const std::string& name : workflows.Names()) defs.push_back(workflows.Find(name));
  }
  if (state.empty()) return std::nullopt;
  for (const engine::WorkflowDefinition* def : defs) {
    const std::vector<std::string> states = def->states();
    if (std::find(states.begin(), states.end(), state) != states.end()) return std::nullopt;
  }
  return Problem(400, "unknown_state",
                 "no state named '" + state + "'" +
                     (workflow.empty() ? std::string(" in any workflow")
                                       : " in workflow " + workflow + "; its states: " + Joined(defs[0]->states())) +
                     " (or open: every case not in a final state)");
}

}  // namespace

HttpResponse Api::ListCases(const HttpRequest& req, const PathParams&, const Caller&) {
  Query q;
  if (auto problem = Query::Parse(req, {"workflow", "state", "subject", "parent", "overdue", "limit", "after"}, &q)) {
    return *problem;
  }
  engine::CaseQuery query;
  if (auto problem = PageOf(q, &query)) return *problem;
  query.workflow = q.Get("workflow");
  query.state = q.Get("state");
  // state=open: every case not in a final state of its workflow (state
  // names are PascalCase, so "open" names none).
  if (query.state == "open") {
    query.state.clear();
    query.open_only = true;
  }
  // A name that is no workflow's (or no state of the workflow) is a typo,
  // not a filter that matches nothing.
  if (auto problem = UnknownWorkflowOrState(service_->workflows(), query.workflow, query.state)) return *problem;
  query.subject = q.Get("subject");
  query.parent_id = q.Get("parent");
  const std::string overdue = q.Get("overdue", "false");
  if (overdue != "true" && overdue != "false") {
    return Problem(400, "invalid_parameter", "overdue must be true or false");
  }
  if (overdue == "true") query.overdue_on = service_->clock().Today();
  const ReadSource reads = Reads();
  return ReadFrom(reads, CasePage(*reads.store, query, [this](const Status& st) { return Fail(st); }));
}

// The 屡禁不止 ledger's exit rate on a day (default today) against the
// policy's targets, in total and per department.
HttpResponse Api::LedgerReport(const HttpRequest& req, const PathParams&, const Caller&) {
  Query q;
  if (auto problem = Query::Parse(req, {"as_of"}, &q)) return *problem;
  policies::Date as_of = service_->clock().Today();
  if (const std::string text = q.Get("as_of"); !text.empty()) {
    std::optional<policies::Date> parsed = policies::Date::Parse(text);
    if (!parsed) return Problem(400, "invalid_parameter", "as_of must be a date (YYYY-MM-DD)");
    as_of = *parsed;
  }
  engine::Result<workflows::remediation_ledger::ExitRateReport> report =
      workflows::remediation_ledger::ReportExitRate(*service_, as_of);
  if (!report.ok()) return Fail(report.status());
  return JsonResponse(200, report->ToJson());
}

// A year's statistics (statistics.h) as JSON, or one chart's numbers as CSV
// (format=csv&chart=NAME). The year defaults to this year in Beijing time.
HttpResponse Api::GetStatistics(const HttpRequest& req, const PathParams&, const Caller&) {
  Query q;
  if (auto problem = Query::Parse(req, {"year", "format", "chart"}, &q)) return *problem;
  int year = service_->clock().Today().year();
  if (const std::string text = q.Get("year"); !text.empty()) {
    const bool digits =
        text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    year = digits ? std::stoi(text) : 0;
    if (year < kFirstStatisticsYear || year > kLastStatisticsYear) {
      return Problem(400, "invalid_parameter", "year must be a year from 2000 to 2100");
    }
  }
  const std::string format = q.Get("format", "json");
  const std::string chart = q.Get("chart");
  if (format != "json" && format != "csv") return Problem(400, "invalid_parameter", "format must be json or csv");
  const bool known_chart = std::any_of(std::begin(kStatisticsCharts), std::end(kStatisticsCharts),
                                       [&](const char* name) { return chart == name; });
  if (format == "csv" ? !known_chart : !chart.empty()) {
    return Problem(400, "invalid_parameter",
                   "chart must name one of filings_by_month, repairs_by_outcome, overdue_tasks_by_department, "
                   "verification_coverage, ledger with format=csv, and only then");
  }
  const ReadSource reads = Reads();
  engine::Result<Json> stats = ComputeStatistics(*service_, *reads.store, year);
  if (!stats.ok()) return Fail(stats.status());
  if (format == "json") return ReadFrom(reads, JsonResponse(200, *stats));
  HttpResponse resp;
  resp.content_type = "text/csv; charset=utf-8";
  resp.headers["Content-Disposition"] =
      "attachment; filename=\"statistics-" + std::to_string(year) + "-" + chart + ".csv\"";
  resp.body = StatisticsCsv(*stats, chart).value_or("");
  return ReadFrom(reads, std::move(resp));
}

HttpResponse Api::GetHistory(const HttpRequest&, const PathParams& p, const Caller& caller) {
  engine::Result<engine::Case> c = LoadVisibleCase(p.at("id"), caller);
  if (!c.ok()) return Fail(c.status());
  const ReadSource reads = Reads();
  engine::Result<std::vector<engine::HistoryEvent>> history = reads.store->GetHistory(c->id);
  if (!history.ok()) return Fail(history.status());
  Json events = Json::array();
  for (const engine::HistoryEvent& e : *history) events.push_back(HistoryEventJson(e));
  return ReadFrom(reads, JsonResponse(200, {{"case", c->id}, {"events", std::move(events)}}));
}

ReadSource Api::Reads() {
  ReadSource source;
  if (options_.read_source) source = options_.read_source();
  if (source.store == nullptr) source = ReadSource{&service_->store(), "primary"};
  return source;
}

HttpResponse Api::ReadFrom(const ReadSource& source, HttpResponse resp) {
  resp.headers["Credflow-Read-From"] = source.served_by;
  return resp;
}

// The document as an A4 HTML page. Read like the case (same roles, same
// department scope); the first read of a document issues its number.
HttpResponse Api::GetDocument(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  Query q;
  if (auto problem = Query::Parse(req, {}, &q)) return *problem;
  engine::Result<engine::Case> c = LoadVisibleCase(p.at("id"), caller);
  if (!c.ok()) return Fail(c.status());
  return DocumentPage(*c, p.at("kind"), caller);
}

// The kinds of document the case's matter has now, in lifecycle order, each
// with the path that prints it. Reading the list issues no number.
HttpResponse Api::ListDocuments(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  Query q;
  if (auto problem = Query::Parse(req, {}, &q)) return *problem;
  engine::Result<engine::Case> c = LoadVisibleCase(p.at("id"), caller);
  if (!c.ok()) return Fail(c.status());
  engine::Result<std::vector<std::string>> kinds = documents::AvailableDocuments(service_->store(), *c);
  if (!kinds.ok()) return Fail(kinds.status());
  Json items = Json::array();
  for (const std::string& kind : *kinds) {
    items.push_back({{"kind", kind}, {"href", "/v1/cases/" + c->id + "/documents/" + kind}});
  }
  return JsonResponse(200, {{"case", c->id}, {"workflow", c->workflow}, {"documents", std::move(items)}});
}

// A form's definition (forms/definitions/<id>.xml) for the console to render.
HttpResponse Api::GetForm(const HttpRequest& req, const PathParams& p, const Caller&) {
  Query q;
  if (auto problem = Query::Parse(req, {}, &q)) return *problem;
  const forms::FormDefinition* form =
      service_->rules().forms == nullptr ? nullptr : service_->rules().forms->Find(p.at("id"));
  if (form == nullptr) return Problem(404, "form_not_found", "no form " + p.at("id"));
  return JsonResponse(200, FormJson(*form));
}

HttpResponse Api::DocumentPage(const engine::Case& c, const std::string& kind, const Caller& caller) {
  const documents::Numbering numbering =
      caller.user.role == Role::kAuditor ? documents::Numbering::kPreview : documents::Numbering::kIssue;
  engine::Result<documents::Document> doc =
      documents::IssueDocument(service_->store(), service_->rules(), service_->clock(), c, kind, numbering);
  if (!doc.ok()) return Fail(doc.status());
  HttpResponse resp;
  resp.content_type = "text/html; charset=utf-8";
  resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
  resp.headers["X-Content-Type-Options"] = "nosniff";
  resp.body = documents::RenderHtml(*doc);
  return resp;
}

HttpResponse Api::VerifyHistory(const HttpRequest&, const PathParams& p, const Caller& caller) {
  engine::Result<engine::Case> c = LoadVisibleCase(p.at("id"), caller);
  if (!c.ok()) return Fail(c.status());
  engine::Result<std::vector<engine::HistoryEvent>> history = service_->store().GetHistory(c->id);
  if (!history.ok()) return Fail(history.status());
  engine::Result<std::optional<engine::ChainBreak>> broken = engine::VerifyCaseHistory(service_->store(), c->id);
  if (!broken.ok()) return Fail(broken.status());
  Json answer = {{"case", c->id}, {"intact", !broken->has_value()}, {"events", history->size()}, {"broken", nullptr}};
  if (broken->has_value()) {
    const engine::ChainBreak& b = **broken;
    answer["broken"] = {{"seq", b.seq}, {"event", b.event}, {"problem", b.problem}};
  }
  return JsonResponse(200, answer);
}

HttpResponse Api::CheckProjections(const HttpRequest&, const PathParams&, const Caller&) {
  engine::Result<engine::ProjectionReport> report =
      engine::CheckProjections(service_->store(), service_->workflows(), service_->rules());
  if (!report.ok()) return Fail(report.status());
  Json differences = Json::array();
  for (const engine::ProjectionDifference& d : report->differences) {
    differences.push_back({{"table", d.table},
                           {"key", d.key},
                           {"field", d.field},
                           {"stored", d.stored},
                           {"derived", d.derived},
                           {"text", d.ToString()}});
  }
  return JsonResponse(200, {{"clean", report->clean()},
                            {"cases", report->cases},
                            {"records", report->records},
                            {"subjects", report->subjects},
                            {"unreplayable", report->unreplayable},
                            {"moved", report->moved},
                            {"first", differences.empty() ? Json(nullptr) : differences[0]},
                            {"differences", std::move(differences)}});
}

HttpResponse Api::GetSubject(const HttpRequest&, const PathParams& p, const Caller&) {
  const std::string& code = p.at("code");
  if (Status st = engine::CheckCreditCode(code, "code"); !st.ok()) {
    return Problem(400, "invalid_credit_code", st.message(), st.fields());
  }
  engine::Result<Json> view =
      SubjectView(service_->store(), *service_->rules().policies, service_->clock().Today(), code);
  if (!view.ok()) return Fail(view.status());
  return JsonResponse(200, *view);
}

HttpResponse Api::SearchSubjects(const HttpRequest& req, const PathParams&, const Caller&) {
  Query q;
  if (auto problem = Query::Parse(req, {"q", "limit", "after"}, &q)) return *problem;
  engine::SubjectQuery query;
  query.text = boost::algorithm::trim_copy(q.Get("q"));
  if (query.text.empty() || query.text.size() > engine::kMaxSubjectSearchBytes) {
    return Problem(400, "invalid_parameter",
                   "q must be 1-" + std::to_string(engine::kMaxSubjectSearchBytes) +
                       " bytes: the start of a credit code or a part of a name");
  }
  engine::CaseQuery page;
  if (auto problem = PageOf(q, &page)) return *problem;
  query.limit = page.limit + 1;
  query.after_code = page.after_id;
  engine::Result<std::vector<engine::SubjectProfile>> found = service_->store().ListSubjects(query);
  if (!found.ok()) return Fail(found.status());
  Json items = Json::array();
  Json next = nullptr;
  for (size_t i = 0; i < found->size(); ++i) {
    if (static_cast<int>(i) == page.limit) {
      next = (*found)[i - 1].code;
      break;
    }
    const engine::SubjectProfile& p = (*found)[i];
    items.push_back({{"code", p.code}, {"name", p.name}, {"status", p.status}, {"grade", p.grade}});
  }
  return JsonResponse(200, {{"items", std::move(items)}, {"next", std::move(next)}});
}

HttpResponse Api::ListPolicies(const HttpRequest&, const PathParams&, const Caller&) {
  Json items = Json::array();
  for (const policies::Policy* policy : service_->rules().policies->All()) {
    items.push_back(PolicyJson(*policy, /*detail=*/false));
  }
  return JsonResponse(200, {{"items", std::move(items)}});
}

HttpResponse Api::GetPolicy(const HttpRequest&, const PathParams& p, const Caller&) {
  const policies::Policy* policy = service_->rules().policies->Find(p.at("id"), p.at("version"));
  if (policy == nullptr) {
    return Problem(404, "policy_not_found", "no policy " + p.at("id") + " version " + p.at("version"));
  }
  return JsonResponse(200, PolicyJson(*policy, /*detail=*/true));
}

HttpResponse Api::GetWorkflow(const HttpRequest& req, const PathParams& p, const Caller&) {
  Query q;
  if (auto problem = Query::Parse(req, {"format"}, &q)) return *problem;
  const engine::WorkflowDefinition* def = service_->workflows().Find(p.at("name"));
  if (def == nullptr) return Problem(404, "workflow_not_found", "no workflow named " + p.at("name"));
  const std::string format = q.Get("format", "json");
  if (format == "dot") {
    HttpResponse resp;
    resp.content_type = "text/vnd.graphviz; charset=utf-8";
    resp.body = WorkflowDot(*def);
    return resp;
  }
  if (format != "json") return Problem(400, "invalid_parameter", "format must be json or dot");
  return JsonResponse(200, WorkflowJson(*def));
}

HttpResponse Api::DepartmentTasks(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  const std::string& dept = p.at("dept");
  if (caller.user.role == Role::kDepartment && caller.user.department != dept) {
    return Problem(403, "other_department", "department '" + caller.user.department + "' may read only its own tasks");
  }
  Query q;
  if (auto problem = Query::Parse(req, {"state", "limit", "after"}, &q)) return *problem;
  engine::CaseQuery query;
  if (auto problem = PageOf(q, &query)) return *problem;
  const std::string state = q.Get("state", "open");
  if (state != "open" && state != "all") return Problem(400, "invalid_parameter", "state must be open or all");
  if (state == "open" && q.Get("after").empty()) {
    // The inbox: overdue first, then by due date, with the working days left.
    engine::Result<Json> inbox =
        DepartmentInbox(service_->store(), *service_->rules().calendar, service_->clock().Today(), dept, query.limit);
    if (!inbox.ok()) return Fail(inbox.status());
    (*inbox)["next"] = nullptr;
    return JsonResponse(200, *inbox);
  }
  query.department = dept;
  query.open_only = state == "open";
  return CasePage(
      service_->store(), query, [this](const Status& st) { return Fail(st); }, service_->clock().Today());
}

// ---- credit repair ------------------------------------------------------------

HttpResponse Api::OpenForSubject(const HttpRequest& req, const Caller& caller, const SubjectCommand& open) {
  Json body;
  if (auto problem = ParseObject(req, &body)) return *problem;
  std::string key;
  if (auto problem = IdempotencyKey(req, caller, &key)) return *problem;
  std::vector<engine::FieldError> errors;
  Expect(body, "subject", "subject", Json::value_t::string, true, &errors);
  if (!errors.empty()) return FieldProblem(std::move(errors));
  const std::string subject = body["subject"].get<std::string>();
  body.erase("subject");
  engine::Result<engine::CommandResult> r = open(subject, std::move(body), ActorOf(caller), key);
  if (!r.ok()) return Fail(r.status());
  HttpResponse resp = CommandAnswer(201, *r);
  resp.headers["Location"] = "/v1/cases/" + r->case_id;
  return resp;
}

// A dishonesty record as its deciding department made it; the record's own
// schema (RecordDecided) checks every member.
HttpResponse Api::RecordDishonesty(const HttpRequest& req, const PathParams&, const Caller& caller) {
  return OpenForSubject(
      req, caller, [this](const std::string& subject, Json rest, const engine::Actor& actor, const std::string& key) {
        workflows::record::RecordDishonestyRequest request;
        request.subject = subject;
        request.record = std::move(rest);
        request.actor = actor;
        request.idempotency_key = key;
        return workflows::record::RecordDishonesty(*service_, request);
      });
}

// A reported violation, triaged at once by the discretion table: decided,
// or waiting for rectification by a deadline (the case says which row).
HttpResponse Api::ReportViolation(const HttpRequest& req, const PathParams&, const Caller& caller) {
  return OpenForSubject(
      req, caller, [this](const std::string& subject, Json rest, const engine::Actor& actor, const std::string& key) {
        workflows::enforcement::ReportViolationRequest request;
        request.subject = subject;
        request.report = std::move(rest);
        request.actor = actor;
        request.idempotency_key = key;
        return workflows::enforcement::ReportViolation(*service_, request);
      });
}

HttpResponse Api::FulfilObligations(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  return EventFromBody(req, p, caller, "ObligationsFulfilled", {"fulfilled_on", "note"});
}

HttpResponse Api::SubjectRecords(const HttpRequest&, const PathParams& p, const Caller&) {
  const std::string& code = p.at("code");
  if (Status st = engine::CheckCreditCode(code, "code"); !st.ok()) {
    return Problem(400, "invalid_credit_code", st.message(), st.fields());
  }
  engine::Result<Json> view = SubjectRecordsView(service_->store(), code);
  if (!view.ok()) return Fail(view.status());
  return JsonResponse(200, *view);
}

// One application naming records; intake answers at once (refusals with the
// earliest date, missing documents, or tasks sent to the departments).
HttpResponse Api::ApplyForRepair(const HttpRequest& req, const PathParams&, const Caller& caller) {
  Json body;
  if (auto problem = ParseObject(req, &body)) return *problem;
  std::string key;
  if (auto problem = IdempotencyKey(req, caller, &key)) return *problem;
  std::vector<engine::FieldError> errors;
  UnknownFields(body, {"subject", "records", "documents", "applicant_name", "grounds"}, "", &errors);
  Expect(body, "subject", "subject", Json::value_t::string, true, &errors);
  Expect(body, "records", "records", Json::value_t::array, true, &errors);
  Expect(body, "documents", "documents", Json::value_t::array, false, &errors);
  Expect(body, "applicant_name", "applicant_name", Json::value_t::string, false, &errors);
  Expect(body, "grounds", "grounds", Json::value_t::string, false, &errors);
  if (!errors.empty()) return FieldProblem(std::move(errors));
  workflows::repair::RepairApplicationRequest request;
  request.subject = body["subject"].get<std::string>();
  for (const Json& r : body["records"]) {
    if (!r.is_string() || r.get<std::string>().size() > 64) {
      return FieldProblem({{"records", "invalid_record", "records must list record ids"}});
    }
    request.records.push_back(r.get<std::string>());
  }
  const Json documents = body.value("documents", Json::array());
  if (documents.size() > kMaxDocuments) {
    return FieldProblem({{"documents", "too_many", "documents lists at most 20 codes"}});
  }
  for (const Json& d : documents) {
    if (!d.is_string()) return FieldProblem({{"documents", "invalid_document", "documents must list document codes"}});
    request.documents.push_back(d.get<std::string>());
  }
  request.applicant_name = body.value("applicant_name", "");
  request.grounds = body.value("grounds", "");
  request.actor = ActorOf(caller);
  request.idempotency_key = key;
  engine::Result<engine::CommandResult> r = workflows::repair::ApplyForRepair(*service_, request);
  if (!r.ok()) return Fail(r.status());
  engine::Result<engine::Case> c = service_->store().GetCase(r->case_id);
  if (!c.ok()) return Fail(c.status());
  engine::Result<Json> view = RepairView(service_->store(), *c, service_->rules().calendar, service_->clock().Today());
  if (!view.ok()) return Fail(view.status());
  HttpResponse resp = JsonResponse(201, *view);
  resp.headers["ETag"] = ETagOf(c->version);
  resp.headers["Location"] = "/v1/repairs/" + r->case_id;
  if (r->replayed) resp.headers["Idempotent-Replayed"] = "true";
  return resp;
}

HttpResponse Api::GetRepair(const HttpRequest&, const PathParams& p, const Caller& caller) {
  engine::Result<engine::Case> c = LoadVisibleCase(p.at("id"), caller);
  if (!c.ok()) return Fail(c.status());
  engine::Result<Json> view = RepairView(service_->store(), *c, service_->rules().calendar, service_->clock().Today());
  if (!view.ok()) return Fail(view.status());
  HttpResponse resp = JsonResponse(200, *view);
  resp.headers["ETag"] = ETagOf(c->version);
  return resp;
}

// The applicant's one answer (修复结果告知书) as an A4 HTML page, once the
// application has answered; the same as /v1/cases/{id}/documents/repair_notice.
HttpResponse Api::GetRepairNotice(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  Query q;
  if (auto problem = Query::Parse(req, {}, &q)) return *problem;
  engine::Result<engine::Case> c = LoadVisibleCase(p.at("id"), caller);
  if (!c.ok()) return Fail(c.status());
  if (c->workflow != "repair") {
    return Fail(Status::InvalidArgument("not_a_repair",
                                        "case " + c->id + " is a " + c->workflow + " case, not a repair application"));
  }
  return DocumentPage(*c, documents::kRepairNotice, caller);
}

HttpResponse Api::SupplyDocuments(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  return EventFromBody(req, p, caller, "DocumentsSupplied", {"documents"});
}

HttpResponse Api::RevokeRepair(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  return EventFromBody(req, p, caller, "RepairRevoked", {"reason", "note"});
}

HttpResponse Api::DecideTask(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  return EventFromBody(req, p, caller, "TaskDecided", {"decision", "reason", "note"});
}

HttpResponse Api::ExtendTask(const HttpRequest& req, const PathParams& p, const Caller& caller) {
  return EventFromBody(req, p, caller, "DecisionExtended", {"reason"});
}

// The body is the event's data (only `allowed` members); the event's own
// declaration checks their types and bounds.
HttpResponse Api::EventFromBody(const HttpRequest& req, const PathParams& p, const Caller& caller, const char* event,
                                const std::set<std::string>& allowed) {
  Json body;
  if (auto problem = ParseObject(req, &body)) return *problem;
  std::string key;
  if (auto problem = IdempotencyKey(req, caller, &key)) return *problem;
  std::optional<int64_t> expected;
  if (auto problem = IfMatch(req, &expected)) return *problem;
  std::vector<engine::FieldError> errors;
  UnknownFields(body, allowed, "", &errors);
  if (!errors.empty()) return FieldProblem(std::move(errors));
  engine::FireEventRequest request;
  request.case_id = p.at("id");
  request.event = engine::EventInput{event, body, ActorOf(caller)};
  request.expected_version = expected;
  request.idempotency_key = key;
  return SendEvent(request);
}

// ---- operations ---------------------------------------------------------------

HttpResponse Api::Health(const HttpRequest&, const PathParams&, const Caller&) {
  return JsonResponse(200, {{"status", "ok"}});
}

HttpResponse Api::Ready(const HttpRequest&, const PathParams&, const Caller&) {
  if (Status st = service_->store().Ping(); !st.ok()) return Fail(st);
  return JsonResponse(200, {{"status", "ready"}});
}

HttpResponse Api::RenderMetrics(const HttpRequest&, const PathParams&, const Caller&) {
  Metrics::StoreReadings readings;
  const engine::Timestamp now = service_->clock().Now();
  engine::Result<int64_t> counted = service_->store().CountDueTimers(now);
  if (counted.ok()) {
    readings.timers_due = *counted;
  } else {
    metrics_.CountStoreError();
  }
  engine::Result<std::map<std::string, int64_t>> overdue =
      service_->store().CountOverdueCases(workflows::repair::kTaskWorkflowName, engine::OfficeDate(now));
  if (overdue.ok()) {
    readings.overdue_tasks = std::move(*overdue);
  } else {
    metrics_.CountStoreError();
  }
  HttpResponse resp;
  resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
  resp.body = metrics_.Render(readings);
  return resp;
}

HttpResponse Api::OpenApi(const HttpRequest&, const PathParams&, const Caller&) {
  HttpResponse resp;
  resp.body = openapi_;
  return resp;
}

std::string ServedOpenApiDocument(const engine::WorkflowRegistry& workflows) {
  return DocumentWithEvents(OpenApiDocument(), workflows);
}

}  // namespace credflow::adapters::http
