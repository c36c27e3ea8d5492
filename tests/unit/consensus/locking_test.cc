// Locking (L36-L43 with L23/L29), round change on timeouts, and timeouts growing with the round.
#include <gtest/gtest.h>

#include "tests/unit/consensus/solo.h"

namespace jejak::consensus::testing {
namespace {

constexpr VoteType kPrevote = VoteType::kPrevote;
constexpr VoteType kPrecommit = VoteType::kPrecommit;

// Validator 0 prevotes and precommits v in round 0 (so it locks v), then everyone else
// precommits nil and round 1 starts on the precommit timeout.
Value LockInRoundZero(Solo& s) {
  s.Take();
  Value v = MakeValue(1, "v");
  EXPECT_TRUE(s.core().Step(SignedProposal(1, 0, v, -1, 1)).ok());
  EXPECT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, v.id, 1)).ok());
  EXPECT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, v.id, 2)).ok());
  EXPECT_EQ(s.core().step(), RoundStep::kPrecommit);
  EXPECT_EQ(s.core().locked_round(), 0);
  EXPECT_EQ(s.core().locked_value(), v);
  auto precommits = s.SentVotes(kPrecommit);
  EXPECT_EQ(precommits.size(), 1u);
  for (ValidatorIndex i : {1u, 2u, 3u}) {
    EXPECT_TRUE(s.core().Step(SignedVote(kPrecommit, 1, 0, "", i)).ok());
  }
  s.TickN(10);  // timeout_precommit(0) = 10
  EXPECT_EQ(s.core().round(), 1);
  s.Take();
  return v;
}

TEST(LockingTest, LockedValidatorPrevotesNilForAnotherValue) {
  Solo s;
  LockInRoundZero(s);
  // proposer(1, 1) = 2 proposes a fresh value w without a valid round: L23 fails on the lock.
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 1, MakeValue(1, "w"), -1, 2)).ok());
  auto prevotes = s.SentVotes(kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_EQ(prevotes[0].value_id, "");
}

TEST(LockingTest, LockedValidatorPrevotesItsLockedValueAgain) {
  Solo s;
  Value v = LockInRoundZero(s);
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 1, v, 0, 2)).ok());  // L28 with vr = 0
  auto prevotes = s.SentVotes(kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_EQ(prevotes[0].value_id, v.id);
}

TEST(LockingTest, PolkaInALaterRoundReleasesTheLock) {
  Solo s;
  LockInRoundZero(s);
  Value w = MakeValue(1, "w");
  // Round 1: the others prevote w; we saw no proposal, so we prevote nil on timeout.
  for (ValidatorIndex i : {1u, 2u, 3u}) {
    ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 1, w.id, i)).ok());
  }
  s.TickN(35);  // timeout_propose(1) = 35, then timeout_prevote(1) = 15 arms
  s.TickN(15);
  EXPECT_EQ(s.core().step(), RoundStep::kPrecommit);
  for (ValidatorIndex i : {1u, 2u, 3u}) {
    ASSERT_TRUE(s.core().Step(SignedVote(kPrecommit, 1, 1, "", i)).ok());
  }
  s.TickN(15);
  ASSERT_EQ(s.core().round(), 2);
  s.Take();
  // proposer(1, 2) = 3 proposes w with valid round 1: lockedRound 0 <= 1, so L29 accepts.
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 2, w, 1, 3)).ok());
  auto prevotes = s.SentVotes(kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_EQ(prevotes[0].value_id, w.id);
}

TEST(LockingTest, ProposalClaimingAPolkaWeDidNotSeeWaitsForTheTimeout) {
  Solo s;
  LockInRoundZero(s);
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 1, MakeValue(1, "w"), 0, 2)).ok());
  EXPECT_TRUE(s.SentVotes(kPrevote).empty());
  s.TickN(35);
  auto prevotes = s.SentVotes(kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_EQ(prevotes[0].value_id, "");  // L57-60
}

TEST(LockingTest, NilPolkaLeadsToNilPrecommit) {
  Solo s;
  s.Take();
  s.TickN(30);  // no proposal: prevote nil (L57)
  EXPECT_EQ(s.core().step(), RoundStep::kPrevote);
  s.Take();
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, "", 1)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, "", 2)).ok());
  auto precommits = s.SentVotes(kPrecommit);  // L44
  ASSERT_EQ(precommits.size(), 1u);
  EXPECT_EQ(precommits[0].value_id, "");
}

TEST(LockingTest, TimeoutsGrowWithTheRound) {
  Solo s;
  std::vector<TimerRequest> proposes;
  for (int round = 0; round < 3; ++round) {
    for (const TimerRequest& t : s.Take().timers) {
      if (t.kind == TimeoutKind::kPropose) proposes.push_back(t);
    }
    const uint64_t start = s.core().now_ticks();
    s.TickN(30 + 5 * round);  // propose timeout -> prevote nil
    for (ValidatorIndex i : {1u, 2u}) {
      ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, round, "", i)).ok());
    }
    for (ValidatorIndex i : {1u, 2u}) {
      ASSERT_TRUE(s.core().Step(SignedVote(kPrecommit, 1, round, "", i)).ok());
    }
    s.TickN(10 + 5 * round);
    ASSERT_EQ(s.core().round(), round + 1) << "started at tick " << start;
  }
  ASSERT_GE(proposes.size(), 3u);
  EXPECT_EQ(proposes[1].deadline_tick - proposes[0].deadline_tick, 30u + 10u + 5u);
  EXPECT_EQ(proposes[2].round, 2);
}

}  // namespace
}  // namespace jejak::consensus::testing
