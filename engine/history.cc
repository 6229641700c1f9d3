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

std::string CanonicalBytes(const HistoryEvent& e) {
  Json j = {
      {"case_id", e.case_id},
      {"seq", e.seq},
      {"event", e.event},
      {"from", e.from_state},
      {"to", e.to_state},
      {"actor", {{"user", e.actor.user}, {"role", e.actor.role}, {"department", e.actor.department}}},
      {"at", FormatTimestamp(e.at)},
      {"payload", e.payload},
      {"policy", {{"id", e.policy.id}, {"version", e.policy.version}, {"hash", e.policy.content_hash}}},
  };
  return j.dump(-1, ' ', false, Json::error_handler_t::strict);
}

std::string ComputeHash(const HistoryEvent& e) { return Sha256Hex(e.prev_hash + CanonicalBytes(e)); }

std::optional<ChainBreak> VerifyChain(const std::string& case_id, const std::vector<HistoryEvent>& events,
                                      const std::string& head) {
  std::string prev = kGenesisHash;
  int64_t expected_seq = 1;
  for (const HistoryEvent& e : events) {
    auto broken = [&](std::string problem) { return ChainBreak{case_id, e.seq, e.event, std::move(problem)}; };
    if (e.seq != expected_seq) return broken("seq gap: expected " + std::to_string(expected_seq));
    if (e.prev_hash != prev) return broken("prev_hash does not link to the event before");
    if (ComputeHash(e) != e.hash) return broken("hash mismatch: the event's content was changed");
    prev = e.hash;
    ++expected_seq;
  }
  if (!head.empty() && head != prev) {
    ChainBreak b{case_id, expected_seq - 1, events.empty() ? "" : events.back().event,
                 "the case's history head does not match its last event (events removed?)"};
    return b;
  }
  return std::nullopt;
}

}  // namespace credflow::engine
