// AnchorShelf: the anchor files an auditor may list and check over HTTP
// (GET /v1/audit/anchors, /v1/audit/anchors/{name}). The API reads them
// through this port so that it names no file system or signature code; the
// folder behind `credflow serve --anchor-dir` implements it
// (adapters/audit/anchor_folder.h). Without a folder the API lists none.
//
// Thread safety: implementations are safe for concurrent use.
#pragma once

#include <string>
#include <vector>

#include "engine/anchor.h"
#include "engine/status.h"

namespace credflow::adapters::http {

// One anchor file as found on the shelf.
struct ShelvedAnchor {
  std::string name;
  // The file opened and its signature verified; else `problem` says why not
  // (unreadable, bad signature, malformed statement).
  bool signature_ok = false;
  std::string problem;
  engine::AnchorStatement statement;  // when signature_ok
  std::string key_fingerprint;        // the key the signature verified with
  bool key_given = false;             // that key is the server's, not the file's own
};

class AnchorShelf {
 public:
  virtual ~AnchorShelf() = default;
  // The names of the anchor files, newest (greatest name) first. Unavailable
  // when the folder cannot be read.
  [[nodiscard]] virtual engine::Result<std::vector<std::string>> Names() const = 0;
  // The named file, opened and its signature checked (a file that does not
  // verify is returned with signature_ok false, not as an error).
  // NotFound("anchor_not_found") for a name that is not one of Names().
  [[nodiscard]] virtual engine::Result<ShelvedAnchor> Open(const std::string& name) const = 0;
};

}  // namespace credflow::adapters::http
