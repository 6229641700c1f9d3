#include "adapters/crypto/ed25519.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "adapters/input/bounded_file.h"
#include "engine/history.h"

namespace credflow::adapters::crypto {
namespace {

using engine::Result;
using engine::Status;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

constexpr size_t kPublicKeySize = 32;
// Keys are kept unencrypted (file mode guards them); never prompt for a
// passphrase on a terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }
constexpr size_t kSignatureSize = 64;

Status BadKey(const std::string& path, const std::string& why) {
  return Status::InvalidArgument("bad_key", path + ": " + why);
}

// A PEM key is a few hundred bytes: a file far larger is not one, and is
// not read past this.
constexpr size_t kMaxKeyFileBytes = 64u << 10;

Status ReadKeyFile(const std::string& path, std::string* out) {
  std::optional<std::string> read = input::ReadFileAtMost(path, kMaxKeyFileBytes);
  if (!read) return BadKey(path, "cannot be read");
  if (read->size() > kMaxKeyFileBytes) return BadKey(path, "is larger than a key file can be");
  *out = std::move(*read);
  return Status::Ok();
}

// What a memory BIO holds.
std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

// Creates `path` (never replacing a file) with `mode` and writes `text`.
Status WriteNewFile(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists("file_exists", path + " exists; credflow will not replace it");
    return Status::Unavailable(path + ": " + std::strerror(errno));
  }
  // The mode asked for, whatever the umask left of it.
  bool ok = ::fchmod(fd, mode) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return Status::Unavailable(path + ": could not be written");
  return Status::Ok();
}

Result<std::string> RawPublicKey(EVP_PKEY* key, const std::string& path) {
  std::string raw(kPublicKeySize, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1 ||
      len != kPublicKeySize) {
    return BadKey(path, "the public key cannot be read");
  }
  return raw;
}

}  // namespace

std::string ToHex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

bool FromHex(const std::string& hex, std::string* bytes) {
  if (hex.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  *bytes = std::move(out);
  return true;
}

Status WriteEd25519KeyPair(const std::string& private_pem_path, const std::string& public_pem_path) {
  for (const std::string& p : {private_pem_path, public_pem_path}) {
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) {
      return Status::AlreadyExists("file_exists", p + " exists; credflow will not replace it");
    }
  }
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* made = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &made) != 1) {
    return Status::Internal("OpenSSL could not make an Ed25519 key");
  }
  PkeyPtr key(made);
  BioPtr priv(BIO_new(BIO_s_mem())), pub(BIO_new(BIO_s_mem()));
  if (!priv || !pub || PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    return Status::Internal("OpenSSL could not write the Ed25519 key as PEM");
  }
  if (Status st = WriteNewFile(private_pem_path, BioText(priv.get()), 0600); !st.ok()) return st;
  if (Status st = WriteNewFile(public_pem_path, BioText(pub.get()), 0644); !st.ok()) return st;
  return Status::Ok();
}

Result<std::string> ReadEd25519PublicKey(const std::string& pem_path) {
  std::string text;
  CREDFLOW_RETURN_IF_ERROR(ReadKeyFile(pem_path, &text));
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  PkeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!key) {
    BioPtr again(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    key.reset(again ? PEM_read_bio_PrivateKey(again.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  }
  if (!key) return BadKey(pem_path, "holds no PEM public or private key");
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) return BadKey(pem_path, "the key is not an Ed25519 key");
  return RawPublicKey(key.get(), pem_path);
}

std::string PublicKeyFingerprint(const std::string& raw_public_key) {
  return "sha256:" + engine::Sha256Hex(raw_public_key);
}

bool VerifyEd25519(const std::string& raw_public_key, const std::string& message, const std::string& signature) {
  if (raw_public_key.size() != kPublicKeySize || signature.size() != kSignatureSize) return false;
  PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw_public_key.data()), raw_public_key.size()));
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

struct Ed25519Signer::Key {
  PkeyPtr pkey;
};

Ed25519Signer::Ed25519Signer(std::unique_ptr<Key> key, std::string public_key)
    : key_(std::move(key)), public_key_(std::move(public_key)) {}
Ed25519Signer::~Ed25519Signer() = default;

Result<std::unique_ptr<Ed25519Signer>> Ed25519Signer::FromPemFile(const std::string& path) {
  std::string text;
  CREDFLOW_RETURN_IF_ERROR(ReadKeyFile(path, &text));
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  auto key = std::make_unique<Key>();
  key->pkey.reset(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!key->pkey) return BadKey(path, "holds no PEM private key");
  if (EVP_PKEY_get_id(key->pkey.get()) != EVP_PKEY_ED25519) return BadKey(path, "the key is not an Ed25519 key");
  Result<std::string> pub = RawPublicKey(key->pkey.get(), path);
  if (!pub.ok()) return pub.status();
  return std::unique_ptr<Ed25519Signer>(new Ed25519Signer(std::move(key), std::move(*pub)));
}

Result<std::string> Ed25519Signer::Sign(const std::string& message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::string sig(kSignatureSize, '\0');
  size_t len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != kSignatureSize) {
    return Status::Internal("OpenSSL could not sign with the Ed25519 key");
  }
  return sig;
}

}  // namespace credflow::adapters::crypto
