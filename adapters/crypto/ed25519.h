// Ed25519 keys and signatures through OpenSSL (EVP_PKEY, NID_ED25519): the
// only place credflow signs anything. Keys live in PEM files an operator can
// read with `openssl pkey`; public keys travel as their 32 raw bytes (hex).
//
// Thread safety: a Ed25519Signer may be used from one thread at a time; the
// free functions are safe from any thread.
#pragma once

#include <memory>
#include <string>

#include "engine/status.h"

namespace credflow::adapters::crypto {

// Makes a new key pair and writes the private key (PKCS#8 PEM, mode 0600)
// and the public key (SubjectPublicKeyInfo PEM). Neither file may exist:
// AlreadyExists("file_exists") names the one that does; an I/O failure is
// Unavailable naming the file.
engine::Status WriteEd25519KeyPair(const std::string& private_pem_path, const std::string& public_pem_path);

// The 32 raw bytes of the Ed25519 public key in a PEM file (a public key,
// or a private key whose public half is taken). InvalidArgument("bad_key")
// when the file cannot be read or holds no Ed25519 key.
engine::Result<std::string> ReadEd25519PublicKey(const std::string& pem_path);

// "sha256:" and the SHA-256 hex of the 32 raw public key bytes (what
// `openssl pkey -pubin -in PUBLIC.pem -outform DER | tail -c 32 | sha256sum`
// prints).
std::string PublicKeyFingerprint(const std::string& raw_public_key);

// Whether `signature` (64 bytes) is a valid Ed25519 signature of `message`
// under `raw_public_key` (32 bytes). False for malformed input too.
bool VerifyEd25519(const std::string& raw_public_key, const std::string& message, const std::string& signature);

// Lower-case hex of bytes, and back (nullopt-like: false on anything not
// an even number of hex digits).
std::string ToHex(const std::string& bytes);
bool FromHex(const std::string& hex, std::string* bytes);

// Signs with a private key read from a PEM file.
class Ed25519Signer {
 public:
  // InvalidArgument("bad_key") when the file cannot be read or holds no
  // Ed25519 private key.
  static engine::Result<std::unique_ptr<Ed25519Signer>> FromPemFile(const std::string& path);
  ~Ed25519Signer();
  Ed25519Signer(const Ed25519Signer&) = delete;
  Ed25519Signer& operator=(const Ed25519Signer&) = delete;

  // The 64-byte signature of `message`; Internal if OpenSSL refuses.
  engine::Result<std::string> Sign(const std::string& message) const;
  // The 32 raw bytes of the matching public key.
  const std::string& public_key() const { return public_key_; }

 private:
  struct Key;
  Ed25519Signer(std::unique_ptr<Key> key, std::string public_key);
  std::unique_ptr<Key> key_;
  std::string public_key_;
};

}  // namespace credflow::adapters::crypto
