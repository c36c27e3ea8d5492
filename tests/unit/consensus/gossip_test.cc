// What keeps the core live over lossy links: re-sending a stalled round, helping peers in older
// rounds, carrying the proof of lock with a re-proposal and across restarts, bounded tallies that
// junk votes cannot crowd.
#include <gtest/gtest.h>

#include "tests/unit/consensus/solo.h"

namespace jejak::consensus::testing {
namespace {

constexpr VoteType kPrevote = VoteType::kPrevote;
constexpr VoteType kPrecommit = VoteType::kPrecommit;

size_t CountVotes(const Ready& rd, VoteType type, int32_t round, const std::string& id,
                  std::optional<ValidatorIndex> to = std::nullopt) {
  size_t n = 0;
  for (const auto& m : rd.messages) {
    const auto* v = std::get_if<Vote>(&m.message);
    if (v && v->type == type && v->round == round && v->value_id == id && m.to == to) ++n;
  }
  return n;
}

// Validator 0 locks v in round 0 and sees everyone else precommit nil.
Value Lock(Solo& s) {
  s.Take();
  Value v = MakeValue(1, "v");
  EXPECT_TRUE(s.core().Step(SignedProposal(1, 0, v, -1, 1)).ok());
  EXPECT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, v.id, 1)).ok());
  EXPECT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, v.id, 2)).ok());
  EXPECT_EQ(s.core().locked_round(), 0);
  s.Take();
  return v;
}

TEST(GossipTest, StalledRoundIsSentAgainWithEveryoneElsesVotes) {
  Solo s;
  Value v = Lock(s);
  s.TickN(39);
  EXPECT_EQ(CountVotes(s.Take(), kPrevote, 0, v.id), 0u);
  s.TickN(1);
  Ready rd = s.Take();
  EXPECT_EQ(CountVotes(rd, kPrevote, 0, v.id), 3u);    // ours and the two we received
  EXPECT_EQ(CountVotes(rd, kPrecommit, 0, v.id), 1u);  // ours
}

TEST(GossipTest, PeerInAnOlderRoundGetsThatRoundAlone) {
  Solo s;
  Value v = Lock(s);
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 2, "", 2)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 2, "", 3)).ok());
  ASSERT_EQ(s.core().round(), 2);  // skipped (L55)
  s.Take();
  EXPECT_EQ(s.core().Step(SignedVote(kPrecommit, 1, 0, "", 3)).code(), StatusCode::kOk);
  Ready rd = s.Take();
  EXPECT_EQ(CountVotes(rd, kPrevote, 0, v.id, 3), 3u);
  EXPECT_EQ(CountVotes(rd, kPrecommit, 0, v.id, 3), 1u);
  EXPECT_EQ(CountVotes(rd, kPrevote, 0, v.id), 0u);  // nothing broadcast
}

TEST(GossipTest, ReproposalCarriesItsProofOfLock) {
  Solo s;
  Value v = Lock(s);
  // f+1 messages of round 3 make us skip there; proposer(1, 3) = 0 is us.
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 3, "", 2)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 3, "", 3)).ok());
  Ready rd = s.Take();
  const Proposal* proposal = nullptr;
  for (const auto& m : rd.messages) {
    if (const auto* p = std::get_if<Proposal>(&m.message)) proposal = p;
  }
  ASSERT_NE(proposal, nullptr);
  EXPECT_EQ(proposal->round, 3);
  EXPECT_EQ(proposal->valid_round, 0);
  EXPECT_EQ(proposal->value, v);
  EXPECT_EQ(CountVotes(rd, kPrevote, 0, v.id), 3u);
}

TEST(GossipTest, RestartKeepsTheProofOfLockAndTheRoundPrevote) {
  Solo s;
  Value v = Lock(s);
  ASSERT_TRUE(s.node.persisted.has_value());
  EXPECT_EQ(s.node.persisted->valid_polka.size(), 3u);
  ASSERT_TRUE(s.node.persisted->round_prevote.has_value());
  EXPECT_EQ(s.node.persisted->round_prevote->value_id, v.id);

  Solo restarted(1, s.node.persisted);
  Ready rd = restarted.Take();
  EXPECT_EQ(CountVotes(rd, kPrevote, 0, v.id), 1u);
  EXPECT_EQ(CountVotes(rd, kPrecommit, 0, v.id), 1u);
  // The restored polka lets us re-propose v with its proof in round 3.
  ASSERT_TRUE(restarted.core().Step(SignedVote(kPrevote, 1, 3, "", 2)).ok());
  ASSERT_TRUE(restarted.core().Step(SignedVote(kPrevote, 1, 3, "", 3)).ok());
  EXPECT_EQ(CountVotes(restarted.Take(), kPrevote, 0, v.id), 3u);
}

TEST(GossipTest, JunkVotesCannotCrowdOutAVoteForAProposedValue) {
  Solo s;
  s.Take();
  for (const char* junk : {"j1", "j2", "j3", "j4"}) {
    (void)s.core().Step(SignedVote(kPrevote, 1, 0, junk, 2));
  }
  Value v = MakeValue(1, "v");
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 0, v, -1, 1)).ok());
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, v.id, 1)).ok());
  (void)s.core().Step(SignedVote(kPrevote, 1, 0, v.id, 2));  // an equivocation, but it counts
  EXPECT_EQ(s.core().locked_round(), 0);
  EXPECT_EQ(s.core().step(), RoundStep::kPrecommit);
}

}  // namespace
}  // namespace jejak::consensus::testing
