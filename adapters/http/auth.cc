#include "adapters/http/auth.h"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/algorithm/string/trim.hpp>

namespace credflow::adapters::http {
namespace {

// Bounds the cache: unknown tokens are cached too (so a client hammering
// with a wrong token costs no store lookups), which must not grow forever.
constexpr size_t kMaxCacheEntries = 10000;

}  // namespace

Authenticator::Authenticator(engine::CaseStore* store, std::chrono::milliseconds ttl) : store_(store), ttl_(ttl) {}

engine::Result<engine::User> Authenticator::Authenticate(const std::string& authorization) {
  using engine::Status;
  if (authorization.empty()) {
    return Status::InvalidArgument("missing_token", "send Authorization: Bearer <token>");
  }
  if (!boost::algorithm::istarts_with(authorization, "Bearer ")) {
    return Status::InvalidArgument("invalid_token", "the Authorization header must be 'Bearer <token>'");
  }
  const std::string token = boost::algorithm::trim_copy(authorization.substr(7));
  if (token.empty()) return Status::InvalidArgument("missing_token", "the bearer token is empty");
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
  if (!entry.found || entry.user.disabled) {
    return Status::InvalidArgument("invalid_token", "the bearer token is not valid");
  }
  return entry.user;
}

}  // namespace credflow::adapters::http
