#include "adapters/http/auth_backoff.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace credflow::adapters::http {

AuthBackoff::AuthBackoff(AuthBackoffOptions options, Now now)
    : options_(options), now_(now ? std::move(now) : Now([] { return std::chrono::steady_clock::now(); })) {}

std::string AuthBackoff::KeyOf(const std::string& address) {
  in6_addr v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;  // IPv4, or not an address
  char text[INET6_ADDRSTRLEN] = {};
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    in_addr v4{};
    std::memcpy(&v4, &v6.s6_addr[12], sizeof v4);
    return ::inet_ntop(AF_INET, &v4, text, sizeof text) ? std::string(text) : address;
  }
  std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), 0);
  return ::inet_ntop(AF_INET6, &v6, text, sizeof text) ? std::string(text) + "/64" : address;
}

bool AuthBackoff::Forgotten(const Entry& e, TimePoint now) const {
  // Quiet for a whole window and a whole longest back-off: a fresh start.
  const auto quiet = std::max<std::chrono::steady_clock::duration>(options_.window, options_.max_backoff);
  return now >= std::max(e.last_failure, e.blocked_until) + quiet;
}

AuthBackoff::Entry* AuthBackoff::Find(const std::string& key, TimePoint now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (Forgotten(it->second, now)) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

std::chrono::seconds AuthBackoff::RetryAfter(const std::string& address) {
  if (options_.failure_limit <= 0) return std::chrono::seconds(0);
  const TimePoint now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  const Entry* e = Find(KeyOf(address), now);
  if (e == nullptr || now >= e->blocked_until) return std::chrono::seconds(0);
  // Whole seconds, rounded up: a client that waits that long is served.
  const auto left = e->blocked_until - now;
  const auto whole = std::chrono::duration_cast<std::chrono::seconds>(left);
  return whole < left ? whole + std::chrono::seconds(1) : whole;
}

std::chrono::seconds AuthBackoff::Fail(const std::string& address) {
  if (options_.failure_limit <= 0) return std::chrono::seconds(0);
  const TimePoint now = now_();
  const std::string key = KeyOf(address);
  std::lock_guard<std::mutex> lock(mu_);
  Entry* e = Find(key, now);
  if (e == nullptr) {
    while (!lru_.empty() && entries_.size() >= std::max<size_t>(1, options_.max_addresses)) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    e = &entries_[key];
    e->lru = lru_.begin();
    e->window_start = now;
  } else {
    lru_.splice(lru_.begin(), lru_, e->lru);
  }
  e->last_failure = now;
  // A failure that raced a back-off starting (its request passed the check
  // just before): the back-off covers it already.
  if (now < e->blocked_until) return std::chrono::seconds(0);
  if (now >= e->window_start + options_.window) {
    e->window_start = now;
    e->failures = 0;
  }
  if (++e->failures < options_.failure_limit) return std::chrono::seconds(0);
  std::chrono::seconds backoff = options_.first_backoff;
  for (int i = 0; i < e->backoffs && backoff < options_.max_backoff; ++i) backoff *= 2;
  backoff = std::min(backoff, options_.max_backoff);
  ++e->backoffs;
  e->failures = 0;
  e->blocked_until = now + backoff;
  e->window_start = e->blocked_until;  // the next count begins when the back-off ends
  return backoff;
}

size_t AuthBackoff::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace credflow::adapters::http
