// Anchors: the head of every case's hash chain at one moment, sealed by a
// Merkle root, so that a copy kept outside the database (signed by an
// adapter, see adapters/crypto/ed25519.h) shows whether any history up to
// that moment was rewritten, even by someone who recomputed every later hash.
//
// The root, exactly (an auditor recomputes it with sha256sum):
//   leaf   = SHA-256 hex of "<case_id>:<seq>:<head_hash>"  (seq in decimal,
//            head_hash the 64 lower-case hex digits of the case's event seq)
//   leaves are ordered by case id (byte order)
//   node   = SHA-256 hex of (left_hex || right_hex): the two 64-character
//            lower-case hex strings concatenated as ASCII, as the history
//            chain concatenates prev_hash_hex with the event's bytes
//   a level with an odd count promotes its last node unchanged
//   root   = the one node left; for no cases, SHA-256 hex of "" (e3b0c442...)
// A leaf's text holds ':' and a node's input is 128 hex digits, so a leaf can
// never be read as a node.
//
// Functions here are pure or read the store only; safe from any thread that
// may use the store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/case_store.h"
#include "engine/clock.h"
#include "engine/history.h"

namespace credflow::engine {

// The format of the statement below; a file of another format is refused.
inline constexpr const char* kAnchorFormat = "credflow-anchor/1";

// Where one case's chain stood: its last event's seq and hash.
struct ChainHead {
  std::string case_id;
  int64_t seq = 0;
  std::string hash;
  bool operator==(const ChainHead& o) const { return case_id == o.case_id && seq == o.seq && hash == o.hash; }
};

// SHA-256 hex of "<case_id>:<seq>:<hash>".
std::string AnchorLeaf(const ChainHead& head);
// The Merkle root of `leaves` (hex strings) in the order given (see above).
std::string MerkleRoot(const std::vector<std::string>& leaves);
// The root over `heads` sorted by case id.
std::string MerkleRootOfHeads(std::vector<ChainHead> heads);

// What an anchor says. Signed as StatementBytes.
struct AnchorStatement {
  std::string root;
  Timestamp at{};                // when the heads had been read (the injected clock)
  int64_t cases = 0;             // heads.size()
  int64_t events = 0;            // sum of the heads' seq
  std::string store;             // the store's URL without password; informative only
  std::vector<ChainHead> heads;  // sorted by case id
};

// The statement as JSON: {"format", "root", "at" (UTC, ...Z), "cases",
// "events", "store", "heads": [[case_id, seq, hash], ...]}.
Json AnchorStatementToJson(const AnchorStatement& a);
// The exact bytes that are signed: AnchorStatementToJson compact, keys
// sorted, UTF-8, no trailing newline (what `jq -cjS .statement` prints).
std::string StatementBytes(const AnchorStatement& a);
// Reads a statement back; InvalidArgument("bad_anchor") naming what is wrong
// (format, a missing field, a malformed head, root or count that do not
// follow from the heads).
Result<AnchorStatement> AnchorStatementFromJson(const Json& j);

// Every case's chain head, sorted by case id, read from the store. A case
// whose chain does not verify is listed in `broken` and left out of `heads`
// (an anchor must not seal a history that is already broken).
struct ChainHeads {
  std::vector<ChainHead> heads;
  std::vector<ChainBreak> broken;
};
Result<ChainHeads> ReadChainHeads(CaseStore& store);

// Builds the statement over `heads` at `at`.
AnchorStatement MakeAnchorStatement(std::vector<ChainHead> heads, Timestamp at, std::string store);

// One anchored case whose history no longer reaches its anchored head.
struct AnchorMismatch {
  std::string case_id;
  int64_t seq = 0;  // the anchored seq
  std::string problem;
};

// What the store says about a statement (its signature is checked apart).
struct AnchorCheck {
  int64_t matched = 0;                     // anchored cases that still match
  std::vector<AnchorMismatch> mismatches;  // in case id order; the first is the first
  std::vector<std::string> not_covered;    // cases in the store the anchor does not name
  bool ok() const { return mismatches.empty(); }
};

// For each anchored head: the case's stored events 1..seq must form an
// intact chain (VerifyChain) whose event seq has the anchored hash. A case
// that is gone, a history shorter than seq, or a chain that no longer ends
// in the anchored hash (an event at or before seq was edited and the hashes
// after it recomputed) is a mismatch. Cases the statement does not name are
// `not_covered`. Fails only when the store cannot be read.
Result<AnchorCheck> CheckAnchor(CaseStore& store, const AnchorStatement& a);

}  // namespace credflow::engine
