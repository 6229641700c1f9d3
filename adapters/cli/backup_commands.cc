// `credflow backup FILE`: a consistent copy of a SQLite store taken while it
// serves (SociCaseStore::BackupTo). `credflow restore BACKUP`: checks a
// backup (SQLite's integrity check, credflow's schema, every history chain)
// and puts it in place of the --database file, which must not exist yet.
// PostgreSQL is backed up with its own tools (README, "Backups").
#include <filesystem>
#include <iostream>

#include "adapters/cli/cli_support.h"
#include "adapters/cli/commands.h"
#include "adapters/store/store_url.h"
#include "engine/audit.h"

namespace credflow::adapters::cli {
namespace {

int Backup(const GlobalOptions& g, const std::string& file) {
  std::unique_ptr<Engine> e = StartEngine(g, 1);
  if (!e) return kExitUnusable;
  engine::Status st = e->store->BackupTo(file);
  if (!st.ok()) return PrintStatus(st), kExitFailed;
  std::cout << "backed up " << e->store->redacted_url() << " to " << file << "\n";
  return kExitOk;
}

// Opens the backup read-only as a store of this build's schema and verifies
// every chain in it before anything is copied.
int Restore(const GlobalOptions& g, const std::string& backup) {
  engine::Result<StoreUrl> target = ParseStoreUrl(DatabaseUrl(g));
  if (!target.ok()) return PrintStatus(target.status()), kExitUnusable;
  if (target->backend != StoreBackend::kSqlite) {
    std::cerr << "credflow: restore puts a SQLite backup in place; restore PostgreSQL with pg_restore (README, "
                 "Backups)\n";
    return kExitUnusable;
  }
  const std::filesystem::path into = target->sqlite_path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(backup, ec)) {
    std::cerr << "credflow: " << backup << " is not a file\n";
    return kExitUnusable;
  }
  if (std::filesystem::exists(into, ec)) {
    std::cerr << "credflow: " << into.string() << " already exists; restore only into a new file\n";
    return kExitUnusable;
  }
  StoreOptions options;
  options.migrate = false;
  engine::Result<std::unique_ptr<SociCaseStore>> store = SociCaseStore::Open("sqlite:" + backup, options);
  if (!store.ok()) return PrintStatus(store.status()), kExitFailed;
  engine::Result<std::vector<int>> versions = (*store)->AppliedSchemaVersions();
  if (!versions.ok()) return PrintStatus(versions.status()), kExitFailed;
  if (versions->empty() || versions->back() != SociCaseStore::TargetSchemaVersion()) {
    std::cerr << "credflow: " << backup << " is not a credflow store of schema version "
              << SociCaseStore::TargetSchemaVersion() << "\n";
    return kExitFailed;
  }
  engine::Result<std::vector<std::string>> ids = (*store)->ListCaseIds();
  if (!ids.ok()) return PrintStatus(ids.status()), kExitFailed;
  for (const std::string& id : *ids) {
    engine::Result<std::optional<engine::ChainBreak>> broken = engine::VerifyCaseHistory(**store, id);
    if (!broken.ok()) return PrintStatus(broken.status()), kExitFailed;
    if (*broken) {
      std::cerr << "credflow: the backup's history does not verify: case " << id << " event " << (*broken)->seq << " ("
                << (*broken)->event << "): " << (*broken)->problem << "\n";
      return kExitFailed;
    }
  }
  store->reset();
  std::filesystem::copy_file(backup, into, ec);
  if (ec) {
    std::cerr << "credflow: cannot copy " << backup << " to " << into.string() << ": " << ec.message() << "\n";
    return kExitFailed;
  }
  std::cout << "restored " << backup << " to " << into.string() << " (" << ids->size()
            << " cases, every chain verified)\n";
  return kExitOk;
}

}  // namespace

void AddBackupCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto file = std::make_shared<std::string>();
  CLI::App* backup = app.add_subcommand(
      "backup", "write a consistent copy of the SQLite store to FILE while it serves (PostgreSQL: pg_dump)");
  backup->add_option("file", *file, "the backup file (must not exist)")->required()->check(NotEmpty());
  backup->callback([&g, &exit_code, file] { exit_code = Backup(g, *file); });

  auto from = std::make_shared<std::string>();
  CLI::App* restore = app.add_subcommand(
      "restore", "check a SQLite backup (integrity, schema, every history chain) and make it the --database file");
  restore->add_option("backup", *from, "the backup file")->required()->check(NotEmpty());
  restore->callback([&g, &exit_code, from] { exit_code = Restore(g, *from); });
}

}  // namespace credflow::adapters::cli
