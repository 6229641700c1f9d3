#include "adapters/audit/anchor_folder.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "adapters/audit/anchor_file.h"

namespace credflow::adapters::audit {

namespace fs = std::filesystem;

AnchorFolder::AnchorFolder(std::string dir, std::string raw_public_key)
    : dir_(std::move(dir)), public_key_(std::move(raw_public_key)) {}

engine::Result<std::vector<std::string>> AnchorFolder::Names() const {
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Only regular files themselves: a symbolic link (which could point out
    // of the folder) or an entry gone since the folder was read is skipped,
    // not an error of the whole listing.
    std::error_code entry_ec;
    const fs::file_status status = it->symlink_status(entry_ec);
    if (!entry_ec && fs::is_regular_file(status) && name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) {
      names.push_back(name);
    }
  }
  if (ec) return engine::Status::Unavailable("the anchor folder cannot be read");
  std::sort(names.rbegin(), names.rend());
  return names;
}

engine::Result<http::ShelvedAnchor> AnchorFolder::Open(const std::string& name) const {
  engine::Result<std::vector<std::string>> names = Names();
  if (!names.ok()) return names.status();
  if (std::find(names->begin(), names->end(), name) == names->end()) {
    return engine::Status::NotFound("anchor_not_found", "no anchor file named " + name);
  }
  http::ShelvedAnchor shelved;
  shelved.name = name;
  engine::Result<OpenedAnchor> opened = OpenAnchorFile((fs::path(dir_) / name).string(), public_key_);
  if (!opened.ok()) {
    shelved.problem = opened.status().message();
    return shelved;
  }
  shelved.signature_ok = true;
  shelved.statement = std::move(opened->statement);
  shelved.key_fingerprint = opened->key_fingerprint;
  shelved.key_given = opened->key_given;
  return shelved;
}

}  // namespace credflow::adapters::audit
