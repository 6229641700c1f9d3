// IdempotencyTable: the SQL of the first answers to commands that carried an
// idempotency key.
//
// Threading: a table belongs to the Connection it was made with, and so to
// the thread holding that connection (see prepared_statement.h). Every method
// throws what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <optional>
#include <string>

#include "adapters/store/prepared_statement.h"
#include "engine/case.h"
#include "engine/case_store.h"

namespace credflow::adapters {

class IdempotencyTable {
 public:
  explicit IdempotencyTable(Connection& conn) : conn_(conn) {}

  std::optional<engine::StoredResponse> Find(const std::string& key);
  // False when the key is taken.
  bool Put(const engine::StoredResponse& r, engine::Timestamp now);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
