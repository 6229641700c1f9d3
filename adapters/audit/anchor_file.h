// Anchor files: an engine::AnchorStatement signed with Ed25519, as small
// indented JSON an auditor keeps outside the database (and may print):
//
//   {
//     "signature": {
//       "algorithm": "Ed25519",
//       "key_fingerprint": "sha256:<SHA-256 hex of the 32 public key bytes>",
//       "key": "<the 32 raw public key bytes, hex>",
//       "value": "<the 64 signature bytes, hex>"
//     },
//     "statement": { "format": "credflow-anchor/1", "root": ..., "at": ...,
//                    "cases": ..., "events": ..., "store": ...,
//                    "heads": [[case_id, seq, hash], ...] }
//   }
//
// The signed bytes are the statement as compact JSON with sorted keys
// (engine::StatementBytes), so with standard tools:
//   jq -cjS .statement ANCHOR > statement.bin
//   jq -r .signature.value ANCHOR | xxd -r -p > signature.bin
//   openssl pkeyutl -verify -pubin -inkey PUBLIC.pem -rawin
//       -in statement.bin -sigfile signature.bin   (one line)
//
// Thread safety: plain functions over files; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "adapters/crypto/ed25519.h"
#include "engine/anchor.h"

namespace credflow::adapters::audit {

// The anchor file's text for `statement`, signed by `signer`.
engine::Result<std::string> SignAnchor(const engine::AnchorStatement& statement, const crypto::Ed25519Signer& signer);

// Writes `text` to a new file `path` (never replacing one):
// AlreadyExists("file_exists") when it exists, Unavailable on I/O failure.
engine::Status WriteAnchorFile(const std::string& path, const std::string& text);

// Seals `store` now: reads every chain head (engine::ReadChainHeads), takes
// the time from `clock` once they are read, signs the statement and writes
// it to the new file `path`. A broken chain seals nothing:
// FailedPrecondition("broken_chain") and the breaks in `*broken`. Other
// errors as ReadChainHeads and WriteAnchorFile.
engine::Result<engine::AnchorStatement> WriteAnchor(engine::CaseStore& store, const std::string& store_name,
                                                    const engine::Clock& clock, const crypto::Ed25519Signer& signer,
                                                    const std::string& path, std::vector<engine::ChainBreak>* broken);

// An anchor whose signature verified.
struct OpenedAnchor {
  engine::AnchorStatement statement;
  std::string key_fingerprint;  // of the key the signature verified with
  bool key_given = false;       // that key came from --public-key, not the file
};

// Reads `path` and checks its signature: with `raw_public_key` (32 bytes)
// when not empty, else with the key embedded in the file (which shows the
// file is intact, not who made it). Errors:
//   InvalidArgument("anchor_unreadable"): no file, not JSON, no signature;
//   PermissionDenied("bad_signature"): the signature does not verify (the
//     statement or the signature was changed, or another key signed it);
//   InvalidArgument("bad_anchor"): a signed statement that is malformed.
engine::Result<OpenedAnchor> OpenAnchorFile(const std::string& path, const std::string& raw_public_key);

}  // namespace credflow::adapters::audit
