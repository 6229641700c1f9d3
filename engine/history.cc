#include "engine/history.h"

#include <openssl/evp.h>
#include <boost/algorithm/hex.hpp>

#include <iterator>

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
  if (payload_text == nullptr) {
    matches = ComputeHash(e) == e.hash;
  } else if (Sha256Hex(e.prev_hash + CanonicalBytesWithPayload(e, *payload_text)) == e.hash) {
    matches = true;
  } else {
    // The same JSON may be spelled otherwise (spaces, key order): hash its
    // canonical form before calling the event changed. The text is not
    // trusted: parsing stops deeper than any payload credflow writes, and
    // the writer that would recurse into it never runs.
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
    if (!too_deep && !parsed.is_discarded()) {
      HistoryEvent canonical = e;
      canonical.payload = std::move(parsed);
      matches = ComputeHash(canonical) == e.hash;
    }
  }
  if (!matches) return broken("hash mismatch: the event's content was changed");
  prev_ = e.hash;
  last_event_ = e.event;
  ++events_;
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
