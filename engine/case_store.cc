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

}  // namespace credflow::engine
