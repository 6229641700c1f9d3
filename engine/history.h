// The hash chain over a case's history:
//   hash_n = SHA-256( prev_hash_hex || canonical_bytes(event_n) )
// where the canonical bytes are the event's fields as compact JSON with keys
// sorted (nlohmann's object order), UTF-8, no insignificant white space.
// prev_hash of the first event is 64 zeros. Changing any stored field of any
// event breaks the chain from that event on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/case.h"

namespace credflow::engine {

inline const std::string kGenesisHash(64, '0');

// The canonical encoding of everything an event says except its own hash.
std::string CanonicalBytes(const HistoryEvent& e);
// SHA-256 hex of prev_hash || CanonicalBytes(e).
std::string ComputeHash(const HistoryEvent& e);
// SHA-256 hex of any bytes.
std::string Sha256Hex(const std::string& bytes);

// The first break in a case's chain, if any.
struct ChainBreak {
  std::string case_id;
  int64_t seq = 0;
  std::string event;
  std::string problem;  // "hash mismatch", "prev_hash does not link", "seq gap"
};

// Checks seq order, links and hashes, and that the last hash is `head` (the
// case row's history_head; pass empty to skip). Returns the first break.
std::optional<ChainBreak> VerifyChain(const std::string& case_id, const std::vector<HistoryEvent>& events,
                                      const std::string& head);

}  // namespace credflow::engine
