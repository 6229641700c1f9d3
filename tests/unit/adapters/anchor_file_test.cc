// Ed25519 keys and signed anchor files: a key pair made by keygen signs and
// verifies, the private key file is 0600, and an anchor file whose
// statement or signature was changed, or that is checked with another key,
// is refused as a bad signature.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

#include "adapters/audit/anchor_file.h"
#include "adapters/audit/anchor_schedule.h"
#include "adapters/crypto/ed25519.h"
#include "engine/case.h"
#include "engine/case_service.h"
#include "tests/support/scratch_folder.h"
#include "tests/support/status_matchers.h"

namespace credflow::adapters {
namespace {

class AnchorFileTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.Path(name); }
  // Makes key pair `name` (name.pem, name.pub.pem).
  void KeyPair(const std::string& name) {
    ASSERT_OK(crypto::WriteEd25519KeyPair(Path(name + ".pem"), Path(name + ".pub.pem")));
  }
  std::string Read(const std::string& name) const { return dir_.Read(name); }
  void Write(const std::string& name, const std::string& text) const { dir_.Write(name, text); }
  // An anchor over two cases, signed by key pair `key`, written as `name`.
  void Anchor(const std::string& key, const std::string& name) {
    auto signer = crypto::Ed25519Signer::FromPemFile(Path(key + ".pem"));
    ASSERT_OK(signer);
    const engine::AnchorStatement a = engine::MakeAnchorStatement(
        {{"case-a", 3, std::string(64, 'a')}, {"case-b", 1, std::string(64, 'b')}}, engine::Timestamp{}, "sqlite:x");
    auto text = audit::SignAnchor(a, **signer);
    ASSERT_OK(text);
    ASSERT_OK(audit::WriteAnchorFile(Path(name), *text));
  }

  testing::ScratchFolder dir_{"credflow-anchor"};
};

TEST_F(AnchorFileTest, KeygenWritesAPrivateKeyOnlyItsOwnerMayRead) {
  KeyPair("k");
  struct stat st {};
  ASSERT_EQ(::stat(Path("k.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(Read("k.pem").find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(Read("k.pub.pem").find("BEGIN PUBLIC KEY"), std::string::npos);
  // Never replaces a key.
  EXPECT_EQ(crypto::WriteEd25519KeyPair(Path("k.pem"), Path("other.pub.pem")).reason(), "file_exists");
}

TEST_F(AnchorFileTest, SignatureVerifiesOnlyForItsMessageAndKey) {
  KeyPair("k");
  KeyPair("other");
  auto signer = crypto::Ed25519Signer::FromPemFile(Path("k.pem"));
  ASSERT_OK(signer);
  auto sig = (*signer)->Sign("message");
  ASSERT_OK(sig);
  auto pub = crypto::ReadEd25519PublicKey(Path("k.pub.pem"));
  ASSERT_OK(pub);
  EXPECT_EQ(*pub, (*signer)->public_key());
  EXPECT_TRUE(crypto::VerifyEd25519(*pub, "message", *sig));
  EXPECT_FALSE(crypto::VerifyEd25519(*pub, "messagf", *sig));
  auto other = crypto::ReadEd25519PublicKey(Path("other.pub.pem"));
  ASSERT_OK(other);
  EXPECT_FALSE(crypto::VerifyEd25519(*other, "message", *sig));
}

TEST_F(AnchorFileTest, AnchorOpensWithItsOwnKeyOrTheEmbeddedOne) {
  KeyPair("k");
  Anchor("k", "a.json");
  auto pub = crypto::ReadEd25519PublicKey(Path("k.pub.pem"));
  ASSERT_OK(pub);
  auto given = audit::OpenAnchorFile(Path("a.json"), *pub);
  ASSERT_OK(given);
  EXPECT_TRUE(given->key_given);
  EXPECT_EQ(given->key_fingerprint, crypto::PublicKeyFingerprint(*pub));
  EXPECT_EQ(given->statement.cases, 2);
  auto embedded = audit::OpenAnchorFile(Path("a.json"), "");
  ASSERT_OK(embedded);
  EXPECT_FALSE(embedded->key_given);
}

TEST_F(AnchorFileTest, ChangedRootOrSignatureIsABadSignature) {
  KeyPair("k");
  Anchor("k", "a.json");
  engine::Json file = engine::Json::parse(Read("a.json"));
  engine::Json root = file;
  std::string r = root["statement"]["root"];
  r[0] = r[0] == '0' ? '1' : '0';
  root["statement"]["root"] = r;
  Write("root.json", root.dump(2));
  EXPECT_EQ(audit::OpenAnchorFile(Path("root.json"), "").status().reason(), "bad_signature");

  engine::Json sig = file;
  std::string v = sig["signature"]["value"];
  v[10] = v[10] == '0' ? '1' : '0';
  sig["signature"]["value"] = v;
  Write("sig.json", sig.dump(2));
  EXPECT_EQ(audit::OpenAnchorFile(Path("sig.json"), "").status().reason(), "bad_signature");
}

// Someone who re-signs a changed anchor with their own key passes the
// embedded-key check, but not the auditor's public key.
TEST_F(AnchorFileTest, AnotherKeyIsABadSignature) {
  KeyPair("k");
  KeyPair("mallory");
  Anchor("mallory", "a.json");
  auto pub = crypto::ReadEd25519PublicKey(Path("k.pub.pem"));
  ASSERT_OK(pub);
  auto opened = audit::OpenAnchorFile(Path("a.json"), *pub);
  EXPECT_EQ(opened.status().reason(), "bad_signature");
  EXPECT_NE(opened.status().message().find("the file names sha256:"), std::string::npos) << opened.status().message();
}

TEST_F(AnchorFileTest, NotJsonIsUnreadable) {
  Write("a.json", "{not json");
  EXPECT_EQ(audit::OpenAnchorFile(Path("a.json"), "").status().reason(), "anchor_unreadable");
  EXPECT_EQ(audit::OpenAnchorFile(Path("missing.json"), "").status().reason(), "anchor_unreadable");
}

// The serve option's period: hours, minutes, seconds, nothing else.
TEST(AnchorScheduleTest, PeriodsAreHoursMinutesOrSeconds) {
  EXPECT_EQ(audit::ParsePeriod("24h"), std::chrono::seconds(86400));
  EXPECT_EQ(audit::ParsePeriod("30m"), std::chrono::seconds(1800));
  EXPECT_EQ(audit::ParsePeriod("90s"), std::chrono::seconds(90));
  EXPECT_EQ(audit::ParsePeriod("90"), std::chrono::seconds(90));
  EXPECT_FALSE(audit::ParsePeriod("0h").has_value());
  EXPECT_FALSE(audit::ParsePeriod("1d").has_value());
  EXPECT_FALSE(audit::ParsePeriod("h").has_value());
  EXPECT_FALSE(audit::ParsePeriod("-1h").has_value());
}

// A scheduled anchor is named after its UTC time, so names sort by time.
TEST(AnchorScheduleTest, FileNameIsTheUtcTime) {
  EXPECT_EQ(audit::AnchorFileName(engine::StartOfDay(policies::Date::FromYmd(2026, 12, 6))),
            "credflow-anchor-20261205T160000Z.json");
}

}  // namespace
}  // namespace credflow::adapters
