// SubjectsTable: the SQL of what the store knows about subjects: their
// profiles (the subjects table, upserted by code) and the records about them
// (subject_records, upserted by id), read together as a subject's facts, and
// the deletes and listings an auditor's rebuild needs.
//
// Threading: a table belongs to the Connection it was made with, and so to
// the thread holding that connection (see prepared_statement.h). Every method
// throws what SOCI throws; the store maps it at its edge (store_errors.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/store/prepared_statement.h"
#include "engine/case.h"
#include "engine/case_store.h"

namespace credflow::adapters {

class SubjectsTable {
 public:
  explicit SubjectsTable(Connection& conn) : conn_(conn) {}

  // The subject's profile and its records by (created_at, id): only those
  // of `kinds` when it is not empty (subject_records_subject_kind).
  engine::SubjectFacts LoadFacts(const std::string& subject, const std::vector<std::string>& kinds = {});
  // The facts of each subject, in the order given: two queries for the lot.
  std::vector<engine::SubjectFacts> LoadFactsOf(const std::vector<std::string>& subjects);
  std::optional<engine::SubjectProfile> LoadProfile(const std::string& code);
  // Inserts, or replaces every field of the profile with the same code.
  void PutProfile(const engine::SubjectProfile& p);
  void DeleteProfile(const std::string& code);
  // The profiles matching every non-empty filter of `query`, in code order.
  // Only fixed SQL fragments are appended to the text; every value is bound.
  std::vector<engine::SubjectProfile> ListProfiles(const engine::SubjectQuery& query);
  // Inserts, or replaces every field of the record with the same id.
  void PutRecord(const engine::SubjectRecord& r);
  void DeleteRecord(const std::string& id);
  // Records with id > after_id, in bytewise id order, at most `limit`.
  std::vector<engine::SubjectRecord> ListRecords(const std::string& after_id, int limit);
  // The subjects matching `query` (checked by the caller), in code order.
  std::vector<std::string> FindByRecords(const engine::RecordCountQuery& query);

 private:
  Connection& conn_;
};

}  // namespace credflow::adapters
