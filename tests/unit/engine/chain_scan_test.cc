// The whole-store chain scan: whatever the threads and page size, it sees
// every case and event once, names each broken case (in case order) as the
// per-case check would, hashes payloads as stored without calling another
// spelling of the same JSON broken, and drops a break that was only the scan
// meeting a case mid-move.
#include "engine/chain_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/history_store.h"
#include "tests/support/status_matchers.h"

namespace credflow::engine {
namespace {

using testing::Chain;
using testing::EditAndRehash;
using testing::HistoryStore;

// 40 cases of 1 to 5 events, ids in an order that differs from insertion.
void Fill(HistoryStore* store) {
  for (int i = 0; i < 40; ++i) {
    const std::string id = "案件-" + std::to_string(1000 - i * 7);
    store->histories_[id] = Chain(id, 1 + i % 5);
  }
}

int64_t EventsIn(const HistoryStore& store) {
  int64_t n = 0;
  for (const auto& [id, events] : store.histories_) n += static_cast<int64_t>(events.size());
  return n;
}

ChainScanOptions Options(int threads, int page) {
  ChainScanOptions o;
  o.threads = threads;
  o.page = page;
  o.collect_heads = true;
  return o;
}

TEST(ChainScanTest, EveryThreadAndPageSizeSeesEveryCaseOnce) {
  HistoryStore store;
  Fill(&store);
  for (int threads : {1, 2, 3, 8}) {
    for (int page : {1, 2, 7, 1000}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", page " + std::to_string(page));
      Result<ChainScan> scan = ScanAllChains(store, Options(threads, page));
      ASSERT_OK(scan);
      EXPECT_EQ(scan->cases, 40);
      EXPECT_EQ(scan->events, EventsIn(store));
      EXPECT_TRUE(scan->breaks.empty());
      ASSERT_EQ(scan->heads.size(), 40u);
      auto expected = store.histories_.begin();
      for (const ChainHead& head : scan->heads) {
        EXPECT_EQ(head.case_id, expected->first);
        EXPECT_EQ(head.seq, expected->second.back().seq);
        EXPECT_EQ(head.hash, expected->second.back().hash);
        ++expected;
      }
    }
  }
}

// Each broken case once, in case order, at the event the per-case check
// names; the other chains are still sealed.
TEST(ChainScanTest, NamesEveryBrokenCaseInCaseOrder) {
  HistoryStore store;
  Fill(&store);
  auto it = store.histories_.begin();
  const std::string first = it->first;
  std::advance(it, 17);
  const std::string middle = it->first;
  store.histories_[middle].back().actor.user = "李四";  // content changed, hash kept
  store.histories_[first][0].seq = 2;                   // a gap
  for (int page : {1, 3, 100}) {
    Result<ChainScan> scan = ScanAllChains(store, Options(3, page));
    ASSERT_OK(scan);
    ASSERT_EQ(scan->breaks.size(), 2u);
    EXPECT_EQ(scan->breaks[0].case_id, first);
    EXPECT_EQ(scan->breaks[0].problem, "seq gap: expected 1");
    EXPECT_EQ(scan->breaks[1].case_id, middle);
    EXPECT_EQ(scan->breaks[1].seq, store.histories_[middle].back().seq);
    EXPECT_EQ(scan->breaks[1].problem, VerifyChain(middle, store.histories_[middle], "")->problem);
    EXPECT_EQ(scan->heads.size(), 38u);
    EXPECT_EQ(scan->cases, 40);
  }
}

// A row head that is not the last event's hash (events removed from the
// end), a row with no events and events with no row are breaks when row heads
// are checked, and not otherwise (an anchor seals events, not rows).
TEST(ChainScanTest, ChecksRowHeadsOnlyWhenAsked) {
  HistoryStore store;
  Fill(&store);
  const std::string shortened = std::next(store.histories_.begin(), 5)->first;
  store.histories_[shortened].pop_back();
  store.row_heads_[shortened] = "f" + std::string(63, '0');
  store.row_heads_["空案件"] = "e" + std::string(63, '0');
  const std::string orphan = std::next(store.histories_.begin(), 30)->first;
  store.without_row_.insert(orphan);

  ChainScanOptions options = Options(2, 4);
  options.check_row_heads = false;
  Result<ChainScan> scan = ScanAllChains(store, options);
  ASSERT_OK(scan);
  EXPECT_TRUE(scan->breaks.empty());

  options.check_row_heads = true;
  scan = ScanAllChains(store, options);
  ASSERT_OK(scan);
  std::vector<std::string> broken;
  for (const ChainBreak& b : scan->breaks) broken.push_back(b.case_id);
  std::vector<std::string> expected = {shortened, orphan, "空案件"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(broken, expected);
  for (const ChainBreak& b : scan->breaks) {
    if (b.case_id == orphan) {
      EXPECT_EQ(b.problem, "events without a case row");
    } else if (b.case_id == shortened) {
      EXPECT_EQ(b.problem, VerifyChain(shortened, store.histories_[shortened], store.row_heads_[shortened])->problem);
    }
  }
  EXPECT_EQ(scan->cases, 40);  // 40 rows: one without events, one orphan's missing
}

// The payload is hashed as stored; stored in another spelling of the same
// JSON it still verifies, changed or not JSON at all it does not.
TEST(ChainScanTest, HashesPayloadsAsStoredAndToleratesAnotherSpelling) {
  HistoryStore store;
  store.histories_["a"] = Chain("a", 3);
  store.histories_["b"] = Chain("b", 3);
  store.histories_["c"] = Chain("c", 3);
  const Json& payload = store.histories_["a"][1].payload;
  store.payload_texts_[{"a", 2}] = payload.dump(2);  // indented: the same JSON
  Json changed = store.histories_["b"][1].payload;
  changed["data"]["n"] = 3;
  store.payload_texts_[{"b", 2}] = changed.dump();
  store.payload_texts_[{"c", 3}] = "{not json";
  Result<ChainScan> scan = ScanAllChains(store, Options(1, 10));
  ASSERT_OK(scan);
  ASSERT_EQ(scan->breaks.size(), 2u);
  EXPECT_EQ(scan->breaks[0].case_id, "b");
  EXPECT_EQ(scan->breaks[0].seq, 2);
  EXPECT_EQ(scan->breaks[0].problem, "hash mismatch: the event's content was changed");
  EXPECT_EQ(scan->breaks[1].case_id, "c");
  EXPECT_EQ(scan->breaks[1].seq, 3);
}

// A rewrite with every later hash recomputed passes the chain scan (that is
// what anchors are for), and the rewritten head is what it reports.
TEST(ChainScanTest, RecomputedHashesPassTheChainsButChangeTheHead) {
  HistoryStore store;
  store.histories_["a"] = Chain("a", 4);
  const std::string before = store.histories_["a"].back().hash;
  EditAndRehash(&store.histories_["a"], 2);
  Result<ChainScan> scan = ScanAllChains(store, Options(2, 2));
  ASSERT_OK(scan);
  EXPECT_TRUE(scan->breaks.empty());
  ASSERT_EQ(scan->heads.size(), 1u);
  EXPECT_NE(scan->heads[0].hash, before);
}

// The scan read the row before the case moved and its events after: the
// check of that case alone finds it intact, so no break is reported.
class MovingStore : public HistoryStore {
 public:
  Result<std::vector<CaseHead>> ScanCaseHeads(const std::string& after, const std::string& through,
                                              int limit) override {
    Result<std::vector<CaseHead>> heads = HistoryStore::ScanCaseHeads(after, through, limit);
    if (heads.ok()) {
      for (CaseHead& h : *heads) {
        if (h.id == "moving") h.history_head = stale_head;
      }
    }
    return heads;
  }
  std::string stale_head;
};

TEST(ChainScanTest, ACaseThatMovedDuringTheScanIsNotBroken) {
  MovingStore store;
  store.histories_["moving"] = Chain("moving", 3);
  store.histories_["still"] = Chain("still", 2);
  store.stale_head = store.histories_["moving"][1].hash;
  Result<ChainScan> raw = ScanAllChains(store, Options(1, 10));
  ASSERT_OK(raw);
  ASSERT_EQ(raw->breaks.size(), 1u);
  Result<ChainScan> checked = CheckAllChains(store, Options(1, 10));
  ASSERT_OK(checked);
  EXPECT_TRUE(checked->breaks.empty());
  EXPECT_EQ(checked->events, 5);
}

TEST(ChainScanTest, RefusesOptionsOutOfRange) {
  HistoryStore store;
  EXPECT_EQ(ScanAllChains(store, Options(1, 0)).status().reason(), "invalid_scan");
  EXPECT_EQ(ScanAllChains(store, Options(-1, 10)).status().reason(), "invalid_scan");
  EXPECT_EQ(ScanAllChains(store, Options(1, 100001)).status().reason(), "invalid_scan");
  Result<ChainScan> empty = ScanAllChains(store, Options(4, 10));
  ASSERT_OK(empty);
  EXPECT_EQ(empty->cases, 0);
  EXPECT_EQ(empty->events, 0);
}

// A failing read fails the scan, whichever thread met it.
class FailingStore : public HistoryStore {
 public:
  Result<std::vector<StoredEvent>> ScanHistory(const std::string& after_case, int64_t after_seq,
                                               const std::string& through, int limit) override {
    if (after_case > "m") return Status::Unavailable("the database went away");
    return HistoryStore::ScanHistory(after_case, after_seq, through, limit);
  }
};

TEST(ChainScanTest, AFailedReadFailsTheScan) {
  FailingStore store;
  for (const char* id : {"a", "k", "n", "z"}) store.histories_[id] = Chain(id, 2);
  Result<ChainScan> scan = ScanAllChains(store, Options(2, 1));
  EXPECT_EQ(scan.status().reason(), "store_unavailable");
}

// What throws in a worker thread fails the scan instead of ending the
// process.
class ThrowingStore : public HistoryStore {
 public:
  Result<std::vector<CaseHead>> ScanCaseHeads(const std::string& after, const std::string& through,
                                              int limit) override {
    if (after > "m") throw std::runtime_error("a page the store could not hold");
    return HistoryStore::ScanCaseHeads(after, through, limit);
  }
};

TEST(ChainScanTest, AnExceptionInAWorkerFailsTheScan) {
  ThrowingStore store;
  for (const char* id : {"a", "k", "n", "z"}) store.histories_[id] = Chain(id, 2);
  Result<ChainScan> scan = ScanAllChains(store, Options(2, 1));
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), Status::Code::kInternal);
  EXPECT_NE(scan.status().message().find("a page the store could not hold"), std::string::npos);
}

// An anchor seals cases, not events that lost their case row.
TEST(ChainScanTest, HeadsAreCollectedOnlyForCaseRows) {
  HistoryStore store;
  store.histories_["a"] = Chain("a", 2);
  store.histories_["b"] = Chain("b", 3);
  store.without_row_.insert("b");
  ChainScanOptions options = Options(1, 10);
  options.check_row_heads = false;
  Result<ChainScan> scan = ScanAllChains(store, options);
  ASSERT_OK(scan);
  ASSERT_EQ(scan->heads.size(), 1u);
  EXPECT_EQ(scan->heads[0].case_id, "a");
}

}  // namespace
}  // namespace credflow::engine
