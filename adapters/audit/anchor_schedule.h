// A scheduled anchor: `credflow serve --anchor-every 24h --anchor-key FILE
// --anchor-dir DIR` seals every case's chain head into DIR once per period,
// as `credflow audit anchor` does (adapters/audit/anchor_file.h).
//
// Files are named credflow-anchor-YYYYMMDDTHHMMSSZ.json (UTC, from the
// injected clock). The newest such name in DIR says when the last anchor was
// made, so a restart does not anchor again before the period is over; a
// period that ran out while the server was down is anchored at start-up.
// Several servers sharing a store should each have their own DIR.
//
// Thread safety: Start and Stop from one thread; the work runs on one
// thread of its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "adapters/crypto/ed25519.h"
#include "engine/case_store.h"
#include "engine/clock.h"

namespace credflow::adapters::audit {

// "24h", "30m", "3600s" or a bare number of seconds; nullopt for anything
// else or for less than one second.
std::optional<std::chrono::seconds> ParsePeriod(const std::string& text);

// The file name an anchor made at `at` gets in the anchor folder.
std::string AnchorFileName(engine::Timestamp at);

class AnchorSchedule {
 public:
  // `poll` is how often the clock is looked at (at most `period`).
  AnchorSchedule(engine::CaseStore* store, std::string store_name, const engine::Clock* clock,
                 std::unique_ptr<crypto::Ed25519Signer> signer, std::string dir, std::chrono::seconds period,
                 std::chrono::seconds poll = std::chrono::seconds(60));
  ~AnchorSchedule();
  AnchorSchedule(const AnchorSchedule&) = delete;
  AnchorSchedule& operator=(const AnchorSchedule&) = delete;

  // Starts the thread; the first look is at once.
  void Start();
  // Stops and joins the thread; an anchor being written is finished first.
  void Stop();

  // Makes the anchor if one is due at `now` (for tests and the thread).
  // Returns the file written, or "" when none was due or it failed (logged).
  std::string AnchorIfDue();

 private:
  void Run();

  engine::CaseStore* store_;
  std::string store_name_;
  const engine::Clock* clock_;
  std::unique_ptr<crypto::Ed25519Signer> signer_;
  std::string dir_;
  std::chrono::seconds period_;
  std::chrono::seconds poll_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace credflow::adapters::audit
