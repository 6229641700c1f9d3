// Bearer-token authentication. The token's SHA-256 is looked up in the store
// (users table); the token itself is never stored or logged. A short-lived
// cache keeps that lookup off the hot path; a disabled user is refused once
// the cache entry expires (at most `ttl` later), on every process.
//
// Timing: the lookup (the store's index, the cache's hash map) is keyed by
// SHA-256(token), not by the token, so how long it takes tells a guesser
// only about hashes of its own guesses, which it cannot steer towards a
// stored hash's prefix (it would have to invert SHA-256). The final check,
// that the stored hash equals the computed one, is constant-time
// (CRYPTO_memcmp) all the same, so no comparison ever runs on secret bytes
// with an early exit.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/case_store.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "engine/user.h"

namespace credflow::adapters::http {

class Authenticator {
 public:
  // `ttl` zero: every request asks the store.
  Authenticator(engine::CaseStore* store, std::chrono::milliseconds ttl);

  // The user for an Authorization header value ("Bearer <token>"), or
  // InvalidArgument "missing_token" / "invalid_token" (unknown, malformed or
  // disabled), which the dispatcher answers with 401. Store failures pass
  // through (503). On a refusal, `why` (when given) says what was wrong for
  // the log: "missing token", "malformed header", "unknown token" or
  // "disabled user NAME"; never the token or its hash.
  engine::Result<engine::User> Authenticate(const std::string& authorization, std::string* why = nullptr);

 private:
  struct Entry {
    engine::User user;
    bool found = false;
    std::chrono::steady_clock::time_point expires;
  };

  engine::CaseStore* store_;
  std::chrono::milliseconds ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> cache_;  // token hash -> user
};

}  // namespace credflow::adapters::http
