#include "engine/chain_scan.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "engine/audit.h"

namespace credflow::engine {
namespace {

constexpr int kMaxPage = 100000;
// Ranges per thread: a thread that finishes early takes another range.
constexpr int64_t kRangesPerThread = 4;

// One range of cases, (after, through], read a page of heads and a page of
// events at a time and merged in (case id, seq) order.
class RangeScan {
 public:
  RangeScan(CaseStore& store, const ChainScanOptions& options, std::string after, std::string through)
      : store_(store),
        options_(options),
        through_(std::move(through)),
        heads_after_(after),
        events_after_case_(std::move(after)) {}

  Status Run(ChainScan* out) {
    for (;;) {
      const CaseHead* head = nullptr;
      const StoredEvent* event = nullptr;
      if (Status st = PeekHead(&head); !st.ok()) return st;
      if (Status st = PeekEvent(&event); !st.ok()) return st;
      if (head == nullptr && event == nullptr) return Status::Ok();
      std::string id = head != nullptr ? head->id : event->event.case_id;
      if (event != nullptr && event->event.case_id < id) id = event->event.case_id;
      const bool has_row = head != nullptr && head->id == id;
      const std::string row_head = has_row ? head->history_head : std::string();
      if (has_row) {
        ++heads_at_;
        ++out->cases;
      }

      ChainChecker chain(id, &hasher_);
      while (event != nullptr && event->event.case_id == id) {
        chain.Add(event->event, &event->payload_text);
        ++events_at_;
        ++out->events;
        if (Status st = PeekEvent(&event); !st.ok()) return st;
      }
      std::optional<ChainBreak> broken = chain.broken();
      if (!broken && options_.check_row_heads) {
        if (!has_row) {
          broken = ChainBreak{id, chain.events(), chain.last_event(), "events without a case row"};
        } else {
          broken = chain.Finish(row_head);
        }
      }
      if (broken) {
        out->breaks.push_back(std::move(*broken));
      } else if (options_.collect_heads && has_row && chain.events() > 0) {
        out->heads.push_back(ChainHead{id, chain.events(), chain.last_hash()});
      }
    }
  }

 private:
  Status PeekHead(const CaseHead** head) {
    if (heads_at_ == heads_.size() && !heads_done_) {
      Result<std::vector<CaseHead>> page = store_.ScanCaseHeads(heads_after_, through_, options_.page);
      if (!page.ok()) return page.status();
      heads_ = std::move(*page);
      heads_at_ = 0;
      heads_done_ = static_cast<int>(heads_.size()) < options_.page;
      if (!heads_.empty()) heads_after_ = heads_.back().id;
    }
    *head = heads_at_ < heads_.size() ? &heads_[heads_at_] : nullptr;
    return Status::Ok();
  }

  Status PeekEvent(const StoredEvent** event) {
    if (events_at_ == events_.size() && !events_done_) {
      Result<std::vector<StoredEvent>> page =
          store_.ScanHistory(events_after_case_, events_after_seq_, through_, options_.page);
      if (!page.ok()) return page.status();
      events_ = std::move(*page);
      events_at_ = 0;
      events_done_ = static_cast<int>(events_.size()) < options_.page;
      if (!events_.empty()) {
        events_after_case_ = events_.back().event.case_id;
        events_after_seq_ = events_.back().event.seq;
      }
    }
    *event = events_at_ < events_.size() ? &events_[events_at_] : nullptr;
    return Status::Ok();
  }

  CaseStore& store_;
  const ChainScanOptions& options_;
  EventHasher hasher_;
  const std::string through_;

  std::vector<CaseHead> heads_;
  size_t heads_at_ = 0;
  bool heads_done_ = false;
  std::string heads_after_;

  std::vector<StoredEvent> events_;
  size_t events_at_ = 0;
  bool events_done_ = false;
  std::string events_after_case_;
  // The range starts after every event of the case `after` itself.
  int64_t events_after_seq_ = std::numeric_limits<int64_t>::max();
};

int ThreadsFor(const ChainScanOptions& options) {
  if (options.threads > 0) return options.threads;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(std::min<unsigned>(cores, kMaxChainScanThreads));
}

// The ranges' bounds: ids at about equal steps of the id order. Ranges are
// (bounds[i], bounds[i + 1]]; the first starts at "" and the last ends at ""
// (no bound), so cases opened during the scan still fall in one.
Result<std::vector<std::string>> RangeBounds(CaseStore& store, int64_t ranges) {
  std::vector<std::string> bounds{""};
  Result<int64_t> total = store.CountAllCases();
  if (!total.ok()) return total.status();
  ranges = std::max<int64_t>(1, std::min(ranges, *total));
  for (int64_t i = 1; i < ranges; ++i) {
    Result<std::optional<std::string>> id = store.CaseIdAt(i * *total / ranges - 1);
    if (!id.ok()) return id.status();
    if (!*id) break;  // cases were deleted meanwhile: fewer ranges
    if (**id > bounds.back()) bounds.push_back(std::move(**id));
  }
  bounds.push_back("");
  return bounds;
}

}  // namespace

Result<ChainScan> ScanAllChains(CaseStore& store, const ChainScanOptions& options) {
  if (options.page < 1 || options.page > kMaxPage || options.threads < 0 || options.threads > kMaxChainScanThreads) {
    return Status::InvalidArgument("invalid_scan", "the chain scan's page must be 1.." + std::to_string(kMaxPage) +
                                                       " and its threads 0.." + std::to_string(kMaxChainScanThreads));
  }
  const int threads = ThreadsFor(options);
  Result<std::vector<std::string>> bounds = RangeBounds(store, threads * kRangesPerThread);
  if (!bounds.ok()) return bounds.status();
  const size_t ranges = bounds->size() - 1;

  std::vector<ChainScan> parts(ranges);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex failure_mu;
  Status failure = Status::Ok();
  auto fail = [&](Status st) {
    std::lock_guard<std::mutex> lock(failure_mu);
    if (!failed.exchange(true)) failure = std::move(st);
  };
  // Nothing may leave a worker thread (that would end the process): what
  // throws becomes the scan's failure.
  auto work = [&] {
    try {
      for (size_t i = next++; i < ranges && !failed; i = next++) {
        RangeScan range(store, options, (*bounds)[i], (*bounds)[i + 1]);
        if (Status st = range.Run(&parts[i]); !st.ok()) fail(std::move(st));
      }
    } catch (const std::exception& e) {
      fail(Status::Internal(std::string("chain scan: ") + e.what()));
    }
  };
  std::vector<std::thread> workers;
  const size_t n = std::min<size_t>(static_cast<size_t>(threads), ranges);
  workers.reserve(n);
  for (size_t i = 1; i < n; ++i) {
    try {
      workers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running share the ranges
    }
  }
  work();
  for (std::thread& t : workers) t.join();
  if (failed) return failure;

  // Ranges are in id order and disjoint: concatenating keeps the order.
  ChainScan out;
  for (ChainScan& part : parts) {
    out.cases += part.cases;
    out.events += part.events;
    std::move(part.heads.begin(), part.heads.end(), std::back_inserter(out.heads));
    std::move(part.breaks.begin(), part.breaks.end(), std::back_inserter(out.breaks));
  }
  return out;
}

Result<ChainScan> CheckAllChains(CaseStore& store, ChainScanOptions options) {
  options.check_row_heads = true;
  Result<ChainScan> scan = ScanAllChains(store, options);
  if (!scan.ok()) return scan;
  std::vector<ChainBreak> still;
  for (ChainBreak& b : scan->breaks) {
    Result<std::optional<ChainBreak>> again = VerifyCaseHistory(store, b.case_id);
    if (!again.ok()) {
      // No case row, or a history that cannot even be read on its own (a
      // payload that is not JSON): as the scan found it.
      still.push_back(std::move(b));
    } else if (again->has_value()) {
      still.push_back(std::move(**again));
    }
  }
  scan->breaks = std::move(still);
  return scan;
}

}  // namespace credflow::engine
