#include "engine/status.h"

namespace credflow::engine {

const char* Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kNotFound: return "not found";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kConflict: return "conflict";
    case Code::kFailedPrecondition: return "failed precondition";
    case Code::kAlreadyExists: return "already exists";
    case Code::kPermissionDenied: return "permission denied";
    case Code::kUnavailable: return "unavailable";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s = CodeName(code_);
  if (!reason_.empty()) s += " (" + reason_ + ")";
  if (!message_.empty()) s += ": " + message_;
  for (const FieldError& f : fields_) s += "\n  " + f.field + ": " + f.message;
  return s;
}

}  // namespace credflow::engine
