// A store whose histories and case rows a test writes (and rewrites)
// directly, as a database owner could: for the chain checks (anchors, the
// whole-store scan), which only read. Everything else goes to an empty
// in-memory store.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/case_store.h"
#include "engine/history.h"
#include "tests/support/forwarding_store.h"
#include "tests/support/in_memory_case_store.h"

namespace credflow::testing {

// `n` events of case `case_id`, correctly chained.
std::vector<engine::HistoryEvent> Chain(const std::string& case_id, int n);
// Rewrites event `seq` of `events` and recomputes every hash from there on,
// as a database owner covering their tracks would.
void EditAndRehash(std::vector<engine::HistoryEvent>* events, int64_t seq);

class HistoryStore : public ForwardingCaseStore {
 public:
  HistoryStore() : ForwardingCaseStore(&inner_) {}

  // Events by case. A case listed here has a row unless it is in
  // `without_row_`.
  std::map<std::string, std::vector<engine::HistoryEvent>> histories_;
  // A row's history_head when it is not its last event's hash; a case only
  // here has a row and no events.
  std::map<std::string, std::string> row_heads_;
  std::set<std::string> without_row_;
  // An event's payload as stored, by (case, seq), when it is not the
  // payload's compact dump (another spelling of the JSON, or not JSON).
  std::map<std::pair<std::string, int64_t>, std::string> payload_texts_;

  engine::Result<engine::Case> GetCase(const std::string& id) override;
  engine::Result<std::vector<engine::HistoryEvent>> GetHistory(const std::string& id) override;
  engine::Result<std::vector<std::string>> ListCaseIds() override;
  engine::Result<int64_t> CountAllCases() override;
  engine::Result<std::optional<std::string>> CaseIdAt(int64_t position) override;
  engine::Result<std::vector<engine::CaseHead>> ScanCaseHeads(const std::string& after, const std::string& through,
                                                              int limit) override;
  engine::Result<std::vector<engine::StoredEvent>> ScanHistory(const std::string& after_case, int64_t after_seq,
                                                               const std::string& through, int limit) override;

 private:
  std::map<std::string, std::string> Rows() const;  // id -> history_head
  InMemoryCaseStore inner_;
};

}  // namespace credflow::testing
