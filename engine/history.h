// The hash chain over a case's history:
//   hash_n = SHA-256( prev_hash_hex || canonical_bytes(event_n) )
// where the canonical bytes are the event's fields as compact JSON with keys
// sorted (nlohmann's object order), UTF-8, no insignificant white space.
// prev_hash of the first event is 64 zeros. Changing any stored field of any
// event breaks the chain from that event on.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/case.h"

namespace credflow::engine {

inline const std::string kGenesisHash(64, '0');
// No payload credflow writes nests deeper (the store refuses to read one
// that does, adapters/store/rows.cc); a chain check does not parse deeper.
inline constexpr int kMaxPayloadDepth = 64;

// The canonical encoding of everything an event says except its own hash.
std::string CanonicalBytes(const HistoryEvent& e);
// The same with the payload given as its compact JSON text (what
// Json::dump() writes and the store keeps) instead of e.payload: equal to
// CanonicalBytes(e) when payload_json == e.payload.dump().
std::string CanonicalBytesWithPayload(const HistoryEvent& e, const std::string& payload_json);
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

// ComputeHash for many events in a row, reusing its JSON members and digest
// instead of building them per event (the whole-store check hashes
// millions). One per thread.
class EventHasher {
 public:
  EventHasher();
  ~EventHasher();
  EventHasher(const EventHasher&) = delete;
  EventHasher& operator=(const EventHasher&) = delete;

  // SHA-256 hex of e.prev_hash || CanonicalBytesWithPayload(e,
  // payload_json). Throws what Json::dump throws for text that is not UTF-8.
  std::string Hash(const HistoryEvent& e, const std::string& payload_json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Checks one case's chain an event at a time: seq order, links and hashes.
class ChainChecker {
 public:
  // `hasher` (optional, not owned) is used for events given with their
  // payload's text.
  explicit ChainChecker(std::string case_id, EventHasher* hasher = nullptr)
      : case_id_(std::move(case_id)), hasher_(hasher) {}

  // Checks the next event; does nothing once the chain is broken. With
  // `payload_text` (the payload as the store keeps it; e.payload is then not
  // read) the hash is computed over that text, and only when it does not
  // match over the text parsed and written canonically.
  void Add(const HistoryEvent& e, const std::string* payload_text = nullptr);
  // The first break so far.
  const std::optional<ChainBreak>& broken() const { return broken_; }
  // The first break, or that the last hash is not `head` (the case row's
  // history_head; empty: not checked).
  std::optional<ChainBreak> Finish(const std::string& head) const;

  int64_t events() const { return events_; }  // events that linked
  const std::string& last_hash() const { return prev_; }
  const std::string& last_event() const { return last_event_; }

 private:
  bool HashMatches(const HistoryEvent& e, const std::string* payload_text);

  std::string case_id_;
  EventHasher* hasher_;
  std::string prev_ = kGenesisHash;
  int64_t events_ = 0;
  std::string last_event_;
  std::optional<ChainBreak> broken_;
};

// Checks seq order, links and hashes, and that the last hash is `head` (the
// case row's history_head; pass empty to skip). Returns the first break.
std::optional<ChainBreak> VerifyChain(const std::string& case_id, const std::vector<HistoryEvent>& events,
                                      const std::string& head);

}  // namespace credflow::engine
