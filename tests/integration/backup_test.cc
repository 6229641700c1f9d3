// `credflow backup` and `credflow restore` on SQLite: a backup taken while
// another thread keeps registering subjects holds every registration
// acknowledged before it started, restores into a fresh file whose every
// chain verifies, and neither command overwrites a file.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "engine/clock.h"
#include "tests/support/engine_harness.h"
#include "tests/support/run_command.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"
#include "workflows/registry.h"
#include "workflows/subject/subject_service.h"

namespace credflow::testing {
namespace {

namespace fs = std::filesystem;

TEST(BackupTest, ABackupUnderLoadRestoresEveryAcknowledgedCommand) {
  ScratchSqliteFile db;
  auto opened = adapters::SociCaseStore::Open(db.url());
  ASSERT_OK(opened);
  std::unique_ptr<adapters::SociCaseStore> store = std::move(*opened);
  engine::WorkflowRegistry registry;
  workflows::RegisterAll(registry);
  engine::ManualClock clock;
  clock.SetDate(*policies::Date::Parse("2026-12-01"));
  engine::CaseService service(store.get(), &registry, ShippedRules().book(), &clock);

  // The writer registers subjects until told to stop; what it was told
  // succeeded is acknowledged.
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    for (int n = 1; !stop.load(); ++n) {
      workflows::subject::RegisterSubjectRequest r;
      r.code = NumberedCreditCode(n);
      r.name = "备份测试企业" + std::to_string(n);
      r.actor = {"writer", "caseworker", ""};
      if (workflows::subject::RegisterSubject(service, r).ok()) {
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.push_back(r.code);
      } else {
        ++failures;
      }
    }
  });
  auto count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return acknowledged.size();
  };
  while (count() < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<std::string> before;
  {
    std::lock_guard<std::mutex> lock(mu);
    before = acknowledged;
  }
  const fs::path dir = fs::path(db.path()).parent_path();
  const std::string backup = (dir / "backup.db").string();
  CommandOutput taken = RunCredflow("--database " + ShellQuote(db.url()) + " backup " + ShellQuote(backup));
  stop = true;
  writer.join();
  ASSERT_EQ(taken.exit_code, 0) << taken.output;
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(count(), before.size()) << "the writer went on while the backup ran";

  // Never over an existing file.
  CommandOutput again = RunCredflow("--database " + ShellQuote(db.url()) + " backup " + ShellQuote(backup));
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.output.find("backup_exists"), std::string::npos) << again.output;
  // Nor to an empty name (SQLite's VACUUM INTO '' writes a temporary file and drops it).
  CommandOutput nowhere = RunCredflow("--database " + ShellQuote(db.url()) + " backup ''");
  EXPECT_EQ(nowhere.exit_code, 2) << nowhere.output;

  const std::string restored = (dir / "restored.db").string();
  CommandOutput put = RunCredflow("--database " + ShellQuote("sqlite:" + restored) + " restore " + ShellQuote(backup));
  ASSERT_EQ(put.exit_code, 0) << put.output;
  EXPECT_NE(put.output.find("every chain verified"), std::string::npos) << put.output;
  CommandOutput over = RunCredflow("--database " + ShellQuote("sqlite:" + restored) + " restore " + ShellQuote(backup));
  EXPECT_EQ(over.exit_code, 2) << over.output;

  auto copy = adapters::SociCaseStore::Open("sqlite:" + restored);
  ASSERT_OK(copy);
  for (const std::string& code : before) {
    engine::Result<std::optional<engine::SubjectProfile>> p = (*copy)->GetSubjectProfile(code);
    ASSERT_OK(p.status());
    EXPECT_TRUE(p->has_value()) << code << " was acknowledged before the backup began";
  }
  CommandOutput verify = RunCredflow("--database " + ShellQuote("sqlite:" + restored) + " audit verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find(" 0 broken"), std::string::npos) << verify.output;
}

// A file that is not a credflow store is not restored.
TEST(BackupTest, RestoreRefusesAFileThatIsNotAStore) {
  ScratchSqliteFile db;
  const fs::path dir = fs::path(db.path()).parent_path();
  const std::string junk = (dir / "junk.db").string();
  RunShell("printf 'not a database' > " + ShellQuote(junk));
  const std::string target = (dir / "target.db").string();
  CommandOutput put = RunCredflow("--database " + ShellQuote("sqlite:" + target) + " restore " + ShellQuote(junk));
  EXPECT_NE(put.exit_code, 0) << put.output;
  EXPECT_FALSE(fs::exists(target));
}

}  // namespace
}  // namespace credflow::testing
