#include "adapters/store/tables/child_outcomes_table.h"

#include "adapters/store/rows.h"

namespace credflow::adapters {

using engine::ChildOutcome;

bool ChildOutcomesTable::Put(const ChildOutcome& o) {
  Query q(conn_,
          "INSERT INTO child_outcomes (parent_id, child_id, child_workflow, outcome, at) "
          "VALUES (:parent_id, :child_id, :child_workflow, :outcome, :at) "
          "ON CONFLICT (parent_id, child_id, outcome) DO NOTHING");
  q.Use(o.parent_id).Use(o.child_id).Use(o.child_workflow).Use(o.outcome).Use(o.at);
  return q.Write(1, 1);
}

std::vector<ChildOutcome> ChildOutcomesTable::List(const std::string& parent_id) {
  ChildOutcomeRow row;
  Query q(conn_, std::string("SELECT ") + kChildOutcomeColumns +
                     " FROM child_outcomes WHERE parent_id = :parent_id ORDER BY at, child_id, outcome");
  row.Bind(q);
  q.Use(parent_id).Start();
  std::vector<ChildOutcome> out;
  while (q.Next()) out.push_back(row.ToOutcome());
  return out;
}

}  // namespace credflow::adapters
