// Status and Result<T>: how the engine and the workflows report failure. No
// exception crosses into engine/ or workflows/; adapters catch what SOCI, Poco
// and pugixml throw and convert it here.
//
// A Status has a category (what kind of failure, which maps onto an HTTP
// status), a stable reason code (the machine-readable "why", e.g.
// "event_not_allowed", "invalid_credit_code", the codes scenarios assert) and a
// human message. Field errors from form validation travel with it.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace credflow::engine {

struct FieldError {
  std::string field;
  std::string code;
  std::string message;
};

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,            // no such case, subject, policy, ...
    kInvalidArgument,     // bad input: a form field, a credit code, a date
    kConflict,            // optimistic version check failed; retry may succeed
    kFailedPrecondition,  // the state does not accept this (event_not_allowed)
    kAlreadyExists,
    kPermissionDenied,  // the actor may not do this (an auditor, another department)
    kUnavailable,       // the store cannot be reached
    kInternal,          // a bug or a corrupted store
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string reason, std::string message) {
    return Status(Code::kNotFound, std::move(reason), std::move(message));
  }
  static Status InvalidArgument(std::string reason, std::string message, std::vector<FieldError> fields = {}) {
    Status s(Code::kInvalidArgument, std::move(reason), std::move(message));
    s.fields_ = std::move(fields);
    return s;
  }
  static Status Conflict(std::string reason, std::string message) {
    return Status(Code::kConflict, std::move(reason), std::move(message));
  }
  static Status FailedPrecondition(std::string reason, std::string message) {
    return Status(Code::kFailedPrecondition, std::move(reason), std::move(message));
  }
  static Status AlreadyExists(std::string reason, std::string message) {
    return Status(Code::kAlreadyExists, std::move(reason), std::move(message));
  }
  static Status PermissionDenied(std::string reason, std::string message) {
    return Status(Code::kPermissionDenied, std::move(reason), std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(Code::kUnavailable, "store_unavailable", std::move(message));
  }
  static Status Internal(std::string message) { return Status(Code::kInternal, "internal", std::move(message)); }
  // A workflow's guard or action threw: a bug in the workflow, lasting until
  // it is fixed (not a store error a retry may clear).
  static Status WorkflowFailed(std::string message) {
    return Status(Code::kInternal, "workflow_failed", std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // Stable reason code; empty when ok().
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& fields() const { return fields_; }

  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsConflict() const { return code_ == Code::kConflict; }
  bool IsFailedPrecondition() const { return code_ == Code::kFailedPrecondition; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsPermissionDenied() const { return code_ == Code::kPermissionDenied; }

  // "conflict (version_mismatch): case X is at version 4, expected 3".
  std::string ToString() const;
  static const char* CodeName(Code code);

 private:
  Status(Code code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string reason_;
  std::string message_;
  std::vector<FieldError> fields_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace credflow::engine

// Returns early from the enclosing function when `expr` is not ok.
#define CREDFLOW_RETURN_IF_ERROR(expr)       \
  do {                                       \
    ::credflow::engine::Status _st = (expr); \
    if (!_st.ok()) return _st;               \
  } while (0)
