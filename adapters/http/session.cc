#include "adapters/http/session.h"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/trim.hpp>

#include <algorithm>

#include "adapters/crypto/password.h"
#include "adapters/http/problem.h"
#include "adapters/input/bounded_json.h"

namespace credflow::adapters::http {
namespace {

using engine::Json;
using engine::Status;

// A session's last_seen is written at most this often (a request within it
// changes nothing in the store), so reading pages does not write per request.
constexpr std::chrono::seconds kTouchEvery{60};
// A sign-in body is small: a name and a password.
constexpr size_t kMaxSignInBytes = 4096;

// Session answers are never cached (they carry the CSRF token).
HttpResponse JsonAnswer(int status, const Json& body) {
  HttpResponse r = JsonResponse(status, body);
  r.headers["Cache-Control"] = "no-store";
  return r;
}

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsSafeMethod(const std::string& method) { return method == "GET" || method == "HEAD"; }

Json UserJson(const engine::User& user) {
  Json j = {{"name", user.name}, {"role", engine::RoleName(user.role)}};
  if (!user.department.empty()) j["department"] = user.department;
  return j;
}

}  // namespace

// ---- SessionManager ----------------------------------------------------------

SessionManager::SessionManager(engine::CaseStore* store, const engine::Clock* clock, SessionOptions options)
    : store_(store), clock_(clock), options_(options) {}

std::string SessionManager::CookieOf(const HttpRequest& request) {
  // Cookie: a=1; credflow_session=...; b=2 (RFC 6265 5.4).
  const std::string header = request.Header("Cookie");
  const std::string wanted = std::string(kSessionCookie) + "=";
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    const std::string pair = boost::algorithm::trim_copy(header.substr(start, end - start));
    if (pair.compare(0, wanted.size(), wanted) == 0) return pair.substr(wanted.size());
    start = end + 1;
  }
  return std::string();
}

std::string SessionManager::CsrfTokenOf(const std::string& session_id) {
  return engine::TokenHash("credflow-csrf:" + session_id);
}

std::string SessionManager::SetCookie(const std::string& value, std::chrono::seconds max_age) const {
  std::string c = std::string(kSessionCookie) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
  if (options_.secure_cookie) c += "; Secure";
  return c;
}

HttpResponse SessionManager::SignIn(const HttpRequest& request) {
  const std::string client = request.client.empty() ? "?" : request.client;
  // Only JSON: a cross-site HTML form cannot send it without the browser
  // asking first (CORS), so no page elsewhere can sign a browser in.
  const std::string type = request.Header("Content-Type");
  const std::string media =
      boost::algorithm::to_lower_copy(boost::algorithm::trim_copy(type.substr(0, type.find(';'))));
  if (media != "application/json") {
    return Problem(415, "unsupported_media_type", "send the name and password as application/json");
  }
  input::JsonLimits limits;
  limits.max_bytes = kMaxSignInBytes;
  engine::Result<Json> body = input::DecodeJson(request.body, "the request body", limits);
  if (!body.ok()) return Problem(400, body.status().reason(), body.status().message());
  std::vector<engine::FieldError> errors;
  if (!body->is_object()) return Problem(422, "invalid_body", "the request body must be a JSON object");
  for (auto it = body->begin(); it != body->end(); ++it) {
    if (it.key() != "name" && it.key() != "password") {
      errors.push_back({it.key(), "unknown_field", it.key() + " is not a field of this request"});
    }
  }
  for (const char* field : {"name", "password"}) {
    auto it = body->find(field);
    if (it == body->end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      errors.push_back({field, "missing_field", std::string(field) + " is required (a non-empty string)"});
    }
  }
  if (!errors.empty()) return Problem(422, errors.front().code, "the sign-in needs a name and a password", errors);
  const std::string& name = (*body)["name"].get_ref<const std::string&>();
  const std::string& password = (*body)["password"].get_ref<const std::string&>();

  engine::Result<std::optional<engine::User>> found = store_->FindUserByName(name);
  if (!found.ok()) return ProblemFrom(found.status());
  // Verified even for an unknown user (against a dummy hash), so the time
  // taken does not tell which names exist.
  const std::string hash = found->has_value() ? (*found)->password_hash : std::string();
  const bool valid = crypto::VerifyPassword(password, hash) && found->has_value() && !(*found)->disabled;
  if (!valid) {
    // The address and the name; never the password.
    spdlog::warn("http: sign-in failed from {} for user '{}'", client, name);
    return Problem(401, "invalid_credentials", "the user name or the password is wrong");
  }

  const std::string id = engine::NewToken();
  if (id.empty()) return ProblemFrom(Status::Internal("the random number generator failed"));
  engine::Session session;
  session.id_hash = engine::TokenHash(id);
  session.user = name;
  session.created_at = clock_->Now();
  session.last_seen = session.created_at;
  session.expires_at = session.created_at + options_.idle;
  if (Status st = store_->PutSession(session); !st.ok()) return ProblemFrom(st);
  spdlog::info("http: user '{}' signed in from {}", name, client);

  HttpResponse r = JsonAnswer(200, {{"user", UserJson(**found)},
                                    {"csrf_token", CsrfTokenOf(id)},
                                    {"idle_seconds", options_.idle.count()},
                                    {"expires_at", engine::FormatOfficeTimestamp(session.expires_at)}});
  r.headers["Set-Cookie"] = SetCookie(id, options_.idle);
  return r;
}

HttpResponse SessionManager::Describe(const HttpRequest& request, const engine::User& user) {
  Json body = {{"user", UserJson(user)}};
  const std::string id = request.Header("Authorization").empty() ? CookieOf(request) : std::string();
  if (!id.empty()) {
    body["via"] = "session";
    body["csrf_token"] = CsrfTokenOf(id);
    body["idle_seconds"] = options_.idle.count();
  } else {
    body["via"] = "token";
  }
  return JsonAnswer(200, body);
}

HttpResponse SessionManager::SignOut(const HttpRequest& request) {
  const std::string id = CookieOf(request);
  if (!id.empty()) {
    if (Status st = store_->DeleteSession(engine::TokenHash(id)); !st.ok()) return ProblemFrom(st);
  }
  HttpResponse r;
  r.status = 204;
  r.headers["Set-Cookie"] = SetCookie("", std::chrono::seconds(0));
  r.headers["Cache-Control"] = "no-store";
  return r;
}

// 401 session_expired, and the browser told to forget the cookie (it would
// send it with every request until it expires).
HttpResponse SessionManager::Expired() const {
  HttpResponse r = Problem(401, "session_expired", "the session has ended; sign in again");
  r.headers["Cache-Control"] = "no-store";
  r.headers["Set-Cookie"] = SetCookie("", std::chrono::seconds(0));
  return r;
}

std::optional<HttpResponse> SessionManager::Admit(const HttpRequest& request, engine::User* user) {
  const std::string id = CookieOf(request);
  if (id.empty()) return Expired();
  const std::string id_hash = engine::TokenHash(id);
  engine::Result<std::optional<engine::Session>> found = store_->FindSession(id_hash);
  if (!found.ok()) return ProblemFrom(found.status());
  const engine::Timestamp now = clock_->Now();
  if (!found->has_value()) return Expired();
  const engine::Session& session = **found;
  if (session.expires_at <= now) {
    (void)store_->DeleteSession(id_hash);  // best effort: PutSession purges too
    return Expired();
  }
  if (!IsSafeMethod(request.method) && !SameSecret(request.Header(kCsrfHeader), CsrfTokenOf(id))) {
    return Problem(403, "csrf", "a request with the session cookie must send the session's X-CSRF-Token");
  }
  engine::Result<std::optional<engine::User>> owner = store_->FindUserByName(session.user);
  if (!owner.ok()) return ProblemFrom(owner.status());
  if (!owner->has_value() || (*owner)->disabled) {
    (void)store_->DeleteSession(id_hash);
    return Expired();
  }
  if (now - session.last_seen >= kTouchEvery) {
    if (Status st = store_->TouchSession(id_hash, now, now + options_.idle); !st.ok()) return ProblemFrom(st);
  }
  *user = std::move(**owner);
  return std::nullopt;
}

}  // namespace credflow::adapters::http
