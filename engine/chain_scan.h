// The whole store's hash chains, checked in one pass: the auditor's
// `audit verify` of every case and the heads an anchor seals.
//
// Asking for each case's row and history costs two round trips per case and
// a JSON parse per event. The scan instead splits the cases into ranges of
// about equal size (by position in id order), and worker threads each stream
// one range at a time: a page of case heads and a page of events, merged in
// (case id, seq) order. An event's hash is computed over its payload as the
// store keeps it (the compact JSON text Json::dump() wrote, see
// CanonicalBytesWithPayload), so nothing is parsed unless a hash does not
// match; then the payload is parsed and hashed in canonical form, so a
// payload stored in another spelling of the same JSON is not called broken.
// Memory is bounded by threads x page, whatever the store's size.
//
// The scan reads no snapshot: a case that moves while it runs may be seen
// with a row head older or newer than the events read. CheckAllChains
// therefore checks each case it finds broken once more on its own
// (VerifyCaseHistory) and reports only what is still broken then.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/anchor.h"
#include "engine/case_store.h"
#include "engine/history.h"

namespace credflow::engine {

inline constexpr int kMaxChainScanThreads = 64;

struct ChainScanOptions {
  int threads = 0;  // worker threads; 0: one per core (at most kMaxChainScanThreads)
  int page = 2048;  // rows per read; 1..100000
  // Also check that each case row's history_head is its last event's hash
  // (a case row with no events is then broken, an event without a case row
  // too).
  bool check_row_heads = true;
  // Return the head of every intact chain with at least one event.
  bool collect_heads = false;
};

struct ChainScan {
  int64_t cases = 0;               // case rows seen
  int64_t events = 0;              // events hashed
  std::vector<ChainHead> heads;    // with collect_heads, in case id order
  std::vector<ChainBreak> breaks;  // the first break of each broken case, in case id order
};

// Scans every chain as described above. Fails only when the store does
// (InvalidArgument("invalid_scan") for options out of range).
Result<ChainScan> ScanAllChains(CaseStore& store, const ChainScanOptions& options);

// ScanAllChains with check_row_heads, then each broken case checked again
// alone: breaks that were the scan meeting a case mid-move are dropped.
Result<ChainScan> CheckAllChains(CaseStore& store, ChainScanOptions options);

}  // namespace credflow::engine
