// ReadFileAtMost (adapters/input/bounded_file.h) and the readers built on
// it: a file is read up to its limit and one byte more, whatever it claims
// to be, so that a device or a FIFO named where a file is expected (a key,
// an anchor, a CSV) is refused instead of read without end.
#include "adapters/input/bounded_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "adapters/audit/anchor_file.h"
#include "adapters/crypto/ed25519.h"
#include "adapters/import/text_encoding.h"
#include "tests/support/scratch_folder.h"
#include "tests/support/status_matchers.h"

namespace credflow::adapters {
namespace {

namespace fs = std::filesystem;

class BoundedFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) { return dir_.Write(name, bytes); }
  testing::ScratchFolder dir_{"credflow-bounded"};
};

TEST_F(BoundedFileTest, ReadsAFileWithinTheLimitWhole) {
  const std::string text = "统一社会信用代码,名称\n" + std::string(100000, 'x');  // more than one chunk
  EXPECT_EQ(input::ReadFileAtMost(Write("a.csv", text), text.size()), text);
  EXPECT_EQ(input::ReadFileAtMost(Write("empty", ""), 10), "");
}

TEST_F(BoundedFileTest, ALargerFileGivesTheLimitAndOneByteMore) {
  const std::string path = Write("big", std::string(200000, 'y'));
  EXPECT_EQ(input::ReadFileAtMost(path, 199999)->size(), 200000u);
  EXPECT_EQ(input::ReadFileAtMost(path, 1000)->size(), 1001u);
  EXPECT_EQ(input::ReadFileAtMost(path, 0)->size(), 1u);
}

TEST_F(BoundedFileTest, ADeviceWithoutEndStopsAtTheLimit) {
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
  const std::optional<std::string> read = input::ReadFileAtMost("/dev/zero", 100000);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->size(), 100001u);
}

TEST_F(BoundedFileTest, AMissingFileOrAFolderCannotBeRead) {
  EXPECT_FALSE(input::ReadFileAtMost(dir_.Path("missing"), 10).has_value());
  EXPECT_FALSE(input::ReadFileAtMost(dir_.path().string(), 10).has_value());
}

// The readers refuse what is over their limit, with the file's name.
TEST_F(BoundedFileTest, ReadersRefuseADeviceAsTooLarge) {
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
  auto key = crypto::ReadEd25519PublicKey("/dev/zero");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().reason(), "bad_key");
  EXPECT_NE(key.status().message().find("larger than a key file"), std::string::npos) << key.status().ToString();

  auto signer = crypto::Ed25519Signer::FromPemFile("/dev/zero");
  ASSERT_FALSE(signer.ok());
  EXPECT_NE(signer.status().message().find("larger than a key file"), std::string::npos);

  auto text = importer::ReadTextFile("/dev/zero", importer::TextEncoding::kAuto, 1000);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().reason(), "file_too_large");
  EXPECT_NE(text.status().message().find("more than 1000 bytes"), std::string::npos) << text.status().ToString();
}

TEST_F(BoundedFileTest, AnAnchorPathThatIsADeviceIsRefused) {
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
  ASSERT_OK(crypto::WriteEd25519KeyPair(dir_.Path("k.pem"), dir_.Path("k.pub.pem")));
  auto public_key = crypto::ReadEd25519PublicKey(dir_.Path("k.pub.pem"));
  ASSERT_OK(public_key);
  auto opened = audit::OpenAnchorFile("/dev/zero", *public_key);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("larger than an anchor"), std::string::npos) << opened.status().ToString();
}

}  // namespace
}  // namespace credflow::adapters
