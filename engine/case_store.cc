#include "engine/case_store.h"

#include <algorithm>

namespace credflow::engine {

std::string DocumentNumber::Text() const {
  return prefix + "〔" + std::to_string(year) + "〕" + std::to_string(number) + "号";
}

Status ValidateDocumentNumberRequest(const DocumentNumber& request) {
  const char* missing = request.case_id.empty()  ? "case_id"
                        : request.kind.empty()   ? "kind"
                        : request.office.empty() ? "office"
                        : request.prefix.empty() ? "prefix"
                                                 : nullptr;
  if (missing == nullptr) return Status::Ok();
  return Status::InvalidArgument("invalid_document_number", std::string("a document number needs its ") + missing);
}

Status CheckRecordCountQuery(const RecordCountQuery& query) {
  if (query.kinds.empty() || query.kinds.size() > 16 || query.statuses.size() > 16 ||
      query.excluded_statuses.size() > 16 || query.min_count < 1) {
    return Status::InvalidArgument(
        "invalid_query", "a record count names 1 to 16 kinds, at most 16 statuses, and a count of at least 1");
  }
  return Status::Ok();
}

Status CheckCaseCountQuery(const CaseCountQuery& query) {
  const std::string& m = query.data_member;
  // Names of [a-z0-9_], joined by single dots; no dot first or last.
  const bool member_ok = m.size() <= 64 && std::count(m.begin(), m.end(), '.') < 4 &&
                         (m.empty() || (m.front() != '.' && m.back() != '.')) && m.find("..") == std::string::npos &&
                         std::all_of(m.begin(), m.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
                         });
  if (query.workflow.empty() || !(query.created_from < query.created_to) || !member_ok) {
    return Status::InvalidArgument("invalid_query",
                                   "a case count names a workflow, a non-empty period and at most a data member: up "
                                   "to 4 names of [a-z0-9_] joined by dots, 64 characters in all");
  }
  return Status::Ok();
}

}  // namespace credflow::engine
