// The hash chain: canonical bytes are stable, every field is covered, and
// VerifyChain names the first broken link.
#include <gtest/gtest.h>

#include "engine/history.h"

namespace credflow::engine {
namespace {

std::vector<HistoryEvent> Chain(int n) {
  std::vector<HistoryEvent> events;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    HistoryEvent e;
    e.case_id = "c";
    e.seq = i;
    e.event = i == 1 ? "CaseOpened" : "E" + std::to_string(i);
    e.from_state = i == 1 ? "" : "S" + std::to_string(i - 1);
    e.to_state = "S" + std::to_string(i);
    e.actor = {"alice", "caseworker", "window"};
    e.at = StartOfDay(policies::Date::FromYmd(2025, 1, i));
    e.payload = {{"data", {{"n", i}, {"名称", "中文"}}}};
    e.policy = {"commitment", "2024.1", std::string(64, 'a')};
    e.prev_hash = prev;
    e.hash = ComputeHash(e);
    prev = e.hash;
    events.push_back(e);
  }
  return events;
}

// SHA-256 of "abc" is the standard test vector, so chain hashes can be
// checked with any SHA-256 tool.
TEST(HistoryTest, Sha256OfKnownInput) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// The hashed bytes must not depend on insertion order or escaping: keys are
// sorted, Chinese text stays raw UTF-8, and the event is one line.
TEST(HistoryTest, CanonicalBytesSortKeysAndKeepUtf8) {
  HistoryEvent e = Chain(1)[0];
  const std::string bytes = CanonicalBytes(e);
  EXPECT_LT(bytes.find("\"actor\""), bytes.find("\"case_id\""));
  EXPECT_NE(bytes.find("中文"), std::string::npos);
  EXPECT_EQ(bytes.find('\n'), std::string::npos);
}

TEST(HistoryTest, IntactChainVerifies) {
  auto events = Chain(5);
  EXPECT_FALSE(VerifyChain("c", events, events.back().hash).has_value());
}

// Changing any one field of an event breaks the chain at that very event, so
// no part of a record can be edited unnoticed.
TEST(HistoryTest, EveryFieldIsCovered) {
  using Mutator = void (*)(HistoryEvent&);
  const std::vector<Mutator> mutators = {
      [](HistoryEvent& e) { e.event = "X"; },
      [](HistoryEvent& e) { e.from_state = "X"; },
      [](HistoryEvent& e) { e.to_state = "X"; },
      [](HistoryEvent& e) { e.actor.user = "mallory"; },
      [](HistoryEvent& e) { e.actor.role = "admin"; },
      [](HistoryEvent& e) { e.actor.department = "X"; },
      [](HistoryEvent& e) { e.at += std::chrono::seconds(1); },
      [](HistoryEvent& e) { e.payload["data"]["n"] = 99; },
      [](HistoryEvent& e) { e.policy.version = "2099.1"; },
      [](HistoryEvent& e) { e.policy.content_hash[0] = 'b'; },
      [](HistoryEvent& e) { e.case_id = "d"; },
  };
  for (size_t m = 0; m < mutators.size(); ++m) {
    auto events = Chain(4);
    mutators[m](events[2]);
    auto broken = VerifyChain("c", events, events.back().hash);
    ASSERT_TRUE(broken.has_value()) << "mutator " << m;
    EXPECT_EQ(broken->seq, 3) << "mutator " << m;
  }
}

// A dropped last event is caught against the case's stored head hash; a
// dropped middle event is caught at the event after the gap.
TEST(HistoryTest, RemovedEventsAreDetected) {
  auto events = Chain(4);
  const std::string head = events.back().hash;
  events.pop_back();
  auto broken = VerifyChain("c", events, head);
  ASSERT_TRUE(broken.has_value());
  EXPECT_NE(broken->problem.find("head"), std::string::npos);

  auto gap = Chain(4);
  gap.erase(gap.begin() + 1);
  auto b2 = VerifyChain("c", gap, gap.back().hash);
  ASSERT_TRUE(b2.has_value());
  EXPECT_EQ(b2->seq, 3);
}

}  // namespace
}  // namespace credflow::engine
