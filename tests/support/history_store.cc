#include "tests/support/history_store.h"

#include <utility>

namespace credflow::testing {

using engine::HistoryEvent;
using engine::Result;
using engine::Status;

std::vector<HistoryEvent> Chain(const std::string& case_id, int n) {
  std::vector<HistoryEvent> events;
  std::string prev = engine::kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    HistoryEvent e;
    e.case_id = case_id;
    e.seq = i;
    e.event = i == 1 ? "CaseOpened" : "E" + std::to_string(i);
    e.to_state = "S" + std::to_string(i);
    e.actor = {"张三", "caseworker", "市场监管局"};
    e.payload = {{"data", {{"n", i}, {"名称", "某某科技有限公司"}, {"note", "a \"quoted\"\\ line\n"}}}};
    e.prev_hash = prev;
    e.hash = engine::ComputeHash(e);
    prev = e.hash;
    events.push_back(e);
  }
  return events;
}

void EditAndRehash(std::vector<HistoryEvent>* events, int64_t seq) {
  (*events)[seq - 1].payload["data"]["n"] = 999;
  std::string prev = seq == 1 ? engine::kGenesisHash : (*events)[seq - 2].hash;
  for (size_t i = seq - 1; i < events->size(); ++i) {
    (*events)[i].prev_hash = prev;
    (*events)[i].hash = engine::ComputeHash((*events)[i]);
    prev = (*events)[i].hash;
  }
}

std::map<std::string, std::string> HistoryStore::Rows() const {
  std::map<std::string, std::string> rows;
  for (const auto& [id, events] : histories_) {
    if (without_row_.count(id) == 0) rows[id] = events.empty() ? "" : events.back().hash;
  }
  for (const auto& [id, head] : row_heads_) rows[id] = head;
  return rows;
}

Result<engine::Case> HistoryStore::GetCase(const std::string& id) {
  const std::map<std::string, std::string> rows = Rows();
  auto it = rows.find(id);
  if (it == rows.end()) return Status::NotFound("case_not_found", "no case " + id);
  engine::Case c;
  c.id = id;
  c.history_head = it->second;
  return c;
}

Result<std::vector<HistoryEvent>> HistoryStore::GetHistory(const std::string& id) {
  auto it = histories_.find(id);
  return it == histories_.end() ? std::vector<HistoryEvent>{} : it->second;
}

Result<std::vector<std::string>> HistoryStore::ListCaseIds() {
  std::vector<std::string> ids;
  for (const auto& [id, head] : Rows()) ids.push_back(id);
  return ids;
}

Result<int64_t> HistoryStore::CountAllCases() { return static_cast<int64_t>(Rows().size()); }

Result<std::optional<std::string>> HistoryStore::CaseIdAt(int64_t position) {
  const std::map<std::string, std::string> rows = Rows();
  if (position < 0 || position >= static_cast<int64_t>(rows.size())) return std::optional<std::string>();
  return std::optional<std::string>(std::next(rows.begin(), position)->first);
}

Result<std::vector<engine::CaseHead>> HistoryStore::ScanCaseHeads(const std::string& after, const std::string& through,
                                                                  int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  std::vector<engine::CaseHead> out;
  for (const auto& [id, head] : Rows()) {
    if (id <= after || (!through.empty() && id > through)) continue;
    if (out.size() == static_cast<size_t>(limit)) break;
    out.push_back({id, head});
  }
  return out;
}

Result<std::vector<engine::StoredEvent>> HistoryStore::ScanHistory(const std::string& after_case, int64_t after_seq,
                                                                   const std::string& through, int limit) {
  if (limit <= 0) return Status::InvalidArgument("invalid_limit", "the page size must be positive");
  std::vector<engine::StoredEvent> out;
  for (const auto& [id, events] : histories_) {
    if (id < after_case || (!through.empty() && id > through)) continue;
    for (const HistoryEvent& e : events) {
      if (id == after_case && e.seq <= after_seq) continue;
      if (out.size() == static_cast<size_t>(limit)) return out;
      auto text = payload_texts_.find({id, e.seq});
      engine::StoredEvent stored{e, text == payload_texts_.end() ? e.payload.dump() : text->second};
      stored.event.payload = engine::Json::object();
      out.push_back(std::move(stored));
    }
  }
  return out;
}

}  // namespace credflow::testing
