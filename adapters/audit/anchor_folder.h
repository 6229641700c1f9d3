// AnchorFolder: the anchor files in one folder (`credflow serve
// --anchor-dir`), as the API's AnchorShelf. Only regular files whose names
// end in .json are listed; a name is opened only when it is one of them, so
// no request names a path outside the folder. Signatures are checked with
// the given public key (the one of --anchor-key) when there is one, else
// with the key each file embeds, as `credflow audit verify --anchor` does.
//
// Thread safety: reads the folder on each call; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "adapters/http/anchor_shelf.h"

namespace credflow::adapters::audit {

class AnchorFolder : public http::AnchorShelf {
 public:
  // `raw_public_key`: 32 bytes, or empty to trust each file's own key.
  AnchorFolder(std::string dir, std::string raw_public_key);

  engine::Result<std::vector<std::string>> Names() const override;
  engine::Result<http::ShelvedAnchor> Open(const std::string& name) const override;

 private:
  std::string dir_;
  std::string public_key_;
};

}  // namespace credflow::adapters::audit
