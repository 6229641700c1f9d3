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

// The bytes built around the payload's stored text are the dump of the
// whole event as one object (the definition above), for payloads with
// Chinese text, escapes, numbers and nesting.
TEST(HistoryTest, CanonicalBytesWithPayloadTextAreTheWholeObjectsDump) {
  for (const Json& payload :
       {Json::object(), Json{{"data", {{"名称", "某某科技有限公司"}, {"q", "a \"b\"\\ \n\t\u0001"}}}},
        Json{{"n", -1.5}, {"big", 12345678901234LL}, {"list", {1, "二", nullptr, true}}}}) {
    HistoryEvent e = Chain(2)[1];
    e.payload = payload;
    const Json whole = {
        {"case_id", e.case_id},
        {"seq", e.seq},
        {"event", e.event},
        {"from", e.from_state},
        {"to", e.to_state},
        {"actor", {{"user", e.actor.user}, {"role", e.actor.role}, {"department", e.actor.department}}},
        {"at", FormatTimestamp(e.at)},
        {"payload", e.payload},
        {"policy", {{"id", e.policy.id}, {"version", e.policy.version}, {"hash", e.policy.content_hash}}},
    };
    EXPECT_EQ(CanonicalBytes(e), whole.dump());
    EXPECT_EQ(CanonicalBytesWithPayload(e, payload.dump()), whole.dump());
  }
}

// The reusing hasher gives ComputeHash's hash, event after event, whatever
// the previous event left in its buffers.
TEST(HistoryTest, EventHasherAgreesWithComputeHash) {
  EventHasher hasher;
  std::vector<HistoryEvent> events = Chain(4);
  events[1].actor = {"张三", "部门负责人", "市场监督管理局"};
  events[2].from_state = "a \"quoted\" \\ state\n";
  events[3].payload = Json::object();
  events[3].event = "";
  for (const HistoryEvent& e : events) {
    EXPECT_EQ(hasher.Hash(e, e.payload.dump()), ComputeHash(e)) << e.seq;
  }
  EXPECT_EQ(hasher.Hash(events[0], events[0].payload.dump()), events[0].hash);
}

// Bytes that are not UTF-8 in a stored text member (SQLite keeps any bytes)
// break the chain there; they do not throw out of the check.
TEST(HistoryTest, TextThatIsNotUtf8IsABreakNotAnException) {
  std::vector<HistoryEvent> events = Chain(2);
  events[1].actor.user = "\xd5\xc5\xc8\xfd";  // 张三 in GBK
  const std::string payload = events[1].payload.dump();
  for (EventHasher* hasher : {static_cast<EventHasher*>(nullptr), new EventHasher}) {
    ChainChecker chain("c", hasher);
    const std::string first = events[0].payload.dump();
    chain.Add(events[0], &first);
    chain.Add(events[1], &payload);
    ASSERT_TRUE(chain.broken().has_value());
    EXPECT_EQ(chain.broken()->seq, 2);
    EXPECT_EQ(chain.broken()->problem, "hash mismatch: the event holds text that is not UTF-8");
    delete hasher;
  }
  EXPECT_TRUE(VerifyChain("c", events, "").has_value());
}

// Checked with the payload's stored text: the same verdicts as with the
// parsed payload, and another spelling of the same JSON still links.
TEST(HistoryTest, ChainCheckerHashesTheStoredPayloadText) {
  const std::vector<HistoryEvent> events = Chain(3);
  ChainChecker chain("c");
  const std::string spaced = events[0].payload.dump(4);
  const std::string compact1 = events[1].payload.dump();
  chain.Add(events[0], &spaced);
  chain.Add(events[1], &compact1);
  EXPECT_FALSE(chain.broken().has_value());
  EXPECT_EQ(chain.events(), 2);
  EXPECT_EQ(chain.last_hash(), events[1].hash);
  const std::string changed = R"({"data":{"n":4,"名称":"中文"}})";
  chain.Add(events[2], &changed);
  ASSERT_TRUE(chain.broken().has_value());
  EXPECT_EQ(chain.broken()->seq, 3);
  EXPECT_EQ(chain.Finish(events[2].hash)->problem, "hash mismatch: the event's content was changed");
}

// A stored payload nested 100,000 deep is a changed event, not a crash: the
// check does not parse past kMaxPayloadDepth.
TEST(HistoryTest, ChainCheckerRefusesAPayloadNestedTooDeep) {
  const std::vector<HistoryEvent> events = Chain(1);
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  ChainChecker chain("c");
  chain.Add(events[0], &deep);
  ASSERT_TRUE(chain.broken().has_value());
  EXPECT_EQ(chain.broken()->seq, 1);
  // Just inside the limit another spelling is still parsed and verifies.
  HistoryEvent nested = events[0];
  Json inner = Json::array();
  for (int depth = 2; depth < kMaxPayloadDepth; ++depth) inner = Json::array({inner});
  nested.payload = {{"data", inner}};
  nested.hash = ComputeHash(nested);
  const std::string indented = nested.payload.dump(1);
  ChainChecker shallow("c");
  shallow.Add(nested, &indented);
  EXPECT_FALSE(shallow.broken().has_value());
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
