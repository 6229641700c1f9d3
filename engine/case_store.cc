#include "engine/case_store.h"

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

}  // namespace credflow::engine
