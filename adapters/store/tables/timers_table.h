// TimersTable: the SQL of pending timers: arming (replacing a timer of the
// same id or the same case and name), cancelling, claiming the earliest due
// timer under the dialect's claim lock, and the reads.
//
// Threading: a table belongs to the Connection it was made with, and so to
// the thread holding that connection (see prepared_statement.h). Every method
// throws what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/store/prepared_statement.h"
#include "engine/case.h"
#include "engine/case_store.h"

namespace credflow::adapters {

class TimersTable {
 public:
  explicit TimersTable(Connection& conn) : conn_(conn) {}

  // The new timer replaces any timer with the same id or the same case and
  // name. `may_replace` false: the caller knows there is none (the timer of
  // a case its own transaction inserted, the first with that id and name),
  // and the DELETE that would find nothing is not sent.
  void Put(const engine::Timer& t, bool may_replace = true);
  void Cancel(const std::string& case_id, const std::string& name);
  // The earliest `limit` (at least 1) timers with fire_at <= now that no
  // other transaction holds, earliest first.
  std::vector<engine::Timer> ClaimDue(engine::Timestamp now, int limit);
  void Delete(const std::string& id);
  // Every column of the timer with t.id; false when there is none.
  bool Update(const engine::Timer& t);
  // Provisional timers with id > after_id, by id, at most `limit`.
  std::vector<engine::Timer> ListProvisional(const std::string& after_id, int limit);
  // The case's timers by (fire_at, id).
  std::vector<engine::Timer> List(const std::string& case_id);
  int64_t CountDue(engine::Timestamp now);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
