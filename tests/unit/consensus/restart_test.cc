// The safety record: persisted before votes leave, and a core restarted from it never signs a
// conflicting vote.
#include <gtest/gtest.h>

#include "tests/unit/consensus/solo.h"

namespace jejak::consensus::testing {
namespace {

constexpr VoteType kPrevote = VoteType::kPrevote;
constexpr VoteType kPrecommit = VoteType::kPrecommit;

TEST(RestartTest, EveryReadyWithAVoteCarriesTheRecordOfThatVote) {
  Solo s;
  s.Take();
  Value v = MakeValue(1, "v");
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 0, v, -1, 1)).ok());
  Ready rd = s.Take();
  ASSERT_TRUE(rd.safety_record.has_value());
  EXPECT_EQ(rd.safety_record->height, 1u);
  EXPECT_EQ(rd.safety_record->round, 0);
  EXPECT_EQ(rd.safety_record->step, RoundStep::kPrevote);
  EXPECT_EQ(rd.safety_record->value_id, v.id);
  ASSERT_EQ(rd.messages.size(), 1u);
  EXPECT_EQ(std::get<Vote>(rd.messages[0].message).signature, rd.safety_record->signature);
}

TEST(RestartTest, RestartedCoreResendsItsVoteAndNeverSignsAConflictingOne) {
  Solo s;
  s.Take();
  Value v = MakeValue(1, "v");
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 0, v, -1, 1)).ok());
  const Vote sent = s.SentVotes(kPrevote).at(0);

  Solo restarted(1, s.node.persisted);
  EXPECT_EQ(restarted.core().round(), 0);
  EXPECT_EQ(restarted.core().step(), RoundStep::kPrevote);
  auto resent = restarted.SentVotes(kPrevote);
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0], sent);
  // The proposer equivocates towards the restarted validator: no second prevote at (1, 0).
  (void)restarted.core().Step(SignedProposal(1, 0, MakeValue(1, "w"), -1, 1));
  restarted.TickN(100);
  for (const auto& m : restarted.Take().messages) {
    if (const auto* vote = std::get_if<Vote>(&m.message);
        vote && vote->type == kPrevote && vote->round == 0) {
      EXPECT_EQ(vote->value_id, v.id);
    }
  }
}

TEST(RestartTest, RestartedCoreKeepsItsLock) {
  Solo s;
  s.Take();
  Value v = MakeValue(1, "v");
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 0, v, -1, 1)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, v.id, 1)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, v.id, 2)).ok());
  s.Take();
  ASSERT_TRUE(s.node.persisted.has_value());
  EXPECT_EQ(s.node.persisted->step, RoundStep::kPrecommit);
  EXPECT_EQ(s.node.persisted->locked_round, 0);

  Solo restarted(1, s.node.persisted);
  EXPECT_EQ(restarted.core().locked_round(), 0);
  EXPECT_EQ(restarted.core().locked_value(), v);
  restarted.Take();
  for (ValidatorIndex i : {1u, 2u, 3u}) {
    ASSERT_TRUE(restarted.core().Step(SignedVote(kPrecommit, 1, 0, "", i)).ok());
  }
  restarted.TickN(10);
  ASSERT_EQ(restarted.core().round(), 1);
  restarted.Take();
  ASSERT_TRUE(restarted.core().Step(SignedProposal(1, 1, MakeValue(1, "w"), -1, 2)).ok());
  auto prevotes = restarted.SentVotes(kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_EQ(prevotes[0].value_id, "");
}

TEST(RestartTest, ProposerRestartedAfterProposingDoesNotProposeAgain) {
  // proposer(1, 3) = 0: a record saying we proposed in round 3.
  SafetyRecord record;
  record.height = 1;
  record.round = 3;
  record.step = RoundStep::kPropose;
  record.value_id = "old";
  Solo s(1, record);
  EXPECT_EQ(s.core().round(), 3);
  Ready rd = s.Take();
  EXPECT_TRUE(rd.messages.empty());
  s.TickN(45);  // timeout_propose(3): prevote nil instead
  auto prevotes = s.SentVotes(kPrevote);
  ASSERT_EQ(prevotes.size(), 1u);
  EXPECT_EQ(prevotes[0].value_id, "");
}

TEST(RestartTest, RecordOfAnOlderHeightStartsFresh) {
  SafetyRecord record;
  record.height = 4;
  record.round = 7;
  record.step = RoundStep::kPrecommit;
  record.value_id = "x";
  Solo s(5, record);
  EXPECT_EQ(s.core().height(), 5u);
  EXPECT_EQ(s.core().round(), 0);
  // proposer(5, 0) = 1; we prevote its value normally.
  s.Take();
  ASSERT_TRUE(s.core().Step(SignedProposal(5, 0, MakeValue(5, "v"), -1, 1)).ok());
  EXPECT_EQ(s.SentVotes(kPrevote).size(), 1u);
}

// A core re-made at a later height (block sync) from a record whose height held a lock: the
// first vote of the new height must not save the old height's lock with it, or a restart would
// resume it as a lock of this height (found by review: the next round change then broke an
// invariant).
TEST(RestartTest, LocksOfAnOlderHeightAreNotSavedWithTheNextHeightsVotes) {
  SafetyRecord record;
  record.height = 4;
  record.round = 2;
  record.step = RoundStep::kPrecommit;
  record.value_id = "x";
  record.locked_round = 2;
  record.locked_value = MakeValue(4, "x");
  record.valid_round = 2;
  record.valid_value = MakeValue(4, "x");
  Solo s(5, record);
  s.Take();
  ASSERT_TRUE(s.core().Step(SignedProposal(5, 0, MakeValue(5, "v"), -1, 1)).ok());
  ASSERT_EQ(s.SentVotes(kPrevote).size(), 1u);
  ASSERT_TRUE(s.node.persisted.has_value());
  EXPECT_EQ(s.node.persisted->height, 5u);
  EXPECT_EQ(s.node.persisted->locked_round, -1);
  EXPECT_EQ(s.node.persisted->valid_round, -1);
  EXPECT_TRUE(s.node.persisted->locked_value.id.empty());

}

TEST(RestartTest, RecordOfALaterHeightBlocksAllSigning) {
  SafetyRecord record;
  record.height = 9;
  record.round = 0;
  record.step = RoundStep::kPrevote;
  Solo s(2, record);
  s.Take();
  // proposer(2, 2) = 0 = us: no proposal may be signed either.
  (void)s.core().Step(SignedProposal(2, 0, MakeValue(2, "v"), -1, 2));
  s.TickN(500);
  for (const auto& m : s.Take().messages) {
    const auto* vote = std::get_if<Vote>(&m.message);
    const auto* proposal = std::get_if<Proposal>(&m.message);
    EXPECT_FALSE(vote && vote->validator == 0) << "signed a vote at height 2";
    EXPECT_FALSE(proposal && proposal->proposer == 0) << "signed a proposal at height 2";
  }
}

}  // namespace
}  // namespace jejak::consensus::testing
