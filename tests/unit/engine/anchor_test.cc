// Anchors: the Merkle root is the one the README defines (checked against
// values computed with sha256sum), the statement round-trips and refuses a
// root that does not follow from its heads, and CheckAnchor catches an event
// edited with every later hash recomputed, which VerifyChain alone cannot.
#include <gtest/gtest.h>

#include <map>

#include "engine/anchor.h"
#include "tests/support/history_store.h"
#include "tests/support/status_matchers.h"

namespace credflow::engine {
namespace {

// SHA-256 of "x", "y" and "z": `printf x | sha256sum`.
const std::string kHx = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
const std::string kHy = "a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa";
const std::string kHz = "594e519ae499312b29433b7dd8a97ff068defcba9755b6d5d00e84c524d67b06";
// printf 'case-a:1:%s' $Hx | sha256sum, and likewise.
const std::string kLeafA = "881fec4784987a2e34bdc9410239ad59d8dbb264268f7eb4757884ad9f0ef83f";
const std::string kLeafB = "61d22c32733f05aaf864a3085394772d3f9e18073ef48c8e66dd752bf2b3f003";
const std::string kLeafC = "2888239c39eb4d7c2b0fd2f2b9b33ef8b5816a96e57883b82d6c4302c9919a24";

std::vector<ChainHead> Heads() { return {{"case-a", 1, kHx}, {"case-b", 4, kHy}, {"case-c", 12, kHz}}; }

TEST(AnchorTest, LeafIsTheHashOfCaseSeqAndHead) {
  EXPECT_EQ(AnchorLeaf(Heads()[0]), kLeafA);
  EXPECT_EQ(AnchorLeaf(Heads()[1]), kLeafB);
  EXPECT_EQ(AnchorLeaf(Heads()[2]), kLeafC);
}

// One leaf is its own root; no leaf is the hash of nothing.
TEST(AnchorTest, RootOfOneLeafIsTheLeaf) {
  EXPECT_EQ(MerkleRoot({kLeafA}), kLeafA);
  EXPECT_EQ(MerkleRoot({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// printf '%s%s' $LeafA $LeafB | sha256sum
TEST(AnchorTest, RootOfTwoLeavesHashesTheirHexConcatenated) {
  EXPECT_EQ(MerkleRoot({kLeafA, kLeafB}), "17d48ad2159a1a44383df64f9426d74889b00afe102b655315f36f8f6e9104bc");
}

// The odd third leaf is promoted: root = sha256(hex(node(a,b)) || LeafC).
TEST(AnchorTest, RootOfThreeLeavesPromotesTheOddOne) {
  EXPECT_EQ(MerkleRoot({kLeafA, kLeafB, kLeafC}), "3c746f17cdaea74a025ec5d7a29b64e4f5c665db71bfe0d4328d8a24f79257df");
}

// The heads are sorted by case id whatever order they are read in.
TEST(AnchorTest, RootOfHeadsSortsByCaseId) {
  std::vector<ChainHead> shuffled = {Heads()[2], Heads()[0], Heads()[1]};
  EXPECT_EQ(MerkleRootOfHeads(shuffled), "3c746f17cdaea74a025ec5d7a29b64e4f5c665db71bfe0d4328d8a24f79257df");
}

TEST(AnchorTest, StatementRoundTripsThroughJson) {
  const AnchorStatement a =
      MakeAnchorStatement(Heads(), StartOfDay(policies::Date::FromYmd(2026, 12, 6)), "sqlite:/var/credflow.db");
  EXPECT_EQ(a.cases, 3);
  EXPECT_EQ(a.events, 17);
  Result<AnchorStatement> back = AnchorStatementFromJson(AnchorStatementToJson(a));
  ASSERT_OK(back);
  EXPECT_EQ(back->root, a.root);
  EXPECT_EQ(back->heads, a.heads);
  EXPECT_EQ(back->at, a.at);
  EXPECT_EQ(StatementBytes(*back), StatementBytes(a));
  EXPECT_NE(StatementBytes(a).find("\"at\":\"2026-12-05T16:00:00Z\""), std::string::npos) << StatementBytes(a);
}

// A statement whose root, counts or heads disagree is refused, even before
// any signature is looked at.
TEST(AnchorTest, StatementWithAnotherRootIsRefused) {
  const AnchorStatement a = MakeAnchorStatement(Heads(), Timestamp{}, "");
  Json j = AnchorStatementToJson(a);
  j["root"] = kLeafA;
  EXPECT_EQ(AnchorStatementFromJson(j).status().reason(), "bad_anchor");
  j = AnchorStatementToJson(a);
  j["heads"][1][1] = 5;
  EXPECT_EQ(AnchorStatementFromJson(j).status().reason(), "bad_anchor");
  j = AnchorStatementToJson(a);
  j["format"] = "credflow-anchor/0";
  EXPECT_EQ(AnchorStatementFromJson(j).status().reason(), "bad_anchor");
}

using testing::Chain;
using testing::EditAndRehash;
using testing::HistoryStore;

TEST(AnchorTest, UntouchedStoreMatchesItsAnchor) {
  HistoryStore store;
  store.histories_["a"] = Chain("a", 3);
  store.histories_["b"] = Chain("b", 2);
  Result<ChainHeads> heads = ReadChainHeads(store);
  ASSERT_OK(heads);
  ASSERT_EQ(heads->heads.size(), 2u);
  const AnchorStatement a = MakeAnchorStatement(heads->heads, Timestamp{}, "");
  // Events after the anchor do not disturb it.
  store.histories_["a"] = Chain("a", 5);
  Result<AnchorCheck> check = CheckAnchor(store, a);
  ASSERT_OK(check);
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->matched, 2);
  EXPECT_TRUE(check->not_covered.empty());
}

// The rewritten chain verifies on its own; against the anchor it does not,
// and the case is named.
TEST(AnchorTest, EditWithRecomputedHashesIsAMismatch) {
  HistoryStore store;
  store.histories_["a"] = Chain("a", 3);
  store.histories_["b"] = Chain("b", 4);
  const AnchorStatement a = MakeAnchorStatement(ReadChainHeads(store)->heads, Timestamp{}, "");
  EditAndRehash(&store.histories_["b"], 2);
  EXPECT_FALSE(VerifyChain("b", store.histories_["b"], "").has_value());
  Result<AnchorCheck> check = CheckAnchor(store, a);
  ASSERT_OK(check);
  ASSERT_EQ(check->mismatches.size(), 1u);
  EXPECT_EQ(check->mismatches[0].case_id, "b");
  EXPECT_EQ(check->mismatches[0].seq, 4);
  EXPECT_EQ(check->matched, 1);
}

// A case opened after the anchor is reported, not failed; a case or events
// that vanished are mismatches.
TEST(AnchorTest, NewCasesAreNotCoveredAndRemovedOnesMismatch) {
  HistoryStore store;
  store.histories_["a"] = Chain("a", 3);
  store.histories_["b"] = Chain("b", 2);
  const AnchorStatement a = MakeAnchorStatement(ReadChainHeads(store)->heads, Timestamp{}, "");
  store.histories_["c"] = Chain("c", 1);
  Result<AnchorCheck> check = CheckAnchor(store, a);
  ASSERT_OK(check);
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->not_covered, std::vector<std::string>{"c"});

  store.histories_["a"].pop_back();
  store.histories_.erase("b");
  check = CheckAnchor(store, a);
  ASSERT_OK(check);
  ASSERT_EQ(check->mismatches.size(), 2u);
  EXPECT_EQ(check->mismatches[0].case_id, "a");
  EXPECT_EQ(check->mismatches[1].case_id, "b");
}

// An anchor never seals a chain that is already broken.
TEST(AnchorTest, ReadChainHeadsLeavesOutBrokenChains) {
  HistoryStore store;
  store.histories_["a"] = Chain("a", 3);
  store.histories_["a"][1].actor.user = "mallory";
  store.histories_["b"] = Chain("b", 1);
  Result<ChainHeads> heads = ReadChainHeads(store);
  ASSERT_OK(heads);
  ASSERT_EQ(heads->broken.size(), 1u);
  EXPECT_EQ(heads->broken[0].case_id, "a");
  ASSERT_EQ(heads->heads.size(), 1u);
  EXPECT_EQ(heads->heads[0].case_id, "b");
}

}  // namespace
}  // namespace credflow::engine
