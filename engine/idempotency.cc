#include "engine/idempotency.h"

#include "engine/history.h"

namespace credflow::engine {

std::string RequestHash(const std::string& key, const Json& describe) {
  return key.empty() ? std::string() : Sha256Hex(describe.dump());
}

Result<std::optional<Json>> FindAnswer(StoreTransaction& tx, const std::string& key, const std::string& request_hash) {
  Result<std::optional<StoredResponse>> stored = tx.FindResponse(key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<Json>();
  if ((*stored)->request_hash != request_hash) {
    return Status::InvalidArgument("idempotency_key_reused",
                                   "idempotency key '" + key + "' was used for a different command");
  }
  return std::optional<Json>((*stored)->response);
}

Status KeepAnswer(StoreTransaction& tx, const std::string& key, const std::string& request_hash,
                  const std::string& case_id, const Json& answer) {
  return tx.PutResponse(StoredResponse{key, request_hash, case_id, answer});
}

}  // namespace credflow::engine
