#include "engine/anchor.h"

#include <algorithm>
#include <set>
#include <utility>

#include "engine/chain_scan.h"

namespace credflow::engine {
namespace {

bool IsHashHex(const std::string& s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void SortByCase(std::vector<ChainHead>* heads) {
  std::sort(heads->begin(), heads->end(), [](const ChainHead& a, const ChainHead& b) { return a.case_id < b.case_id; });
}

Status BadAnchor(const std::string& what) { return Status::InvalidArgument("bad_anchor", "anchor: " + what); }

}  // namespace

std::string AnchorLeaf(const ChainHead& head) {
  return Sha256Hex(head.case_id + ":" + std::to_string(head.seq) + ":" + head.hash);
}

std::string MerkleRoot(const std::vector<std::string>& leaves) {
  if (leaves.empty()) return Sha256Hex("");
  std::vector<std::string> level = leaves;
  while (level.size() > 1) {
    std::vector<std::string> up;
    up.reserve((level.size() + 1) / 2);
    for (size_t i = 0; i + 1 < level.size(); i += 2) up.push_back(Sha256Hex(level[i] + level[i + 1]));
    if (level.size() % 2 == 1) up.push_back(level.back());
    level = std::move(up);
  }
  return level.front();
}

std::string MerkleRootOfHeads(std::vector<ChainHead> heads) {
  SortByCase(&heads);
  std::vector<std::string> leaves;
  leaves.reserve(heads.size());
  for (const ChainHead& h : heads) leaves.push_back(AnchorLeaf(h));
  return MerkleRoot(leaves);
}

Json AnchorStatementToJson(const AnchorStatement& a) {
  Json heads = Json::array();
  for (const ChainHead& h : a.heads) heads.push_back(Json::array({h.case_id, h.seq, h.hash}));
  return Json{{"format", kAnchorFormat}, {"root", a.root},   {"at", FormatTimestamp(a.at)}, {"cases", a.cases},
              {"events", a.events},      {"store", a.store}, {"heads", std::move(heads)}};
}

std::string StatementBytes(const AnchorStatement& a) {
  return AnchorStatementToJson(a).dump(-1, ' ', false, Json::error_handler_t::strict);
}

Result<AnchorStatement> AnchorStatementFromJson(const Json& j) {
  if (!j.is_object()) return BadAnchor("the statement is not an object");
  auto text = [&](const char* key, std::string* out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
  };
  auto count = [&](const char* key, int64_t* out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return false;
    *out = it->get<int64_t>();
    return *out >= 0;
  };
  std::string format, at;
  if (!text("format", &format) || format != kAnchorFormat) {
    return BadAnchor(std::string("format is not ") + kAnchorFormat);
  }
  AnchorStatement a;
  if (!text("root", &a.root) || !IsHashHex(a.root)) return BadAnchor("root is not 64 lower-case hex digits");
  if (!text("at", &at) || !ParseTimestamp(at, &a.at)) return BadAnchor("at is not a time");
  if (!count("cases", &a.cases)) return BadAnchor("cases is not a count");
  if (!count("events", &a.events)) return BadAnchor("events is not a count");
  if (!text("store", &a.store)) return BadAnchor("store is missing");
  auto heads = j.find("heads");
  if (heads == j.end() || !heads->is_array()) return BadAnchor("heads is not a list");
  int64_t events = 0;
  for (const Json& h : *heads) {
    if (!h.is_array() || h.size() != 3 || !h[0].is_string() || !h[1].is_number_integer() || !h[2].is_string()) {
      return BadAnchor("a head is not [case_id, seq, hash]");
    }
    ChainHead head{h[0].get<std::string>(), h[1].get<int64_t>(), h[2].get<std::string>()};
    if (head.case_id.empty() || head.seq < 1 || !IsHashHex(head.hash)) {
      return BadAnchor("head of case '" + head.case_id + "' is malformed");
    }
    if (!a.heads.empty() && !(a.heads.back().case_id < head.case_id)) {
      return BadAnchor("heads are not in strictly increasing case id order at '" + head.case_id + "'");
    }
    events += head.seq;
    a.heads.push_back(std::move(head));
  }
  if (a.cases != static_cast<int64_t>(a.heads.size())) return BadAnchor("cases does not count the heads");
  if (a.events != events) return BadAnchor("events is not the sum of the heads' seq");
  if (MerkleRootOfHeads(a.heads) != a.root) return BadAnchor("root is not the Merkle root of the heads");
  return a;
}

Result<ChainHeads> ReadChainHeads(CaseStore& store) {
  // Every chain in one streaming pass (engine/chain_scan.h); a case row
  // without events has no chain to seal, so row heads are not compared, and
  // events without a case row are not sealed. Two threads: a scheduled
  // anchor shares the server's connections with its requests.
  ChainScanOptions options;
  options.threads = 2;
  options.check_row_heads = false;
  options.collect_heads = true;
  Result<ChainScan> scan = ScanAllChains(store, options);
  if (!scan.ok()) return scan.status();
  ChainHeads out;
  out.heads = std::move(scan->heads);
  out.broken = std::move(scan->breaks);
  return out;
}

AnchorStatement MakeAnchorStatement(std::vector<ChainHead> heads, Timestamp at, std::string store) {
  SortByCase(&heads);
  AnchorStatement a;
  a.root = MerkleRootOfHeads(heads);
  a.at = at;
  a.cases = static_cast<int64_t>(heads.size());
  for (const ChainHead& h : heads) a.events += h.seq;
  a.store = std::move(store);
  a.heads = std::move(heads);
  return a;
}

Result<AnchorCheck> CheckAnchor(CaseStore& store, const AnchorStatement& a) {
  AnchorCheck check;
  std::set<std::string> anchored;
  for (const ChainHead& head : a.heads) {
    anchored.insert(head.case_id);
    Result<std::vector<HistoryEvent>> history = store.GetHistory(head.case_id);
    if (!history.ok() && !history.status().IsNotFound()) return history.status();
    const std::vector<HistoryEvent> none;
    const std::vector<HistoryEvent>& events = history.ok() ? *history : none;
    auto mismatch = [&](std::string problem) {
      check.mismatches.push_back({head.case_id, head.seq, std::move(problem)});
    };
    if (events.empty()) {
      mismatch("the case's history is gone");
      continue;
    }
    if (static_cast<int64_t>(events.size()) < head.seq) {
      mismatch("the history has " + std::to_string(events.size()) + " event(s), the anchor sealed " +
               std::to_string(head.seq) + " (events removed)");
      continue;
    }
    const std::vector<HistoryEvent> prefix(events.begin(), events.begin() + head.seq);
    if (std::optional<ChainBreak> b = VerifyChain(head.case_id, prefix, ""); b) {
      mismatch("event " + std::to_string(b->seq) + " (" + b->event + "): " + b->problem);
      continue;
    }
    if (prefix.back().hash != head.hash) {
      mismatch("event " + std::to_string(head.seq) + " (" + prefix.back().event + ") hashes to " +
               prefix.back().hash.substr(0, 16) + "..., the anchor sealed " + head.hash.substr(0, 16) +
               "...: an event at or before it was changed and the hashes after it recomputed");
      continue;
    }
    ++check.matched;
  }
  Result<std::vector<std::string>> ids = store.ListCaseIds();
  if (!ids.ok()) return ids.status();
  for (const std::string& id : *ids) {
    if (anchored.count(id) == 0) check.not_covered.push_back(id);
  }
  std::sort(check.not_covered.begin(), check.not_covered.end());
  return check;
}

}  // namespace credflow::engine
