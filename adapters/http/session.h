// Console sign-in: sessions held in the store (engine::Session), so every
// serve process on one database shares them. The browser holds the session
// id in an HttpOnly, SameSite=Strict cookie (credflow_session, Secure under
// TLS); the store holds only its SHA-256. A session ends after `idle`
// without a request (each request renews it, written at most once a
// minute), or at sign-out.
//
// A cookie is ambient authority, so every unsafe method (anything but GET
// and HEAD) carrying it must also send X-CSRF-Token, the session's CSRF
// token: SHA-256 of a fixed label and the session id, which the page learns
// from the sign-in answer or GET /v1/session (a cross-site page can read
// neither). A request with the cookie authenticates as the session's user
// and then meets exactly the role and department checks a token meets.
//
// Failed sign-ins are not counted here: the Api counts them with failed
// tokens, per client address, in one AuthBackoff (api.h), so an address
// guessing passwords and tokens at once has one budget, not two.
//
// Threading: SessionManager is shared by the server's threads; every method
// is safe to call concurrently.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "adapters/http/http_message.h"
#include "engine/case_store.h"
#include "engine/clock.h"
#include "engine/user.h"

namespace credflow::adapters::http {

inline constexpr const char* kSessionCookie = "credflow_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct SessionOptions {
  std::chrono::seconds idle{30 * 60};  // --session-idle
  bool secure_cookie = false;          // the Secure attribute (the server runs TLS)
};

class SessionManager {
 public:
  // The store and the clock must outlive the manager.
  SessionManager(engine::CaseStore* store, const engine::Clock* clock, SessionOptions options);

  // The session id the request's Cookie header carries, or "".
  static std::string CookieOf(const HttpRequest& request);
  // The CSRF token of a session id.
  static std::string CsrfTokenOf(const std::string& session_id);

  // POST /v1/session: {"name", "password"} as application/json. 200 with
  // the user, the CSRF token and the expiry, and Set-Cookie; 401
  // invalid_credentials (unknown user, no password, wrong password,
  // disabled: one answer for all); 415/400/422 for a body that is not the
  // JSON asked for. (The Api answers 429 before this for a backed-off
  // address, and counts each 401.)
  HttpResponse SignIn(const HttpRequest& request);
  // GET /v1/session: who is signed in (the caller; with a session, its CSRF
  // token and expiry too).
  HttpResponse Describe(const HttpRequest& request, const engine::User& user);
  // DELETE /v1/session: ends the request's session (if any); 204 and a
  // cookie that clears the browser's.
  HttpResponse SignOut(const HttpRequest& request);

  // For a request that carries the session cookie and no Authorization
  // header: the session's user in `*user`, or the problem: 401
  // session_expired (unknown, expired, or its user gone or disabled), 403
  // csrf (an unsafe method without the matching X-CSRF-Token). Store
  // failures are 503.
  std::optional<HttpResponse> Admit(const HttpRequest& request, engine::User* user);

  const SessionOptions& options() const { return options_; }

 private:
  std::string SetCookie(const std::string& value, std::chrono::seconds max_age) const;
  HttpResponse Expired() const;

  engine::CaseStore* store_;
  const engine::Clock* clock_;
  SessionOptions options_;
};

}  // namespace credflow::adapters::http
