#include "adapters/audit/anchor_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "adapters/input/bounded_file.h"
#include "adapters/input/bounded_json.h"

namespace credflow::adapters::audit {
namespace {

using engine::Json;
using engine::Result;
using engine::Status;

// An anchor file is a few levels deep with short strings, and lists one
// head (about 100 bytes) per case: 256 MiB holds two million cases.
constexpr input::JsonLimits kMaxAnchorFileLimits{/*max_depth=*/8, /*max_string_bytes=*/4096,
                                                 /*max_bytes=*/size_t{256} << 20};

Status Unreadable(const std::string& path, const std::string& why) {
  return Status::InvalidArgument("anchor_unreadable", path + ": " + why);
}

std::string TextOf(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<std::string> SignAnchor(const engine::AnchorStatement& statement, const crypto::Ed25519Signer& signer) {
  Result<std::string> signature = signer.Sign(engine::StatementBytes(statement));
  if (!signature.ok()) return signature.status();
  // Laid out for a reader (and a printer): the signature and the root,
  // time and counts on the first lines, the list of heads last. Key order
  // does not matter to the signature: it covers the sorted form.
  using Ordered = nlohmann::ordered_json;
  const Json fields = engine::AnchorStatementToJson(statement);
  Ordered body = Ordered::object();
  for (const char* key : {"format", "root", "at", "cases", "events", "store", "heads"}) body[key] = fields.at(key);
  Ordered file = Ordered::object();
  file["signature"] = {{"algorithm", "Ed25519"},
                       {"key_fingerprint", crypto::PublicKeyFingerprint(signer.public_key())},
                       {"key", crypto::ToHex(signer.public_key())},
                       {"value", crypto::ToHex(*signature)}};
  file["statement"] = std::move(body);
  return file.dump(2, ' ', false, Ordered::error_handler_t::strict) + "\n";
}

Status WriteAnchorFile(const std::string& path, const std::string& text) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return Status::AlreadyExists("file_exists", path + " exists; credflow will not replace it");
  }
  // Written whole and synced under a name no listing shows (*.tmp), then
  // linked to its own name, which fails rather than replace a file that
  // appeared meanwhile: a reader never sees half an anchor, and a crash
  // leaves at most the .tmp (removed by the next write of that name).
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  FILE* f = std::fopen(tmp.c_str(), "wbx");
  if (f == nullptr) return Status::Unavailable(path + ": could not be written");
  const bool written =
      std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  if (std::fclose(f) != 0 || !written) {
    ::unlink(tmp.c_str());
    return Status::Unavailable(path + ": could not be written");
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) {
      return Status::AlreadyExists("file_exists", path + " exists; credflow will not replace it");
    }
    return Status::Unavailable(path + ": could not be written");
  }
  // The new name itself made durable.
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

Result<engine::AnchorStatement> WriteAnchor(engine::CaseStore& store, const std::string& store_name,
                                            const engine::Clock& clock, const crypto::Ed25519Signer& signer,
                                            const std::string& path, std::vector<engine::ChainBreak>* broken) {
  Result<engine::ChainHeads> heads = engine::ReadChainHeads(store);
  if (!heads.ok()) return heads.status();
  if (!heads->broken.empty()) {
    const size_t n = heads->broken.size();
    *broken = std::move(heads->broken);
    return Status::FailedPrecondition("broken_chain", std::to_string(n) +
                                                          " broken chain(s); nothing sealed (an anchor must "
                                                          "not vouch for a broken history)");
  }
  // The time is taken once every head has been read: each head existed by then.
  engine::AnchorStatement statement = engine::MakeAnchorStatement(std::move(heads->heads), clock.Now(), store_name);
  Result<std::string> text = SignAnchor(statement, signer);
  if (!text.ok()) return text.status();
  if (Status st = WriteAnchorFile(path, *text); !st.ok()) return st;
  return statement;
}

Result<OpenedAnchor> OpenAnchorFile(const std::string& path, const std::string& raw_public_key) {
  // Read up to the limit, not by the size the file claims: a FIFO or a
  // device has none, and a file may grow while it is read.
  const std::optional<std::string> text = input::ReadFileAtMost(path, kMaxAnchorFileLimits.max_bytes);
  if (!text) return Unreadable(path, "cannot be read");
  if (text->size() > kMaxAnchorFileLimits.max_bytes) return Unreadable(path, "is larger than an anchor can be");
  Result<Json> decoded = input::DecodeJson(*text, path, kMaxAnchorFileLimits);
  if (!decoded.ok())
    return Unreadable(path, "is not JSON (" + decoded.status().reason() + "): " + decoded.status().message());
  const Json file = *std::move(decoded);
  if (!file.is_object()) return Unreadable(path, "is not a JSON object");
  auto statement = file.find("statement");
  auto signature = file.find("signature");
  if (statement == file.end() || !statement->is_object()) return Unreadable(path, "has no statement");
  if (signature == file.end() || !signature->is_object()) return Unreadable(path, "has no signature");
  if (TextOf(*signature, "algorithm") != "Ed25519") return Unreadable(path, "the signature is not Ed25519");

  std::string embedded, value;
  if (!crypto::FromHex(TextOf(*signature, "key"), &embedded) || embedded.size() != 32) {
    return Unreadable(path, "the embedded public key is not 32 bytes of hex");
  }
  if (!crypto::FromHex(TextOf(*signature, "value"), &value)) {
    return Status::PermissionDenied("bad_signature", path + ": the signature is not hex");
  }
  OpenedAnchor out;
  out.key_given = !raw_public_key.empty();
  const std::string& key = out.key_given ? raw_public_key : embedded;
  out.key_fingerprint = crypto::PublicKeyFingerprint(key);
  // The signed bytes, as engine::StatementBytes makes them.
  const std::string bytes = statement->dump(-1, ' ', false, Json::error_handler_t::replace);
  if (!crypto::VerifyEd25519(key, bytes, value)) {
    std::string why = path + ": the signature does not verify with ";
    if (!out.key_given) {
      why += "the key embedded in the file (" + out.key_fingerprint + "): the statement or the signature was changed";
    } else if (key != embedded) {
      why += "the given key " + out.key_fingerprint + "; the file names " + crypto::PublicKeyFingerprint(embedded);
    } else {
      why += "the given key " + out.key_fingerprint + ": the statement or the signature was changed";
    }
    return Status::PermissionDenied("bad_signature", why);
  }
  Result<engine::AnchorStatement> parsed = engine::AnchorStatementFromJson(*statement);
  if (!parsed.ok()) return Status::InvalidArgument("bad_anchor", path + ": " + parsed.status().message());
  out.statement = std::move(*parsed);
  return out;
}

}  // namespace credflow::adapters::audit
