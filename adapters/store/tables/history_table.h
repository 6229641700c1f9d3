// HistoryTable: the SQL of the append-only history. A command's events go in
// one multi-row INSERT (one round trip; one prepared statement per row
// count), and a seq already taken is skipped by ON CONFLICT so that the
// caller can tell it from the one constraint left, the reference to the case.
//
// Threading: a table belongs to the Connection it was made with, and so to
// the thread holding that connection (see prepared_statement.h). Every method
// throws what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/store/prepared_statement.h"
#include "engine/case.h"
#include "engine/case_store.h"

namespace credflow::adapters {

class HistoryTable {
 public:
  explicit HistoryTable(Connection& conn) : conn_(conn) {}

  // Appends `n` events in one INSERT; true when every row was new (false
  // when a seq is taken). Throws a constraint error for an unknown case.
  bool Append(const engine::HistoryEvent* events, size_t n);
  // The case's events in seq order.
  std::vector<engine::HistoryEvent> List(const std::string& case_id);
  // CaseStore::ScanHistory (limit > 0).
  std::vector<engine::StoredEvent> Scan(const std::string& after_case, int64_t after_seq, const std::string& through,
                                        int limit);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
