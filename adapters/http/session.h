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
// Failed sign-ins are counted per client address (SignInThrottle): past
// `failure_limit` within `failure_window`, the address is answered 429 with
// Retry-After, doubling up to `max_backoff`, without the password being
// looked at.
//
// Threading: SessionManager is shared by the server's threads; every method
// is safe to call concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

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
  int failure_limit = 5;               // failed sign-ins per address before 429
  std::chrono::seconds failure_window{60};
  std::chrono::seconds max_backoff{15 * 60};
  size_t max_addresses = 10000;  // addresses tracked at once (the oldest go first)
};

// Failed sign-ins per client address, bounded; steady time, injectable.
class SignInThrottle {
 public:
  using Now = std::function<std::chrono::steady_clock::time_point()>;
  SignInThrottle(const SessionOptions& options, Now now);

  // Seconds the address must still wait, 0 when it may try.
  std::chrono::seconds RetryAfter(const std::string& client);
  // Counts a failure; the wait it starts (0 while under the limit).
  std::chrono::seconds Fail(const std::string& client);
  // A success forgets the address's failures.
  void Succeed(const std::string& client);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point window_start;
    std::chrono::steady_clock::time_point blocked_until;
    int backoffs = 0;
    std::list<std::string>::iterator order;
  };
  Entry& EntryOf(const std::string& client, std::chrono::steady_clock::time_point now);

  const SessionOptions& options_;
  Now now_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> order_;  // least recently failed first
};

class SessionManager {
 public:
  // The store and the clock must outlive the manager.
  SessionManager(engine::CaseStore* store, const engine::Clock* clock, SessionOptions options,
                 SignInThrottle::Now steady_now = nullptr);

  // The session id the request's Cookie header carries, or "".
  static std::string CookieOf(const HttpRequest& request);
  // The CSRF token of a session id.
  static std::string CsrfTokenOf(const std::string& session_id);

  // POST /v1/session: {"name", "password"} as application/json. 200 with
  // the user, the CSRF token and the expiry, and Set-Cookie; 401
  // invalid_credentials (unknown user, no password, wrong password,
  // disabled: one answer for all); 429 while the address is backed off;
  // 415/400/422 for a body that is not the JSON asked for.
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

  engine::CaseStore* store_;
  const engine::Clock* clock_;
  SessionOptions options_;
  SignInThrottle throttle_;
};

}  // namespace credflow::adapters::http
