// Failed authentication counted per client address, with a back-off: an
// address (an IPv6 client by its /64, where one host is given a whole
// prefix) that fails `failure_limit` times within `window` is refused for a
// while, the refusal doubling on each further back-off up to `max_backoff`.
// While backed off the API answers 429 with Retry-After without looking at
// the token, so guessing tokens from one address costs time, not the
// store's, and no worker thread sleeps. A success resets no count (neither
// its own address's nor another's): an attacker holding one valid token
// could otherwise clear its count between guesses. The table holds at most
// `max_addresses` entries and forgets the least recently failing one
// first. Thread-safe. Time comes from the injected `now` (steady time).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace credflow::adapters::http {

struct AuthBackoffOptions {
  int failure_limit = 10;                  // 0 = never back off
  std::chrono::seconds window{60};         // failures are counted within this
  std::chrono::seconds first_backoff{30};  // the first refusal; each next one doubles
  std::chrono::seconds max_backoff{900};   // up to this
  size_t max_addresses = 10000;            // addresses remembered at once
};

class AuthBackoff {
 public:
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  // `now` empty: std::chrono::steady_clock::now.
  explicit AuthBackoff(AuthBackoffOptions options, Now now = {});

  // The key an address is counted under: an IPv4 address (an IPv4-mapped
  // IPv6 one too) as is, an IPv6 address by its /64 ("2001:db8:1:2::/64"),
  // anything else (a name, "?") as is.
  static std::string KeyOf(const std::string& address);

  // How long `address` is still backed off: zero when it is not.
  std::chrono::seconds RetryAfter(const std::string& address);
  // Counts a failure of `address`; the back-off it starts, or zero when it
  // starts none.
  std::chrono::seconds Fail(const std::string& address);

  // Addresses remembered now (for tests).
  size_t size();

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    TimePoint window_start{};
    int failures = 0;  // within the window that began at window_start
    int backoffs = 0;  // back-offs so far; the next lasts first * 2^backoffs
    TimePoint blocked_until{};
    TimePoint last_failure{};
    std::list<std::string>::iterator lru;
  };

  // REQUIRES: mu_ held.
  Entry* Find(const std::string& key, TimePoint now);
  bool Forgotten(const Entry& e, TimePoint now) const;

  const AuthBackoffOptions options_;
  const Now now_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // most recently failing first
};

}  // namespace credflow::adapters::http
