// DocumentNumbersTable: the SQL of document numbers (文号): the sequences,
// one row per (office, prefix, year) holding the last number issued, and the
// numbers issued, one row per (case, document kind).
//
// A number is taken by an upsert that increments the sequence row and
// returns the new value. The upsert locks that row until the transaction
// ends (PostgreSQL: the row lock of INSERT ... ON CONFLICT DO UPDATE; SQLite:
// the database write lock of BEGIN IMMEDIATE), so concurrent issues in one
// sequence queue behind each other and a rollback gives the number back:
// the sequence has no gaps.
//
// Threading: a table belongs to the Connection it was made with, and so to
// the thread holding that connection (see prepared_statement.h). Every method
// throws what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/store/prepared_statement.h"
#include "engine/case_store.h"

namespace credflow::adapters {

class DocumentNumbersTable {
 public:
  explicit DocumentNumbersTable(Connection& conn) : conn_(conn) {}

  std::optional<engine::DocumentNumber> Find(const std::string& case_id, const std::string& kind);
  // The case's numbers in (issued_at, kind) order.
  std::vector<engine::DocumentNumber> ForCase(const std::string& case_id);
  // Takes the next number of (office, prefix, year) and returns it; the
  // sequence row stays locked until the transaction ends.
  long long TakeNext(const std::string& office, const std::string& prefix, int year);
  // Gives `number`, the last taken in this transaction, back to its sequence.
  void GiveBack(const std::string& office, const std::string& prefix, int year, long long number);
  // False when (case, kind) has a number already.
  bool Insert(const engine::DocumentNumber& d);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
