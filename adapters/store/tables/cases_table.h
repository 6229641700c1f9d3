// CasesTable: the SQL of the cases table: a case by id, alone or with the
// facts about its subject in the same statement (a transition asks for both,
// and one round trip is cheaper than two); the insert and the two updates,
// which keep the overdue column in step with the data; a parent's children;
// and the queries over cases.
//
// Threading: a table belongs to the Connection it was made with, and so to
// the thread holding that connection (see prepared_statement.h). Every method
// throws what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/store/prepared_statement.h"
#include "engine/case.h"
#include "engine/case_store.h"

namespace credflow::adapters {

class CasesTable {
 public:
  // Whether a case with this id is stored.
  bool Exists(const std::string& id);
  explicit CasesTable(Connection& conn) : conn_(conn) {}

  // The case, or nullopt.
  std::optional<engine::Case> Load(const std::string& id);
  // The case and, in `facts`, the facts about its subject: what Load and
  // SubjectsTable::LoadFacts(case.subject) return, in one round trip.
  std::optional<engine::Case> LoadWithFacts(const std::string& id, engine::SubjectFacts* facts);
  // False when the id is taken.
  bool Insert(const engine::Case& c);
  // False when the stored version is not `expected_version` (or no such case).
  bool Update(const engine::Case& c, int64_t expected_version);
  // False when there is no such case.
  bool Replace(const engine::Case& c);
  // The children of `parent_id` as a join reads them (cases_parent_id index).
  std::vector<engine::ChildCase> LoadChildren(const std::string& parent_id);
  // The cases matching every non-empty filter of `query`, in id order. Only
  // fixed SQL fragments are appended to the text; every value is bound.
  std::vector<engine::Case> Find(const engine::CaseQuery& query);
  // Open cases of `workflow` overdue on `today` (as Find's overdue_on), by
  // department.
  std::map<std::string, int64_t> CountOverdue(const std::string& workflow, policies::Date today);
  // Every case id, in id order.
  std::vector<std::string> ListIds();
  int64_t Count();
  // CaseStore::CaseIdAt and ScanCaseHeads (limit > 0).
  std::optional<std::string> IdAt(int64_t position);
  std::vector<engine::CaseHead> ScanHeads(const std::string& after, const std::string& through, int limit);
  // The counts of CaseStore::CountCases, grouped in SQL (in no order).
  // REQUIRES: engine::CheckCaseCountQuery(query) is OK.
  std::vector<engine::CaseCount> CountCreated(const engine::CaseCountQuery& query);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
