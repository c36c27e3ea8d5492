// Four cores driven by hand: the happy path, a silent proposer, restarts, catch-up.
#include <gtest/gtest.h>

#include "tests/unit/consensus/cluster.h"

namespace jejak::consensus::testing {
namespace {

void ExpectAgreement(Cluster& c, size_t heights) {
  for (ValidatorIndex i = 0; i < c.size(); ++i) {
    ASSERT_GE(c.node(i).committed.size(), heights) << "validator " << i;
    for (size_t h = 0; h < heights; ++h) {
      const Commit& mine = c.node(i).committed[h];
      EXPECT_EQ(mine.certificate.height, h + 1);
      EXPECT_EQ(mine.value, c.node(0).committed[h].value) << "validator " << i << " height " << h;
      FakeVerifier verifier;
      EXPECT_TRUE(
          VerifyCertificate("test-chain", c.validators(), mine.certificate, verifier).ok());
      EXPECT_TRUE(IsValidValue(h + 1, mine.value));
    }
  }
}

TEST(ClusterTest, HappyPathCommitsInRoundZeroEveryHeight) {
  Cluster c(4);
  c.target_height = 5;
  c.Pump();
  ExpectAgreement(c, 5);
  for (size_t h = 0; h < 5; ++h) {
    EXPECT_EQ(c.node(0).committed[h].certificate.round, 0);
    // The proposer of (h, 0) is validator h % 4: its value is decided.
    const std::string tag = "node" + std::to_string((h + 1) % 4) + "#";
    EXPECT_NE(c.node(0).committed[h].value.bytes.find(tag), std::string::npos);
  }
}

TEST(ClusterTest, SingleValidatorDecidesAlone) {
  Cluster c(1);
  c.Pump();
  ASSERT_EQ(c.node(0).committed.size(), 3u);
  EXPECT_EQ(c.node(0).committed[0].certificate.precommits.size(), 1u);
}

TEST(ClusterTest, SilentProposerLeadsToRoundOneOnTimeouts) {
  Cluster c(4);
  c.node(1).down = true;  // proposer of (1, 0)
  c.Pump();
  EXPECT_TRUE(c.node(0).committed.empty());
  c.Tick(200);
  for (ValidatorIndex i : {0u, 2u, 3u}) {
    ASSERT_FALSE(c.node(i).committed.empty()) << "validator " << i;
    EXPECT_EQ(c.node(i).committed[0].certificate.round, 1);
    EXPECT_NE(c.node(i).committed[0].value.bytes.find("node2#"), std::string::npos);
  }
}

TEST(ClusterTest, TimeoutsGrowWithTheRound) {
  Cluster c(4);
  for (ValidatorIndex i = 0; i < 4; ++i) c.node(i).down = i != 0;
  Core& core = c.core(0);
  Ready first = core.TakeReady();
  ASSERT_EQ(first.timers.size(), 1u);
  EXPECT_EQ(first.timers[0].kind, TimeoutKind::kPropose);
  EXPECT_EQ(first.timers[0].deadline_tick, 30u);
}

TEST(ClusterTest, LaggingValidatorCatchesUpFromACommitAnswer) {
  Cluster c(4);
  c.allow = [](ValidatorIndex, ValidatorIndex to, const Message&) { return to != 3; };
  c.target_height = 2;
  c.Pump();
  ASSERT_EQ(c.node(0).committed.size(), 2u);
  EXPECT_TRUE(c.node(3).committed.empty());
  c.allow = [](ValidatorIndex, ValidatorIndex, const Message&) { return true; };
  c.Tick(300);
  ASSERT_GE(c.node(3).committed.size(), 2u);
  ExpectAgreement(c, 2);
}

TEST(ClusterTest, RestartedValidatorsKeepDeciding) {
  Cluster c(4);
  c.target_height = 1;
  c.Pump();
  for (ValidatorIndex i = 0; i < 4; ++i) {
    c.target_height = 2 + i;
    c.Restart(i);
    c.Pump();
    c.Tick(150);
  }
  ExpectAgreement(c, 5);
}

}  // namespace
}  // namespace jejak::consensus::testing
