#include "adapters/http/auth.h"

#include <openssl/crypto.h>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/algorithm/string/trim.hpp>

namespace credflow::adapters::http {
namespace {

// Bounds the cache: unknown tokens are cached too (so a client hammering
// with a wrong token costs no store lookups), which must not grow forever.
constexpr size_t kMaxCacheEntries = 10000;

// Whether two hashes are equal, in time that depends on their length only.
bool SameHash(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void Explain(std::string* why, std::string text) {
  if (why != nullptr) *why = std::move(text);
}

}  // namespace

Authenticator::Authenticator(engine::CaseStore* store, std::chrono::milliseconds ttl) : store_(store), ttl_(ttl) {}

engine::Result<engine::User> Authenticator::Authenticate(const std::string& authorization, std::string* why) {
  using engine::Status;
  if (authorization.empty()) {
    Explain(why, "missing token");
    return Status::InvalidArgument("missing_token", "send Authorization: Bearer <token>");
  }
  if (!boost::algorithm::istarts_with(authorization, "Bearer ")) {
    Explain(why, "malformed header");
    return Status::InvalidArgument("invalid_token", "the Authorization header must be 'Bearer <token>'");
  }
  const std::string token = boost::algorithm::trim_copy(authorization.substr(7));
  if (token.empty()) {
    Explain(why, "missing token");
    return Status::InvalidArgument("missing_token", "the bearer token is empty");
  }
  const std::string hash = engine::TokenHash(token);
  const auto now = std::chrono::steady_clock::now();

  Entry entry;
  bool cached = false;
  if (ttl_.count() > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && it->second.expires > now) {
      entry = it->second;
      cached = true;
    }
  }
  if (!cached) {
    engine::Result<std::optional<engine::User>> found = store_->FindUserByTokenHash(hash);
    if (!found.ok()) return found.status();
    entry.found = found->has_value();
    if (entry.found) entry.user = **found;
    entry.expires = now + ttl_;
    if (ttl_.count() > 0) {
      std::lock_guard<std::mutex> lock(mu_);
      if (cache_.size() >= kMaxCacheEntries) cache_.clear();
      cache_[hash] = entry;
    }
  }
  // The store found the user by this hash; the check that the hashes match
  // is constant-time all the same (see auth.h).
  if (!entry.found || !SameHash(entry.user.token_hash, hash)) {
    Explain(why, "unknown token");
    return Status::InvalidArgument("invalid_token", "the bearer token is not valid");
  }
  if (entry.user.disabled) {
    Explain(why, "disabled user " + entry.user.name);
    return Status::InvalidArgument("invalid_token", "the bearer token is not valid");
  }
  return entry.user;
}

}  // namespace credflow::adapters::http
