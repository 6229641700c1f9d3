#include "adapters/crypto/password.h"

#include <sodium.h>

namespace credflow::adapters::crypto {
namespace {

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// A hash of a random password nobody knows, verified for a user without a
// password so that the answer takes the same time.
const std::string& DummyHash() {
  static const std::string hash = [] {
    char out[crypto_pwhash_STRBYTES];
    unsigned char secret[32];
    randombytes_buf(secret, sizeof secret);
    if (crypto_pwhash_str(out, reinterpret_cast<const char*>(secret), sizeof secret, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return std::string();
    }
    return std::string(out);
  }();
  return hash;
}

}  // namespace

const size_t kPasswordMemoryBytes = crypto_pwhash_MEMLIMIT_INTERACTIVE;

engine::Result<std::string> HashPassword(const std::string& password) {
  if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
    return engine::Status::InvalidArgument("weak_password", "a password must be " + std::to_string(kMinPasswordLength) +
                                                                "-" + std::to_string(kMaxPasswordLength) +
                                                                " bytes long");
  }
  if (!SodiumReady()) return engine::Status::Internal("libsodium could not be initialised");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return engine::Status::Internal("hashing the password ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& password, const std::string& hash) {
  if (!SodiumReady()) return false;
  const bool real = !hash.empty();
  const std::string& against = real ? hash : DummyHash();
  if (against.empty() || against.size() >= crypto_pwhash_STRBYTES) return false;
  const bool match = crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
  return real && match;
}

}  // namespace credflow::adapters::crypto
