#include "engine/history.h"

#include <openssl/evp.h>
#include <boost/algorithm/hex.hpp>

#include <iterator>
#include <new>
#include <stdexcept>

#include <cstdio>

namespace credflow::engine {

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  std::string out;
  out.reserve(len * 2);
  boost::algorithm::hex_lower(digest, digest + len, std::back_inserter(out));
  return out;
}

std::string CanonicalBytesWithPayload(const HistoryEvent& e, const std::string& payload_json) {
  // The object's members in key order are actor, at, case_id, event, from,
  // payload, policy, seq, to: the members before "payload" and those after
  // it are dumped as two objects and the payload's text goes between them.
  const Json before = {
      {"case_id", e.case_id},
      {"event", e.event},
      {"from", e.from_state},
      {"actor", {{"user", e.actor.user}, {"role", e.actor.role}, {"department", e.actor.department}}},
      {"at", FormatTimestamp(e.at)},
  };
  const Json after = {
      {"to", e.to_state},
      {"seq", e.seq},
      {"policy", {{"id", e.policy.id}, {"version", e.policy.version}, {"hash", e.policy.content_hash}}},
  };
  std::string out = before.dump(-1, ' ', false, Json::error_handler_t::strict);
  const std::string tail = after.dump(-1, ' ', false, Json::error_handler_t::strict);
  out.pop_back();  // the '}' of `before`
  out.reserve(out.size() + payload_json.size() + tail.size() + 12);
  out += ",\"payload\":";
  out += payload_json;
  out += ',';
  out.append(tail, 1, std::string::npos);  // without the '{' of `after`
  return out;
}

struct EventHasher::Impl {
  // The two halves of CanonicalBytesWithPayload's object, built once; each
  // event assigns its values in place.
  Json before = {
      {"case_id", ""}, {"event", ""}, {"from", ""}, {"actor", {{"user", ""}, {"role", ""}, {"department", ""}}},
      {"at", ""},
  };
  Json after = {{"to", ""}, {"seq", 0}, {"policy", {{"id", ""}, {"version", ""}, {"hash", ""}}}};
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();

  ~Impl() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(sha256);
  }
  static std::string& Text(Json& j, const char* key) { return j[key].get_ref<std::string&>(); }
};

EventHasher::EventHasher() : impl_(std::make_unique<Impl>()) {
  if (impl_->sha256 == nullptr || impl_->ctx == nullptr) throw std::bad_alloc();
}

EventHasher::~EventHasher() = default;

std::string EventHasher::Hash(const HistoryEvent& e, const std::string& payload_json) {
  Impl& m = *impl_;
  Impl::Text(m.before, "case_id") = e.case_id;
  Impl::Text(m.before, "event") = e.event;
  Impl::Text(m.before, "from") = e.from_state;
  Json& actor = m.before["actor"];
  Impl::Text(actor, "user") = e.actor.user;
  Impl::Text(actor, "role") = e.actor.role;
  Impl::Text(actor, "department") = e.actor.department;
  Impl::Text(m.before, "at") = FormatTimestamp(e.at);
  Impl::Text(m.after, "to") = e.to_state;
  m.after["seq"] = e.seq;
  Json& policy = m.after["policy"];
  Impl::Text(policy, "id") = e.policy.id;
  Impl::Text(policy, "version") = e.policy.version;
  Impl::Text(policy, "hash") = e.policy.content_hash;
  const std::string before = m.before.dump(-1, ' ', false, Json::error_handler_t::strict);
  const std::string after = m.after.dump(-1, ' ', false, Json::error_handler_t::strict);
  static constexpr char kPayloadKey[] = ",\"payload\":";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // The bytes CanonicalBytesWithPayload joins, fed to the digest in turn.
  if (EVP_DigestInit_ex2(m.ctx, m.sha256, nullptr) != 1 ||
      EVP_DigestUpdate(m.ctx, e.prev_hash.data(), e.prev_hash.size()) != 1 ||
      EVP_DigestUpdate(m.ctx, before.data(), before.size() - 1) != 1 ||
      EVP_DigestUpdate(m.ctx, kPayloadKey, sizeof(kPayloadKey) - 1) != 1 ||
      EVP_DigestUpdate(m.ctx, payload_json.data(), payload_json.size()) != 1 || EVP_DigestUpdate(m.ctx, ",", 1) != 1 ||
      EVP_DigestUpdate(m.ctx, after.data() + 1, after.size() - 1) != 1 ||
      EVP_DigestFinal_ex(m.ctx, digest, &len) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  std::string out;
  out.reserve(len * 2);
  boost::algorithm::hex_lower(digest, digest + len, std::back_inserter(out));
  return out;
}

std::string CanonicalBytes(const HistoryEvent& e) {
  return CanonicalBytesWithPayload(e, e.payload.dump(-1, ' ', false, Json::error_handler_t::strict));
}

std::string ComputeHash(const HistoryEvent& e) { return Sha256Hex(e.prev_hash + CanonicalBytes(e)); }

void ChainChecker::Add(const HistoryEvent& e, const std::string* payload_text) {
  if (broken_) return;
  auto broken = [&](std::string problem) { broken_ = ChainBreak{case_id_, e.seq, e.event, std::move(problem)}; };
  if (e.seq != events_ + 1) return broken("seq gap: expected " + std::to_string(events_ + 1));
  if (e.prev_hash != prev_) return broken("prev_hash does not link to the event before");
  bool matches = false;
  try {
    matches = HashMatches(e, payload_text);
  } catch (const Json::exception&) {
    // A text member that is not UTF-8 (SQLite stores any bytes): credflow
    // never wrote it.
    return broken("hash mismatch: the event holds text that is not UTF-8");
  }
  if (!matches) return broken("hash mismatch: the event's content was changed");
  prev_ = e.hash;
  last_event_ = e.event;
  ++events_;
}

bool ChainChecker::HashMatches(const HistoryEvent& e, const std::string* payload_text) {
  if (payload_text == nullptr) return ComputeHash(e) == e.hash;
  const std::string hash = hasher_ != nullptr ? hasher_->Hash(e, *payload_text)
                                              : Sha256Hex(e.prev_hash + CanonicalBytesWithPayload(e, *payload_text));
  if (hash == e.hash) return true;
  // The same JSON may be spelled otherwise (spaces, key order): hash its
  // canonical form before calling the event changed. The text is not
  // trusted: parsing stops deeper than any payload credflow writes, and the
  // writer that would recurse into it never runs.
  bool too_deep = false;
  Json parsed = Json::parse(
      *payload_text,
      [&too_deep](int depth, Json::parse_event_t event, Json&) {
        if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
            depth >= kMaxPayloadDepth) {
          too_deep = true;
          return false;  // skipped: nothing of it is built
        }
        return true;
      },
      false);
  if (too_deep || parsed.is_discarded()) return false;
  HistoryEvent canonical = e;
  canonical.payload = std::move(parsed);
  return ComputeHash(canonical) == e.hash;
}

std::optional<ChainBreak> ChainChecker::Finish(const std::string& head) const {
  if (broken_) return broken_;
  if (!head.empty() && head != prev_) {
    return ChainBreak{case_id_, events_, last_event_,
                      "the case's history head does not match its last event (events removed?)"};
  }
  return std::nullopt;
}

std::optional<ChainBreak> VerifyChain(const std::string& case_id, const std::vector<HistoryEvent>& events,
                                      const std::string& head) {
  ChainChecker chain(case_id);
  for (const HistoryEvent& e : events) {
    chain.Add(e);
    if (chain.broken()) break;
  }
  return chain.Finish(head);
}

}  // namespace credflow::engine
