// The auditor's desk routes over real sockets: the whole store's chain check
// a page at a time, a case's replay, and the anchor folder of `serve
// --anchor-dir` (adapters/audit/anchor_folder.h) listed and checked, before
// and after an event is edited in the database.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "adapters/audit/anchor_file.h"
#include "adapters/audit/anchor_folder.h"
#include "adapters/audit/anchor_schedule.h"
#include "adapters/crypto/ed25519.h"
#include "tests/support/api_server_fixture.h"
#include "workflows/commitment/commitment_workflow.h"

namespace credflow {
namespace {

using engine::Json;
using engine::Role;
using testing::HttpReply;

constexpr const char* kAuditor = "cf_auditor_token_desk_0000000000000001";
constexpr const char* kDeskSubject = "91320500L968FMY61Q";

class HttpAuditDeskTest : public testing::ApiServerTest {
 protected:
  void SetUp() override {
    ApiServerTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("audra", Role::kAuditor, "", kAuditor);
    dir_ = std::filesystem::path(db_.path()).parent_path() / "anchors";
    std::filesystem::create_directories(dir_);
    const std::string key = (std::filesystem::path(db_.path()).parent_path() / "anchor.pem").string();
    const std::string pub = (std::filesystem::path(db_.path()).parent_path() / "anchor.pub.pem").string();
    ASSERT_OK(adapters::crypto::WriteEd25519KeyPair(key, pub));
    auto signer = adapters::crypto::Ed25519Signer::FromPemFile(key);
    ASSERT_OK(signer);
    signer_ = std::move(*signer);
    folder_ = std::make_unique<adapters::audit::AnchorFolder>(dir_.string(), signer_->public_key());
    adapters::http::ApiOptions options;
    options.anchors = folder_.get();
    ApiServerTest::StartServer(options, adapters::http::ServerOptions{});
  }

  void TearDown() override {
    ApiServerTest::TearDown();
    std::error_code ec;
    const std::filesystem::path home = std::filesystem::path(db_.path()).parent_path();
    std::filesystem::remove_all(dir_, ec);
    std::filesystem::remove(home / "anchor.pem", ec);
    std::filesystem::remove(home / "anchor.pub.pem", ec);
  }

  std::string Open() {
    workflows::commitment::FileCommitmentRequest r;
    r.subject = kDeskSubject;
    r.commitment_type = "food_business_permit";
    r.form = testing::FoodLetter();
    r.actor = engine::Actor{"clerk", "caseworker", ""};
    auto filed = workflows::commitment::FileCommitment(*service_, r);
    EXPECT_OK(filed);
    return filed.ok() ? filed->case_id : "";
  }

  std::filesystem::path dir_;
  std::unique_ptr<adapters::crypto::Ed25519Signer> signer_;
  std::unique_ptr<adapters::audit::AnchorFolder> folder_;
};

// Pages of the whole store's chain check add up to every case; an edited
// event turns its page red and is named, and the anchor made before the
// edit no longer matches the store.
TEST_F(HttpAuditDeskTest, StoreCheckAndAnchorNameTheEditedEvent) {
  const std::string first = Open();
  const std::string second = Open();
  ASSERT_FALSE(second.empty());
  std::vector<engine::ChainBreak> broken;
  const std::string anchor_name = adapters::audit::AnchorFileName(clock_.Now());
  ASSERT_OK(adapters::audit::WriteAnchor(*store_, "test", clock_, *signer_, (dir_ / anchor_name).string(), &broken));

  HttpReply page = client_->Get("/v1/audit/verify?limit=1", kAuditor);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Json()["checked"], 1);
  EXPECT_TRUE(page.Json()["intact"].get<bool>());
  ASSERT_TRUE(page.Json()["next"].is_string());
  int64_t checked = 1;
  std::string after = page.Json()["next"];
  while (!after.empty()) {
    HttpReply next = client_->Get("/v1/audit/verify?limit=1&after=" + after, kAuditor);
    ASSERT_EQ(next.status, 200) << next.body;
    checked += next.Json()["checked"].get<int64_t>();
    after = next.Json()["next"].is_string() ? next.Json()["next"].get<std::string>() : "";
  }
  EXPECT_EQ(checked, page.Json()["total"].get<int64_t>());

  HttpReply listed = client_->Get("/v1/audit/anchors", kAuditor);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["items"].size(), 1u);
  EXPECT_EQ(listed.Json()["items"][0]["name"], anchor_name);
  EXPECT_TRUE(listed.Json()["items"][0]["signature_ok"].get<bool>());
  EXPECT_TRUE(listed.Json()["items"][0]["key_given"].get<bool>());
  HttpReply good = client_->Get("/v1/audit/anchors/" + anchor_name, kAuditor);
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_TRUE(good.Json()["ok"].get<bool>()) << good.body;
  HttpReply replay = client_->Get("/v1/cases/" + second + "/replay", kAuditor);
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_TRUE(replay.Json()["matches"].get<bool>()) << replay.body;

  ASSERT_OK(store_->ExecuteForTesting("DROP TRIGGER history_no_update"));
  ASSERT_OK(store_->ExecuteForTesting("UPDATE history SET actor_user = 'mallory' WHERE case_id = '" + second +
                                      "' AND seq = 1"));
  HttpReply all = client_->Get("/v1/audit/verify", kAuditor);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_FALSE(all.Json()["intact"].get<bool>());
  EXPECT_EQ(all.Json()["first_broken"]["case"], second);
  EXPECT_EQ(all.Json()["first_broken"]["seq"], 1);
  HttpReply bad = client_->Get("/v1/audit/anchors/" + anchor_name, kAuditor);
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_FALSE(bad.Json()["ok"].get<bool>());
  EXPECT_EQ(bad.Json()["first_mismatch"]["case"], second);
  EXPECT_EQ(first.empty(), false);
}

// A name that is not a file of the folder (a path included) is 404.
TEST_F(HttpAuditDeskTest, OnlyTheFolderFilesCanBeChecked) {
  EXPECT_EQ(client_->Get("/v1/audit/anchors/credflow-anchor-none.json", kAuditor).status, 404);
  EXPECT_EQ(client_->Get("/v1/audit/anchors/..%2Fanchor.pem", kAuditor).status, 400);
  EXPECT_EQ(client_->Get("/v1/audit/anchors/anchor.pem", kAuditor).status, 404);
  HttpReply empty = client_->Get("/v1/audit/anchors", kAuditor);
  ASSERT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.Json()["configured"].get<bool>());
  EXPECT_EQ(empty.Json()["items"].size(), 0u);
}

}  // namespace
}  // namespace credflow
