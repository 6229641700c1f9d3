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

namespace {

// The canonical object's members in key order are actor, at, case_id,
// event, from, payload, policy, seq, to. The members before "payload" and
// those after it are two objects, `before` and `after`, whose dumps frame
// the payload's text. SetHalves writes an event into them, reusing the
// strings of objects it filled before (EventHasher keeps them).
void SetText(Json& object, const char* key, const std::string& value) {
  Json& slot = object[key];
  if (slot.is_string()) {
    slot.get_ref<std::string&>() = value;
  } else {
    slot = value;
  }
}

void SetHalves(const HistoryEvent& e, Json& before, Json& after) {
  SetText(before, "case_id", e.case_id);
  SetText(before, "event", e.event);
  SetText(before, "from", e.from_state);
  Json& actor = before["actor"];
  SetText(actor, "user", e.actor.user);
  SetText(actor, "role", e.actor.role);
  SetText(actor, "department", e.actor.department);
  SetText(before, "at", FormatTimestamp(e.at));
  SetText(after, "to", e.to_state);
  after["seq"] = e.seq;
  Json& policy = after["policy"];
  SetText(policy, "id", e.policy.id);
  SetText(policy, "version", e.policy.version);
  SetText(policy, "hash", e.policy.content_hash);
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::strict); }

// Calls put(data, size) with the canonical bytes piece by piece: `before`
// without its closing '}', the payload member, `after` without its '{'.
template <typename Put>
void PutCanonical(const std::string& before, const std::string& payload_json, const std::string& after, Put&& put) {
  static constexpr char kPayloadKey[] = ",\"payload\":";
  put(before.data(), before.size() - 1);
  put(kPayloadKey, sizeof(kPayloadKey) - 1);
  put(payload_json.data(), payload_json.size());
  put(",", 1);
  put(after.data() + 1, after.size() - 1);
}

}  // namespace

std::string CanonicalBytesWithPayload(const HistoryEvent& e, const std::string& payload_json) {
  Json before, after;
  SetHalves(e, before, after);
  const std::string head = Dump(before);
  const std::string tail = Dump(after);
  std::string out;
  out.reserve(head.size() + payload_json.size() + tail.size() + 12);
  PutCanonical(head, payload_json, tail, [&out](const char* data, size_t size) { out.append(data, size); });
  return out;
}

struct EventHasher::Impl {
  Json before, after;  // SetHalves' objects, filled anew by every event
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();

  ~Impl() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(sha256);
  }
};

EventHasher::EventHasher() : impl_(std::make_unique<Impl>()) {
  if (impl_->sha256 == nullptr || impl_->ctx == nullptr) throw std::bad_alloc();
}

EventHasher::~EventHasher() = default;

std::string EventHasher::Hash(const HistoryEvent& e, const std::string& payload_json) {
  Impl& m = *impl_;
  SetHalves(e, m.before, m.after);
  const std::string head = Dump(m.before);
  const std::string tail = Dump(m.after);
  // The bytes CanonicalBytesWithPayload joins, fed to the digest in turn.
  bool ok = EVP_DigestInit_ex2(m.ctx, m.sha256, nullptr) == 1 &&
            EVP_DigestUpdate(m.ctx, e.prev_hash.data(), e.prev_hash.size()) == 1;
  PutCanonical(head, payload_json, tail,
               [&](const char* data, size_t size) { ok = ok && EVP_DigestUpdate(m.ctx, data, size) == 1; });
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ok || EVP_DigestFinal_ex(m.ctx, digest, &len) != 1) throw std::runtime_error("SHA-256 failed");
  std::string out;
  out.reserve(len * 2);
  boost::algorithm::hex_lower(digest, digest + len, std::back_inserter(out));
  return out;
}

std::string CanonicalBytes(const HistoryEvent& e) { return CanonicalBytesWithPayload(e, Dump(e.payload)); }

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
