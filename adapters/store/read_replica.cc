#include "adapters/store/read_replica.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace credflow::adapters {
namespace {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ReadReplica::ReadReplica(SociCaseStore* primary, std::unique_ptr<SociCaseStore> replica,
                         std::chrono::milliseconds max_staleness, std::chrono::milliseconds poll)
    : primary_(primary), replica_(std::move(replica)), max_staleness_(max_staleness), poll_(poll) {
  CheckOnce();
  poller_ = std::thread([this] { Poll(); });
}

ReadReplica::~ReadReplica() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  poller_.join();
}

bool ReadReplica::CheckOnce() {
  const int64_t t0 = SteadyNanos();
  engine::Result<std::string> lsn = primary_->WalPosition();
  if (!lsn.ok()) return false;
  engine::Result<bool> reached = replica_->HasWalUpTo(*lsn);
  if (!reached.ok() || !*reached) return false;
  fresh_as_of_.store(t0);
  return true;
}

void ReadReplica::Poll() {
  bool was_fresh = true;
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, poll_, [this] { return stop_; })) {
    lock.unlock();
    CheckOnce();
    const bool fresh = Choose().replica;
    if (fresh != was_fresh) {
      if (fresh) {
        spdlog::info("read replica: within {} ms of the primary again; reads go to it", max_staleness_.count());
      } else {
        spdlog::warn("read replica: more than {} ms behind the primary, or unreachable; reads go to the primary",
                     max_staleness_.count());
      }
      was_fresh = fresh;
    }
    lock.lock();
  }
}

ReadReplica::Choice ReadReplica::Choose() const {
  const int64_t fresh = fresh_as_of_.load();
  if (fresh != 0) {
    const auto behind = std::chrono::nanoseconds(SteadyNanos() - fresh);
    if (behind <= max_staleness_) {
      // Rounded up: the answer states a bound.
      const auto ms = std::chrono::ceil<std::chrono::milliseconds>(behind);
      return {replica_.get(), true, ms};
    }
  }
  return {primary_, false, std::chrono::milliseconds(0)};
}

}  // namespace credflow::adapters
