// Anchors as an auditor uses them: `audit keygen`, `audit anchor`, then a
// database owner edits one history row and recomputes every later hash so
// that plain `audit verify` passes, and `audit verify --anchor` names the
// case; a changed anchor file, another public key, and an untouched store
// with a case opened after the anchor. Run on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "engine/history.h"
#include "tests/support/paths.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"

namespace credflow::testing {
namespace {

namespace fs = std::filesystem;

std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

class ScratchDir {
 public:
  ScratchDir() : root_(fs::temp_directory_path() / ("credflow-anchors-" + engine::NewRandomId())) {
    fs::create_directories(root_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string operator/(const std::string& name) const { return (root_ / name).string(); }

 private:
  fs::path root_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Edits the payload of event `seq` of `case_id` and recomputes the hash of
// it and of every later event, and the case row's head: what someone who
// owns the database can do to rewrite a history without breaking its chain.
void RewriteHistory(adapters::SociCaseStore& store, const std::string& drop_guard, const std::string& case_id,
                    int64_t seq) {
  ASSERT_OK(store.ExecuteForTesting(drop_guard));
  auto history = store.GetHistory(case_id);
  ASSERT_OK(history);
  ASSERT_GE(static_cast<int64_t>(history->size()), seq);
  engine::HistoryEvent& edited = (*history)[seq - 1];
  edited.payload["note"] = "backdated by the database owner";
  ASSERT_OK(store.ExecuteForTesting("UPDATE history SET payload = " + Quoted(edited.payload.dump()) +
                                    " WHERE case_id = " + Quoted(case_id) + " AND seq = " + std::to_string(seq)));
  // Read back what the store now returns, and chain it again from `seq` on.
  history = store.GetHistory(case_id);
  ASSERT_OK(history);
  std::string prev = seq == 1 ? engine::kGenesisHash : (*history)[seq - 2].hash;
  for (size_t i = seq - 1; i < history->size(); ++i) {
    engine::HistoryEvent& e = (*history)[i];
    e.prev_hash = prev;
    e.hash = engine::ComputeHash(e);
    prev = e.hash;
    ASSERT_OK(store.ExecuteForTesting("UPDATE history SET prev_hash = " + Quoted(e.prev_hash) +
                                      ", hash = " + Quoted(e.hash) + " WHERE case_id = " + Quoted(case_id) +
                                      " AND seq = " + std::to_string(e.seq)));
  }
  ASSERT_OK(
      store.ExecuteForTesting("UPDATE cases SET history_head = " + Quoted(prev) + " WHERE id = " + Quoted(case_id)));
}

void AnchorCatchesARewrittenHistory(const std::string& url, const std::string& drop_guard) {
  ScratchDir dir;
  const std::string db = "--database " + ShellQuote(url) + " --clock-date 2026-12-06 ";
  const std::string scenario =
      credflow::testing::SourceDir() + "/tests/scenarios/19-food-permit-commitment-revoked.json";
  CommandOutput played = RunCredflow(db + "scenario run --keep " + ShellQuote(scenario));
  ASSERT_EQ(played.exit_code, 0) << played.output;

  CommandOutput keygen =
      RunCredflow("audit keygen --out " + ShellQuote(dir / "k.pem") + " --public " + ShellQuote(dir / "k.pub.pem"));
  ASSERT_EQ(keygen.exit_code, 0) << keygen.output;
  struct stat st {};
  ASSERT_EQ(::stat((dir / "k.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(
      RunCredflow("audit keygen --out " + ShellQuote(dir / "m.pem") + " --public " + ShellQuote(dir / "m.pub.pem"))
          .exit_code,
      0);

  CommandOutput anchored =
      RunCredflow(db + "audit anchor --key " + ShellQuote(dir / "k.pem") + " --out " + ShellQuote(dir / "a.json"));
  ASSERT_EQ(anchored.exit_code, 0) << anchored.output;
  EXPECT_NE(anchored.output.find("sealed at 2026-12-06T00:00:00+08:00"), std::string::npos) << anchored.output;
  // Never replaces an anchor.
  EXPECT_EQ(RunCredflow(db + "audit anchor --key " + ShellQuote(dir / "k.pem") + " --out " + ShellQuote(dir / "a.json"))
                .exit_code,
            2);

  // An auditor checks the signature with standard tools alone.
  CommandOutput openssl = RunShell(
      "cd " + ShellQuote(dir / "") +
      " && jq -cjS .statement a.json > s.bin && jq -r .signature.value a.json | "
      "xxd -r -p > sig.bin && openssl pkeyutl -verify -pubin -inkey k.pub.pem -rawin -in s.bin -sigfile sig.bin");
  EXPECT_EQ(openssl.exit_code, 0) << openssl.output;
  EXPECT_NE(openssl.output.find("Signature Verified Successfully"), std::string::npos) << openssl.output;

  const std::string with_key = " --public-key " + ShellQuote(dir / "k.pub.pem");
  const std::string anchor = " --anchor " + ShellQuote(dir / "a.json");
  CommandOutput clean = RunCredflow(db + "audit verify" + anchor + with_key);
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_NE(clean.output.find(" 0 mismatched, 0 not covered"), std::string::npos) << clean.output;
  EXPECT_NE(clean.output.find("(given with --public-key)"), std::string::npos) << clean.output;

  // A case opened after the anchor is not covered, and not a failure.
  CommandOutput later =
      RunCredflow(db + "subject register 91350100M000100Y43 --name 福州闽江演艺有限公司 --grade B --reason 锚定测试");
  ASSERT_EQ(later.exit_code, 0) << later.output;
  CommandOutput uncovered = RunCredflow(db + "audit verify" + anchor + with_key);
  EXPECT_EQ(uncovered.exit_code, 0) << uncovered.output;
  EXPECT_NE(uncovered.output.find("not covered: case "), std::string::npos) << uncovered.output;
  EXPECT_NE(uncovered.output.find(" 0 mismatched, 1 not covered"), std::string::npos) << uncovered.output;

  // The anchor file changed (its root, or its signature), or checked with
  // another key: a bad signature, exit 1.
  nlohmann::json file = nlohmann::json::parse(ReadFile(dir / "a.json"));
  nlohmann::json changed = file;
  std::string root = changed["statement"]["root"];
  root[5] = root[5] == 'a' ? 'b' : 'a';
  changed["statement"]["root"] = root;
  std::ofstream(dir / "root.json") << changed.dump(2);
  changed = file;
  std::string sig = changed["signature"]["value"];
  sig[7] = sig[7] == 'a' ? 'b' : 'a';
  changed["signature"]["value"] = sig;
  std::ofstream(dir / "sig.json") << changed.dump(2);
  for (const char* bad : {"root.json", "sig.json"}) {
    CommandOutput out = RunCredflow(db + "audit verify --anchor " + ShellQuote(dir / bad) + with_key);
    EXPECT_EQ(out.exit_code, 1) << bad << "\n" << out.output;
    EXPECT_NE(out.output.find("BAD ANCHOR"), std::string::npos) << out.output;
  }
  CommandOutput wrong_key =
      RunCredflow(db + "audit verify" + anchor + " --public-key " + ShellQuote(dir / "m.pub.pem"));
  EXPECT_EQ(wrong_key.exit_code, 1) << wrong_key.output;
  EXPECT_NE(wrong_key.output.find("does not verify with the given key"), std::string::npos) << wrong_key.output;

  // The database owner rewrites one event of the longest history and
  // recomputes every hash after it: the chains all verify again.
  auto store = adapters::SociCaseStore::Open(url);
  ASSERT_OK(store);
  auto ids = (*store)->ListCaseIds();
  ASSERT_OK(ids);
  std::string victim;
  size_t longest = 0;
  for (const std::string& id : *ids) {
    auto h = (*store)->GetHistory(id);
    ASSERT_OK(h);
    if (h->size() > longest) longest = h->size(), victim = id;
  }
  ASSERT_GE(longest, 3u);
  RewriteHistory(**store, drop_guard, victim, 2);
  if (::testing::Test::HasFatalFailure()) return;
  CommandOutput plain = RunCredflow(db + "audit verify");
  EXPECT_EQ(plain.exit_code, 0) << "the rewrite recomputed every hash\n" << plain.output;
  EXPECT_NE(plain.output.find(" 0 broken"), std::string::npos) << plain.output;

  CommandOutput caught = RunCredflow(db + "audit verify" + anchor + with_key);
  EXPECT_EQ(caught.exit_code, 1) << caught.output;
  EXPECT_NE(caught.output.find("MISMATCH case " + victim), std::string::npos) << caught.output;
  EXPECT_NE(caught.output.find("first mismatch: case " + victim), std::string::npos) << caught.output;
  EXPECT_NE(caught.output.find(" 1 mismatched, 1 not covered"), std::string::npos) << caught.output;

  // A later anchor seals the rewritten store; the earlier one still catches
  // it when both are given.
  ASSERT_EQ(RunCredflow(db + "audit anchor --key " + ShellQuote(dir / "k.pem") + " --out " + ShellQuote(dir / "b.json"))
                .exit_code,
            0);
  CommandOutput both = RunCredflow(db + "audit verify" + anchor + " --anchor " + ShellQuote(dir / "b.json") + with_key);
  EXPECT_EQ(both.exit_code, 1) << both.output;
}

TEST(CliAnchorTest, AnchorCatchesARewrittenHistoryOnSqlite) {
  ScratchSqliteFile db;
  AnchorCatchesARewrittenHistory(db.url(), "DROP TRIGGER history_no_update");
}

TEST(CliAnchorTest, AnchorCatchesARewrittenHistoryOnPostgresql) {
  ScratchPgDatabase db;
  ASSERT_OK(db);
  AnchorCatchesARewrittenHistory(db.url(), "DROP TRIGGER history_no_update_delete ON history");
}

// `credflow serve --anchor-every` writes an anchor at start-up (none in the
// folder yet) and none again before the period is over; it verifies.
TEST(CliAnchorTest, ServeWritesAScheduledAnchor) {
  ScratchSqliteFile db;
  ScratchDir dir;
  fs::create_directories(dir / "anchors");
  const std::string dbarg = "--database " + ShellQuote(db.url()) + " --clock-date 2026-12-06 ";
  ASSERT_EQ(RunCredflow(dbarg + "subject register 91320500L968FMY61Q --name 苏州禾丰餐饮管理有限公司 --grade D "
                                "--reason 锚定测试")
                .exit_code,
            0);
  ASSERT_EQ(
      RunCredflow("audit keygen --out " + ShellQuote(dir / "k.pem") + " --public " + ShellQuote(dir / "k.pub.pem"))
          .exit_code,
      0);
  const std::string expected = (dir / "anchors") + "/credflow-anchor-20261205T160000Z.json";
  {
    ServeProcess serve(db.url(), {"--clock-date", "2026-12-06"},
                       {"--anchor-every", "24h", "--anchor-key", dir / "k.pem", "--anchor-dir", dir / "anchors"});
    ASSERT_TRUE(serve.ok()) << serve.Log();
    for (int i = 0; i < 100 && !fs::exists(expected); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(serve.Terminate(), 0) << serve.Log();
  }
  ASSERT_TRUE(fs::exists(expected));
  CommandOutput verified = RunCredflow(dbarg + "audit verify --anchor " + ShellQuote(expected) + " --public-key " +
                                       ShellQuote(dir / "k.pub.pem"));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("1 case(s) match, 0 mismatched"), std::string::npos) << verified.output;

  // A restart within the period writes no second anchor.
  {
    ServeProcess serve(db.url(), {"--clock-date", "2026-12-06"},
                       {"--anchor-every", "24h", "--anchor-key", dir / "k.pem", "--anchor-dir", dir / "anchors"});
    ASSERT_TRUE(serve.ok()) << serve.Log();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(serve.Terminate(), 0) << serve.Log();
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "anchors"), fs::directory_iterator()), 1);

  // Incomplete options refuse to start.
  CommandOutput incomplete = RunCredflow(dbarg + "serve --listen 127.0.0.1:0 --anchor-every 24h");
  EXPECT_EQ(incomplete.exit_code, 2) << incomplete.output;
}

// Usage errors: --public-key without --anchor, --anchor with a case, an
// anchor file that is not JSON (exit 2).
TEST(CliAnchorTest, UsageErrorsExitTwo) {
  ScratchSqliteFile db;
  ScratchDir dir;
  const std::string dbarg = "--database " + ShellQuote(db.url()) + " ";
  ASSERT_EQ(
      RunCredflow("audit keygen --out " + ShellQuote(dir / "k.pem") + " --public " + ShellQuote(dir / "k.pub.pem"))
          .exit_code,
      0);
  std::ofstream(dir / "junk.json") << "{not json";
  EXPECT_EQ(RunCredflow(dbarg + "audit verify --public-key " + ShellQuote(dir / "k.pub.pem")).exit_code, 2);
  EXPECT_EQ(RunCredflow(dbarg + "audit verify CASE --anchor " + ShellQuote(dir / "junk.json")).exit_code, 2);
  EXPECT_EQ(RunCredflow(dbarg + "audit verify --anchor " + ShellQuote(dir / "junk.json")).exit_code, 2);
  // An anchor file nested 100,000 deep is refused as not JSON, not a crash.
  std::ofstream(dir / "deep.json") << std::string(100000, '[') + std::string(100000, ']');
  CommandOutput deep = RunCredflow(dbarg + "audit verify --anchor " + ShellQuote(dir / "deep.json"));
  EXPECT_EQ(deep.exit_code, 2) << deep.output;
  EXPECT_NE(deep.output.find("too_deep"), std::string::npos) << deep.output;
  // keygen never replaces a key.
  EXPECT_EQ(
      RunCredflow("audit keygen --out " + ShellQuote(dir / "k.pem") + " --public " + ShellQuote(dir / "x.pub.pem"))
          .exit_code,
      2);
}

// Someone who can write the tables stores an event payload nested 100,000
// deep: readers refuse the row (a clear error, exit 1) instead of running
// out of stack in the JSON library's recursion. (`case show` reads no
// history: it still shows the case.)
TEST(CliAnchorTest, ADeeplyNestedStoredRowIsAnErrorNotACrash) {
  ScratchSqliteFile db;
  const std::string dbarg = "--database " + ShellQuote(db.url()) + " --clock-date 2026-12-06 ";
  CommandOutput registered = RunCredflow(
      dbarg + "subject register 91350100M000100Y43 --name 福州闽江演艺有限公司 --grade B --reason 深度测试");
  ASSERT_EQ(registered.exit_code, 0) << registered.output;
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_OK(store);
  auto ids = (*store)->ListCaseIds();
  ASSERT_OK(ids);
  ASSERT_FALSE(ids->empty());
  ASSERT_OK((*store)->ExecuteForTesting("DROP TRIGGER history_no_update"));
  ASSERT_OK((*store)->ExecuteForTesting("UPDATE history SET payload = '" + std::string(100000, '[') +
                                        std::string(100000, ']') + "' WHERE case_id = " + Quoted(ids->front())));
  for (const std::string& command : {std::string("audit verify"), "case history " + ids->front()}) {
    CommandOutput out = RunCredflow(dbarg + command);
    EXPECT_EQ(out.exit_code, 1) << command << "\n" << out.output;
    EXPECT_NE(out.output.find("too_deep"), std::string::npos) << command << "\n" << out.output;
  }
}

}  // namespace
}  // namespace credflow::testing
