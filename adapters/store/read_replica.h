// ReadReplica: a PostgreSQL streaming replica that takes the reads which may
// be a little stale (case lists, histories, statistics, the whole-store
// check: `credflow serve --read-database`), and a bound on how stale it is.
//
// The bound comes from WAL positions, not clocks: every `poll` a thread
// notes the time t0, asks the primary for its WAL position, then asks the
// replica whether it has replayed that far. When it has, the replica holds
// every commit the primary had made before t0, so a read made now is at most
// (now - t0) behind. Choose() gives the replica, and that bound, while the
// bound is within `max_staleness`; otherwise (the replica lags, or cannot
// be reached, or the primary cannot) it gives the primary, which is never
// stale. A replica that catches up is used again at the next poll.
//
// Threading: Choose() is safe from any thread; the poller is this object's
// own thread, stopped by the destructor.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/store/soci_case_store.h"

namespace credflow::adapters {

class ReadReplica {
 public:
  struct Choice {
    SociCaseStore* store;
    bool replica;
    std::chrono::milliseconds staleness;  // at most; 0 for the primary
  };

  // Starts polling. `primary` must outlive this object.
  ReadReplica(SociCaseStore* primary, std::unique_ptr<SociCaseStore> replica, std::chrono::milliseconds max_staleness,
              std::chrono::milliseconds poll = std::chrono::milliseconds(100));
  ~ReadReplica();
  ReadReplica(const ReadReplica&) = delete;
  ReadReplica& operator=(const ReadReplica&) = delete;

  Choice Choose() const;
  // Checks once now (what the poller does); true when the replica had
  // replayed the primary's position.
  bool CheckOnce();

 private:
  void Poll();

  SociCaseStore* primary_;
  std::unique_ptr<SociCaseStore> replica_;
  const std::chrono::milliseconds max_staleness_;
  const std::chrono::milliseconds poll_;
  // steady_clock nanoseconds of the last t0 the replica had caught up to;
  // 0 = never.
  std::atomic<int64_t> fresh_as_of_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread poller_;
};

}  // namespace credflow::adapters
