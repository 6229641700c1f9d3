// Console passwords: hashed with Argon2id (libsodium's crypto_pwhash_str,
// memory-hard, with its own random salt and the parameters in the string),
// verified in constant time by libsodium. A password is never stored,
// logged or echoed; only the hash string is kept (users.password_hash).
//
// Threading: every function is safe to call from many threads. Each hash
// or verification takes kPasswordMemoryBytes of memory and a few tens of
// milliseconds of one core, on purpose.
#pragma once

#include <cstddef>
#include <string>

#include "engine/status.h"

namespace credflow::adapters::crypto {

// Passwords shorter than this (in bytes) are refused; longer than the max too.
inline constexpr size_t kMinPasswordLength = 10;
inline constexpr size_t kMaxPasswordLength = 1024;

// libsodium's "interactive" limits: 64 MiB and 2 passes.
extern const size_t kPasswordMemoryBytes;

// The Argon2id hash string of `password`, or InvalidArgument("weak_password")
// for a password outside the length bounds, or Internal when libsodium
// cannot run (out of memory).
engine::Result<std::string> HashPassword(const std::string& password);

// Whether `password` matches `hash` (a string HashPassword made). False for
// an empty or malformed hash. When `hash` is empty a dummy hash is verified
// all the same, so an unknown user costs as much time as a known one.
bool VerifyPassword(const std::string& password, const std::string& hash);

}  // namespace credflow::adapters::crypto
