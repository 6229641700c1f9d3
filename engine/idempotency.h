// Idempotency of commands: a command sent with a key is applied once, and a
// repeat with the same key and the same command gets the first answer.
// The answer is kept in the store (StoreTransaction::PutResponse) in the
// command's own transaction, so a retry after a crash or on another process
// finds it.
#pragma once

#include <optional>
#include <string>

#include "engine/case_store.h"

namespace credflow::engine {

// SHA-256 hex of the command's description, or "" for a command without a
// key (only keyed commands need to tell a retry from another command).
std::string RequestHash(const std::string& key, const Json& describe);

// The first answer to the command under `key`, or nullopt when there is
// none yet. InvalidArgument("idempotency_key_reused") when the key answered
// a different command (another request hash).
Result<std::optional<Json>> FindAnswer(StoreTransaction& tx, const std::string& key, const std::string& request_hash);

// Keeps `answer` under `key` (AlreadyExists("idempotency_key_exists") when
// another transaction took the key first).
Status KeepAnswer(StoreTransaction& tx, const std::string& key, const std::string& request_hash,
                  const std::string& case_id, const Json& answer);

}  // namespace credflow::engine
