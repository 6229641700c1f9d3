// ChildOutcomesTable: the SQL of the outcomes child cases report to their
// parent, each (parent, child, outcome) once.
//
// Threading: a table belongs to the Connection it was made with, and so to
// the thread holding that connection (see prepared_statement.h). Every method
// throws what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <string>
#include <vector>

#include "adapters/store/prepared_statement.h"
#include "engine/case.h"
#include "engine/case_store.h"

namespace credflow::adapters {

class ChildOutcomesTable {
 public:
  explicit ChildOutcomesTable(Connection& conn) : conn_(conn) {}

  // False when (parent, child, outcome) is already recorded.
  bool Put(const engine::ChildOutcome& o);
  // The parent's outcomes by (at, child_id, outcome).
  std::vector<engine::ChildOutcome> List(const std::string& parent_id);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
