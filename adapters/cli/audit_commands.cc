// `credflow audit keygen|anchor` and `audit verify --anchor`: sealing every
// case's chain head in a signed anchor file kept outside the database, and
// proving later that nothing up to the anchor was rewritten (see
// engine/anchor.h for the Merkle root, adapters/audit/anchor_file.h for the
// file).
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/audit/anchor_file.h"
#include "adapters/audit/anchor_schedule.h"
#include "adapters/cli/cli_support.h"
#include "adapters/cli/commands.h"
#include "adapters/crypto/ed25519.h"
#include "engine/anchor.h"

namespace credflow::adapters::cli {
namespace {

int AuditKeygen(const std::string& private_path, const std::string& public_path) {
  engine::Status st = crypto::WriteEd25519KeyPair(private_path, public_path);
  if (!st.ok()) return PrintStatus(st), kExitUnusable;
  engine::Result<std::string> pub = crypto::ReadEd25519PublicKey(public_path);
  if (!pub.ok()) return PrintStatus(pub.status()), kExitFailed;
  std::cout << "audit keygen: Ed25519 private key " << private_path << " (mode 0600), public key " << public_path
            << "\nkey fingerprint " << crypto::PublicKeyFingerprint(*pub)
            << "\nkeep the private key away from the database's owners; give the public key to the auditors\n";
  return kExitOk;
}

int AuditAnchor(const GlobalOptions& g, const std::string& key_path, const std::string& out_path) {
  engine::Result<std::unique_ptr<crypto::Ed25519Signer>> signer = crypto::Ed25519Signer::FromPemFile(key_path);
  if (!signer.ok()) return PrintStatus(signer.status()), kExitUnusable;
  std::unique_ptr<engine::Clock> clock = MakeClock(g);
  if (!clock) return kExitUnusable;
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  std::vector<engine::ChainBreak> broken;
  engine::Result<engine::AnchorStatement> anchored =
      audit::WriteAnchor(*store, store->redacted_url(), *clock, **signer, out_path, &broken);
  if (!anchored.ok()) {
    for (const engine::ChainBreak& b : broken) PrintBreak(b);
    if (anchored.status().reason() == "broken_chain") {
      std::cout << "audit anchor: " << anchored.status().message() << "\n";
      return kExitFailed;
    }
    PrintStatus(anchored.status());
    return anchored.status().code() == engine::Status::Code::kAlreadyExists ? kExitUnusable : kExitFailed;
  }
  const engine::AnchorStatement& statement = *anchored;
  std::cout << "audit anchor: " << statement.cases << " case(s), " << statement.events << " event(s) sealed at "
            << engine::FormatOfficeTimestamp(statement.at) << "\nroot " << statement.root << "\nsigned by "
            << crypto::PublicKeyFingerprint((*signer)->public_key()) << "\nwritten to " << out_path << "\n";
  return kExitOk;
}

}  // namespace

int AuditVerifyAnchors(const GlobalOptions& g, const std::vector<std::string>& anchors,
                       const std::string& public_key_path) {
  std::string public_key;
  if (!public_key_path.empty()) {
    engine::Result<std::string> pub = crypto::ReadEd25519PublicKey(public_key_path);
    if (!pub.ok()) return PrintStatus(pub.status()), kExitUnusable;
    public_key = *pub;
  }
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  int exit_code = kExitOk;
  for (const std::string& path : anchors) {
    engine::Result<audit::OpenedAnchor> anchor = audit::OpenAnchorFile(path, public_key);
    if (!anchor.ok()) {
      if (anchor.status().reason() == "anchor_unreadable") {
        PrintStatus(anchor.status());
        return kExitUnusable;
      }
      std::cout << "BAD ANCHOR " << anchor.status().message() << "\n";
      exit_code = kExitFailed;
      continue;
    }
    const engine::AnchorStatement& a = anchor->statement;
    std::cout << "anchor " << path << ": signature good, key " << anchor->key_fingerprint
              << (anchor->key_given ? " (given with --public-key)"
                                    : " (embedded in the file: it shows the file is intact, not who signed it; "
                                      "pass --public-key)")
              << "\nanchor " << path << ": " << a.cases << " case(s), " << a.events << " event(s) sealed at "
              << engine::FormatOfficeTimestamp(a.at) << ", root " << a.root << "\n";
    if (a.store != store->redacted_url()) {
      std::cout << "anchor " << path << ": made on " << a.store << ", checked against " << store->redacted_url()
                << "\n";
    }
    engine::Result<engine::AnchorCheck> check = engine::CheckAnchor(*store, a);
    if (!check.ok()) return PrintStatus(check.status()), kExitUnusable;
    for (const engine::AnchorMismatch& m : check->mismatches) {
      std::cout << "MISMATCH case " << m.case_id << " (anchored at event " << m.seq << "): " << m.problem << "\n";
    }
    for (const std::string& id : check->not_covered) {
      std::cout << "not covered: case " << id << " (not in the anchor: opened after it)\n";
    }
    std::cout << "audit verify --anchor " << path << ": " << check->matched << " case(s) match, "
              << check->mismatches.size() << " mismatched, " << check->not_covered.size() << " not covered";
    if (!check->ok()) {
      std::cout << "; first mismatch: case " << check->mismatches.front().case_id;
      exit_code = kExitFailed;
    }
    std::cout << "\n";
  }
  return exit_code;
}

void AddAnchorScheduleOptions(CLI::App& serve, AnchorScheduleFlags& flags) {
  serve.add_option("--anchor-every", flags.every,
                   "seal every case's chain head in a signed anchor file once per period (24h, 30m, 3600s), "
                   "as `credflow audit anchor` does; needs --anchor-key and --anchor-dir");
  serve.add_option("--anchor-key", flags.key, "the anchors' Ed25519 private key (PEM)")->check(CLI::ExistingFile);
  serve.add_option("--anchor-dir", flags.dir, "the folder the anchor files are written to (copy them elsewhere)")
      ->check(CLI::ExistingDirectory);
}

bool StartAnchorSchedule(Engine& e, const AnchorScheduleFlags& flags, std::shared_ptr<void>* running) {
  running->reset();
  if (flags.every.empty() && flags.key.empty() && flags.dir.empty()) return true;
  if (flags.every.empty() || flags.key.empty() || flags.dir.empty()) {
    std::cerr << "credflow: --anchor-every, --anchor-key and --anchor-dir go together\n";
    return false;
  }
  std::optional<std::chrono::seconds> period = audit::ParsePeriod(flags.every);
  if (!period) {
    std::cerr << "credflow: --anchor-every must be a period such as 24h, 30m or 3600s\n";
    return false;
  }
  engine::Result<std::unique_ptr<crypto::Ed25519Signer>> signer = crypto::Ed25519Signer::FromPemFile(flags.key);
  if (!signer.ok()) return PrintStatus(signer.status()), false;
  auto schedule = std::make_shared<audit::AnchorSchedule>(e.store.get(), e.store->redacted_url(), e.clock.get(),
                                                          std::move(*signer), flags.dir, *period);
  schedule->Start();
  *running = schedule;  // stopped and joined when the last reference goes
  return true;
}

void AddAuditAnchorCommands(CLI::App& audit, const GlobalOptions& g, int& exit_code) {
  struct Options {
    std::string private_key, public_key, key, out;
  };
  auto o = std::make_shared<Options>();
  CLI::App* keygen = audit.add_subcommand(
      "keygen", "make an Ed25519 key pair for anchors (OpenSSL PEM; the private file is mode 0600)");
  keygen->add_option("--out", o->private_key, "the private key file to create")->required();
  keygen->add_option("--public", o->public_key, "the public key file to create")->required();
  keygen->callback([&exit_code, o] { exit_code = AuditKeygen(o->private_key, o->public_key); });

  CLI::App* anchor = audit.add_subcommand(
      "anchor",
      "seal the head of every case's history (a Merkle root over them, with the time and counts) in a file "
      "signed with an Ed25519 key; keep the file outside the database owner's reach");
  anchor->add_option("--key", o->key, "the Ed25519 private key (PEM), e.g. from `audit keygen`")
      ->required()
      ->check(CLI::ExistingFile);
  anchor->add_option("--out", o->out, "the anchor file to create (never replaced)")->required();
  anchor->callback([&exit_code, &g, o] { exit_code = AuditAnchor(g, o->key, o->out); });
}

}  // namespace credflow::adapters::cli
