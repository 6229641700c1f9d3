// NoticesTable: the SQL of the notices a case queues for its recipients.
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

class NoticesTable {
 public:
  explicit NoticesTable(Connection& conn) : conn_(conn) {}

  // False when the id is taken.
  bool Put(const engine::Notice& n);
  // The case's notices by (created_at, id).
  std::vector<engine::Notice> List(const std::string& case_id);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
