// The anchor folder the auditor's desk lists (adapters/audit/anchor_folder.h)
// and how anchor files are written into it (anchor_file.h).
#include "adapters/audit/anchor_folder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "adapters/audit/anchor_file.h"
#include "engine/case_service.h"
#include "tests/support/status_matchers.h"

namespace credflow::adapters::audit {
namespace {

namespace fs = std::filesystem;

class AnchorFolderTest : public ::testing::Test {
 protected:
  AnchorFolderTest() : dir_(fs::temp_directory_path() / ("credflow-anchor-folder-" + engine::NewRandomId())) {
    fs::create_directories(dir_ / "anchors");
  }
  ~AnchorFolderTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path anchors() const { return dir_ / "anchors"; }

  fs::path dir_;
};

// Only regular *.json files are anchors: a link (even to a real anchor
// outside the folder), a dangling link, a half-written .tmp, a folder named
// *.json are not listed, and none of them makes the listing fail.
TEST_F(AnchorFolderTest, ListsOnlyRegularJsonFilesNewestFirst) {
  ASSERT_OK(WriteAnchorFile((anchors() / "credflow-anchor-20261205T160000Z.json").string(), "{}\n"));
  ASSERT_OK(WriteAnchorFile((anchors() / "credflow-anchor-20261206T160000Z.json").string(), "{}\n"));
  std::ofstream(dir_ / "outside.json") << "{}\n";
  fs::create_symlink(dir_ / "outside.json", anchors() / "linked.json");
  fs::create_symlink(dir_ / "gone.json", anchors() / "dangling.json");
  std::ofstream(anchors() / "credflow-anchor-20261207T160000Z.json.tmp") << "{";
  fs::create_directories(anchors() / "folder.json");

  AnchorFolder folder(anchors().string(), "");
  engine::Result<std::vector<std::string>> names = folder.Names();
  ASSERT_OK(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"credflow-anchor-20261206T160000Z.json",
                                              "credflow-anchor-20261205T160000Z.json"}));
  EXPECT_EQ(folder.Open("linked.json").status().reason(), "anchor_not_found");
}

// An anchor file is never replaced, and leaves no .tmp behind.
TEST_F(AnchorFolderTest, WritingNeverReplacesAndLeavesNoTemporaryFile) {
  const std::string path = (anchors() / "a.json").string();
  ASSERT_OK(WriteAnchorFile(path, "first\n"));
  EXPECT_EQ(WriteAnchorFile(path, "second\n").reason(), "file_exists");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "first\n");
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  // A .tmp left by a crash does not block the next write of that name.
  const std::string b = (anchors() / "b.json").string();
  std::ofstream(b + ".tmp") << "{";
  ASSERT_OK(WriteAnchorFile(b, "second\n"));
  EXPECT_FALSE(fs::exists(b + ".tmp"));
}

}  // namespace
}  // namespace credflow::adapters::audit
