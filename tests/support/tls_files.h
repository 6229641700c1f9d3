// A throwaway TLS certificate for tests: a self-signed P-256 certificate
// for "localhost" and 127.0.0.1 (subject alternative names), valid from
// a day ago for a week, and its private key, written as PEM files. Made with
// OpenSSL's API, so no openssl command is needed.
#pragma once

#include <string>

namespace credflow::testing {

struct TlsFiles {
  std::string certificate;  // PEM file
  std::string private_key;  // PEM file (unencrypted PKCS#8)
};

// Writes `<stem>.crt` and `<stem>.key`; false when OpenSSL or the files
// failed.
bool WriteSelfSignedCertificate(const std::string& stem, TlsFiles* out);

}  // namespace credflow::testing
