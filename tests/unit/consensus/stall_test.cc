// Message flows that used to stall for good once the faults had healed (simulator seeds of
// issue 12): each test drives cores by hand into the state the simulator found and checks that
// they now go on deciding.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "tests/unit/consensus/cluster.h"
#include "tests/unit/consensus/solo.h"

namespace jejak::consensus::testing {
namespace {

constexpr VoteType kPrevote = VoteType::kPrevote;
constexpr VoteType kPrecommit = VoteType::kPrecommit;

bool IsRoundZeroPrecommitOf(const Message& m, ValidatorIndex who) {
  const auto* v = std::get_if<Vote>(&m);
  return v && v->type == kPrecommit && v->round == 0 && v->validator == who;
}

// Validator 0 leaves round 0 on 2f+1 precommits but its own precommit is lost on the way to the
// others, who stay in round 0 one precommit short (validator 1, silent, sends nothing). Validator 0
// then restarts in round 1. It used to hold nothing of round 0 after the restart, so nobody could
// ever send the missing precommit again (seed 2013116).
TEST(StallTest, RestartedValidatorStillHelpsPeersLeftInTheRoundItLeft) {
  Cluster c(4);
  c.node(1).down = true;  // proposer of (1, 0): everyone prevotes and precommits nil
  c.allow = [](ValidatorIndex, ValidatorIndex, const Message& m) {
    return !IsRoundZeroPrecommitOf(m, 0);
  };
  for (int t = 0; t < 200 && !(c.node(0).persisted && c.node(0).persisted->round == 1); ++t) {
    c.Tick(1);
  }
  ASSERT_EQ(c.core(0).round(), 1);
  ASSERT_EQ(c.node(0).persisted->round, 1);  // signed its round-1 prevote
  EXPECT_EQ(c.core(2).round(), 0);
  EXPECT_EQ(c.core(3).round(), 0);
  EXPECT_EQ(c.core(2).step(), RoundStep::kPrecommit);

  c.allow = [](ValidatorIndex, ValidatorIndex, const Message&) { return true; };  // healed
  c.Restart(0);
  c.Tick(600);
  for (ValidatorIndex i : {0u, 2u, 3u}) {
    EXPECT_FALSE(c.node(i).committed.empty()) << "validator " << i << " stalled in round "
                                              << c.core(i).round();
  }
}

// The same, one message at a time: what the restarted validator answers a peer of round 0.
TEST(StallTest, RoundChangePrecommitsSurviveARestartAndAreSentToAPeerBehind) {
  Solo s;
  s.Take();
  s.TickN(30);  // OnTimeoutPropose: prevote nil
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, "", 2)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, "", 3)).ok());
  ASSERT_EQ(s.core().step(), RoundStep::kPrecommit);  // L44: precommit nil
  ASSERT_TRUE(s.core().Step(SignedVote(kPrecommit, 1, 0, "", 1)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrecommit, 1, 0, "", 2)).ok());
  s.TickN(10);  // OnTimeoutPrecommit
  ASSERT_EQ(s.core().round(), 1);
  s.TickN(35);  // OnTimeoutPropose of round 1: our record is now of round 1
  s.Take();
  ASSERT_TRUE(s.node.persisted.has_value());
  ASSERT_EQ(s.node.persisted->round, 1);
  EXPECT_EQ(s.node.persisted->round_change_precommits.size(), 3u);

  Solo restarted(1, s.node.persisted);
  EXPECT_EQ(restarted.core().round(), 1);
  restarted.Take();
  // Validator 3, still in round 0, re-sends its precommit; the answer goes to it alone.
  (void)restarted.core().Step(SignedVote(kPrecommit, 1, 0, "", 3));
  std::vector<ValidatorIndex> signers;
  for (const auto& m : restarted.Take().messages) {
    const auto* v = std::get_if<Vote>(&m.message);
    if (v && v->type == kPrecommit && v->round == 0 && m.to == 3u) signers.push_back(v->validator);
  }
  for (ValidatorIndex who : {0u, 1u, 2u}) {
    EXPECT_NE(std::find(signers.begin(), signers.end(), who), signers.end())
        << "precommit of validator " << who << " not sent";
  }
}

// A peer several rounds behind gets the precommits that let us leave our last round, which make it
// skip there (L55) and leave it too (L47), even when we hold nothing of its own round.
TEST(StallTest, PeerSeveralRoundsBehindGetsThePrecommitsOfTheRoundWeLeft) {
  SafetyRecord record;
  record.height = 1;
  record.round = 3;
  record.step = RoundStep::kPrevote;
  record.value_id = "";
  for (ValidatorIndex v : {1u, 2u, 3u}) {
    record.round_change_precommits.push_back(SignedVote(kPrecommit, 1, 2, "", v));
  }
  Solo s(1, record);
  s.Take();
  (void)s.core().Step(SignedVote(kPrevote, 1, 0, "", 3));
  size_t sent = 0;
  for (const auto& m : s.Take().messages) {
    const auto* v = std::get_if<Vote>(&m.message);
    if (v && v->type == kPrecommit && v->round == 2 && m.to == 3u) ++sent;
  }
  EXPECT_EQ(sent, 3u);
}

// Only the propose and prevote timeouts grow with the round: the precommit timeout sets when a
// validator enters the next round, and a growing one on a slow clock made a proposer enter each
// round later than the last, until its proposals always came after its peers' propose timeouts
// (seed 2001071).
TEST(StallTest, PrecommitTimeoutDoesNotGrowWithTheRound) {
  Solo s;
  s.Take();
  // f+1 messages of round 6 make us skip there (L55).
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 6, "", 2)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 6, "", 3)).ok());
  ASSERT_EQ(s.core().round(), 6);
  s.Take();
  for (ValidatorIndex v : {1u, 2u, 3u}) {
    ASSERT_TRUE(s.core().Step(SignedVote(kPrecommit, 1, 6, "", v)).ok());
  }
  const Ready rd = s.Take();
  ASSERT_EQ(rd.timers.size(), 1u);
  EXPECT_EQ(rd.timers[0].kind, TimeoutKind::kPrecommit);
  EXPECT_EQ(rd.timers[0].deadline_tick, s.core().now_ticks() + MakeConfig(0).timeout_precommit_ticks);
}

// Validators 0 and 2 run their clocks at a third of the others' speed. Rounds 0-3 fail (no
// proposal gets through); in round 4 the slow two lock on the proposal of validator 1 while the
// fast two see no polka for it. From then on only the slow two can bring the fast two to that value,
// as proposers (L28), so their proposals must reach the fast two before the fast two's propose
// timeouts. With a precommit timeout growing with the round the slow proposers entered each round
// later than the last and were always too late (seed 2001071).
TEST(StallTest, SlowClockedProposersStayInTimeForTheirPeers) {
  Cluster c(4);
  c.target_height = 1;
  c.allow = [](ValidatorIndex, ValidatorIndex to, const Message& m) {
    if (const auto* p = std::get_if<Proposal>(&m)) return p->round == 4 && to != 3;
    const auto* v = std::get_if<Vote>(&m);
    return !(v && v->round == 4 && v->type == kPrevote && v->validator == 2 && to == 1);
  };
  const std::vector<uint64_t> period = {3, 1, 3, 1};
  uint64_t now = 0;
  auto tick = [&] {
    ++now;
    for (ValidatorIndex i = 0; i < 4; ++i) {
      if (now % period[i] == 0) c.core(i).Tick();
    }
    c.Pump();
  };
  auto min_round = [&] {
    int32_t r = c.core(0).round();
    for (ValidatorIndex i = 1; i < 4; ++i) r = std::min(r, c.core(i).round());
    return r;
  };
  for (int t = 0; t < 5000 && min_round() < 5; ++t) tick();
  ASSERT_EQ(min_round(), 5);
  ASSERT_EQ(c.core(0).locked_round(), 4);
  ASSERT_EQ(c.core(2).locked_round(), 4);
  ASSERT_EQ(c.core(1).valid_round(), -1);
  ASSERT_EQ(c.core(3).valid_round(), -1);
  ASSERT_TRUE(c.node(0).committed.empty());

  c.allow = [](ValidatorIndex, ValidatorIndex, const Message&) { return true; };  // healed
  for (int t = 0; t < 5000; ++t) tick();
  for (ValidatorIndex i = 0; i < 4; ++i) {
    EXPECT_FALSE(c.node(i).committed.empty()) << "validator " << i << " stalled in round "
                                              << c.core(i).round();
  }
}

}  // namespace
}  // namespace jejak::consensus::testing
