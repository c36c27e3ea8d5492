// Every way a message can be refused before it touches the core's state.
#include <gtest/gtest.h>

#include "tests/unit/consensus/solo.h"

namespace jejak::consensus::testing {
namespace {

constexpr VoteType kPrevote = VoteType::kPrevote;
constexpr VoteType kPrecommit = VoteType::kPrecommit;

TEST(ChecksTest, AcceptsAWellFormedVote) {
  Solo s;
  s.Take();
  EXPECT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 0, "abc", 2)).ok());
}

TEST(ChecksTest, RejectsUnknownValidator) {
  Solo s;
  Status st = s.core().Step(SignedVote(kPrevote, 1, 0, "abc", 9));
  EXPECT_EQ(st.code(), StatusCode::kInvalid);
  EXPECT_NE(st.message().find("unknown validator"), std::string::npos);
}

TEST(ChecksTest, RejectsBadSignature) {
  Solo s;
  Vote v = SignedVote(kPrevote, 1, 0, "abc", 2);
  v.signature[0] ^= 1;
  Status st = s.core().Step(v);
  EXPECT_EQ(st.code(), StatusCode::kInvalid);
  EXPECT_NE(st.message().find("bad signature"), std::string::npos);
  // Signed by another validator's key.
  Vote forged = SignedVote(kPrevote, 1, 0, "abc", 3);
  forged.validator = 2;
  EXPECT_EQ(s.core().Step(forged).code(), StatusCode::kInvalid);
  // Signed for another chain.
  EXPECT_EQ(s.core().Step(SignedVote(kPrevote, 1, 0, "abc", 2, "other")).code(),
            StatusCode::kInvalid);
}

TEST(ChecksTest, IgnoresDuplicate) {
  Solo s;
  Vote v = SignedVote(kPrecommit, 1, 0, "abc", 2);
  ASSERT_TRUE(s.core().Step(v).ok());
  EXPECT_EQ(s.core().Step(v).code(), StatusCode::kIgnored);
}

TEST(ChecksTest, ConflictingVoteIsRefusedAndReportedAsEvidence) {
  Solo s;
  s.Take();
  Vote first = SignedVote(kPrevote, 1, 0, "aaa", 2);
  Vote second = SignedVote(kPrevote, 1, 0, "bbb", 2);
  ASSERT_TRUE(s.core().Step(first).ok());
  Status st = s.core().Step(second);
  EXPECT_EQ(st.code(), StatusCode::kInvalid);
  EXPECT_NE(st.message().find("evidence"), std::string::npos);
  Ready rd = s.Take();
  ASSERT_EQ(rd.evidence.size(), 1u);
  EXPECT_EQ(rd.evidence[0].validator, 2u);
  EXPECT_EQ(std::get<Vote>(rd.evidence[0].first), first);
  EXPECT_EQ(std::get<Vote>(rd.evidence[0].second), second);
  // Reported once per validator and round, however many more conflicting votes arrive.
  (void)s.core().Step(SignedVote(kPrevote, 1, 0, "ccc", 2));
  EXPECT_TRUE(s.Take().evidence.empty());
}

TEST(ChecksTest, HeightsOtherThanOursAndTheNextAreIgnored) {
  Solo s(5);
  EXPECT_EQ(s.core().Step(SignedVote(kPrevote, 3, 0, "a", 2)).code(), StatusCode::kIgnored);
  EXPECT_EQ(s.core().Step(SignedVote(kPrevote, 7, 0, "a", 2)).code(), StatusCode::kIgnored);
  EXPECT_TRUE(s.core().Step(SignedVote(kPrevote, 6, 0, "a", 2)).ok());  // buffered
  Vote bad = SignedVote(kPrevote, 6, 0, "b", 3);
  bad.signature = "0";
  EXPECT_EQ(s.core().Step(bad).code(), StatusCode::kInvalid);  // checked before buffering
  EXPECT_EQ(s.core().height(), 5u);
}

TEST(ChecksTest, NextHeightBufferIsBoundedPerPeer) {
  Solo s(5);
  Status last;
  for (int r = 0; r < 17; ++r) last = s.core().Step(SignedVote(kPrevote, 6, r, "a", 2));
  EXPECT_EQ(last.code(), StatusCode::kExhausted);
  // Another peer has its own budget.
  EXPECT_TRUE(s.core().Step(SignedVote(kPrevote, 6, 0, "a", 3)).ok());
}

TEST(ChecksTest, RoundsFarAheadAreIgnoredAndNegativeRoundsRefused) {
  Solo s;
  EXPECT_EQ(s.core().Step(SignedVote(kPrevote, 1, 101, "a", 2)).code(), StatusCode::kIgnored);
  EXPECT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 100, "a", 2)).ok());
  EXPECT_EQ(s.core().Step(SignedVote(kPrevote, 1, -1, "a", 2)).code(), StatusCode::kInvalid);
}

TEST(ChecksTest, ProposalFromSomeoneElseThanTheProposerIsRefused) {
  Solo s;
  Status st = s.core().Step(SignedProposal(1, 0, MakeValue(1, "x"), -1, 2));
  EXPECT_EQ(st.code(), StatusCode::kInvalid);
  EXPECT_NE(st.message().find("not the proposer"), std::string::npos);
}

TEST(ChecksTest, ProposalWithValidRoundNotBelowItsRoundIsRefused) {
  Solo s;
  EXPECT_EQ(s.core().Step(SignedProposal(1, 0, MakeValue(1, "x"), 0, 1)).code(),
            StatusCode::kInvalid);
  EXPECT_EQ(s.core().Step(SignedProposal(1, 0, MakeValue(1, "x"), -2, 1)).code(),
            StatusCode::kInvalid);
}

TEST(ChecksTest, ProposalWithEmptyValueIdIsRefused) {
  Solo s;
  Value v = MakeValue(1, "x");
  v.id.clear();
  EXPECT_EQ(s.core().Step(SignedProposal(1, 0, v, -1, 1)).code(), StatusCode::kInvalid);
}

TEST(ChecksTest, ValidProposalIsPrevotedInvalidOneGetsNil) {
  {
    Solo s;
    s.Take();
    Value v = MakeValue(1, "good");
    ASSERT_TRUE(s.core().Step(SignedProposal(1, 0, v, -1, 1)).ok());
    auto votes = s.SentVotes(kPrevote);
    ASSERT_EQ(votes.size(), 1u);
    EXPECT_EQ(votes[0].value_id, v.id);
  }
  {
    Solo s;
    s.Take();
    ASSERT_TRUE(s.core().Step(SignedProposal(1, 0, MakeValue(1, "INVALID"), -1, 1)).ok());
    auto votes = s.SentVotes(kPrevote);
    ASSERT_EQ(votes.size(), 1u);
    EXPECT_EQ(votes[0].value_id, "");
  }
}

TEST(ChecksTest, EquivocatingProposerIsReported) {
  Solo s;
  s.Take();
  ASSERT_TRUE(s.core().Step(SignedProposal(1, 0, MakeValue(1, "a"), -1, 1)).ok());
  EXPECT_EQ(s.core().Step(SignedProposal(1, 0, MakeValue(1, "b"), -1, 1)).code(),
            StatusCode::kInvalid);
  Ready rd = s.Take();
  ASSERT_EQ(rd.evidence.size(), 1u);
  EXPECT_EQ(rd.evidence[0].validator, 1u);
  EXPECT_TRUE(std::holds_alternative<Proposal>(rd.evidence[0].second));
}

TEST(ChecksTest, RoundSkipNeedsFPlusOneSenders) {
  Solo s;
  ASSERT_TRUE(s.core().Step(SignedVote(kPrevote, 1, 5, "a", 2)).ok());
  EXPECT_EQ(s.core().round(), 0);
  ASSERT_TRUE(s.core().Step(SignedVote(kPrecommit, 1, 5, "", 3)).ok());
  EXPECT_EQ(s.core().round(), 5);  // L55
  // A duplicate sender does not count twice.
  Solo t;
  ASSERT_TRUE(t.core().Step(SignedVote(kPrevote, 1, 5, "a", 2)).ok());
  ASSERT_TRUE(t.core().Step(SignedVote(kPrecommit, 1, 5, "a", 2)).ok());
  EXPECT_EQ(t.core().round(), 0);
}

Certificate MakeCert(uint64_t height, int32_t round, const std::string& id,
                     std::initializer_list<ValidatorIndex> who) {
  Certificate c{height, round, id, {}};
  for (ValidatorIndex v : who) c.precommits.push_back(SignedVote(kPrecommit, height, round, id, v));
  return c;
}

TEST(ChecksTest, CatchupWithAValidCertificateDecides) {
  Solo s;
  Value v = MakeValue(1, "remote");
  EXPECT_EQ(s.core().Catchup(Commit{v, MakeCert(1, 2, v.id, {1, 2})}).code(),
            StatusCode::kInvalid);
  Value other = MakeValue(1, "other");
  EXPECT_EQ(s.core().Catchup(Commit{other, MakeCert(1, 2, v.id, {1, 2, 3})}).code(),
            StatusCode::kInvalid);
  EXPECT_EQ(s.core().Catchup(Commit{v, MakeCert(2, 2, v.id, {1, 2, 3})}).code(),
            StatusCode::kIgnored);
  ASSERT_TRUE(s.core().Step(Commit{v, MakeCert(1, 2, v.id, {1, 2, 3})}).ok());
  Ready rd = s.Take();
  ASSERT_EQ(rd.committed.size(), 1u);
  EXPECT_EQ(rd.committed[0].value, v);
  EXPECT_EQ(s.core().height(), 2u);
}

TEST(ChecksTest, APeerVotingAtADecidedHeightGetsTheCommitAlone) {
  Solo s;
  Value v = MakeValue(1, "remote");
  ASSERT_TRUE(s.core().Catchup(Commit{v, MakeCert(1, 0, v.id, {1, 2, 3})}).ok());
  s.Take();
  EXPECT_EQ(s.core().Step(SignedVote(kPrevote, 1, 3, "", 2)).code(), StatusCode::kIgnored);
  Ready rd = s.Take();
  ASSERT_EQ(rd.messages.size(), 1u);
  ASSERT_TRUE(rd.messages[0].to.has_value());
  EXPECT_EQ(*rd.messages[0].to, 2u);
  EXPECT_EQ(std::get<Commit>(rd.messages[0].message).value, v);
  // Not again right away (rate limit), but another peer is answered.
  EXPECT_EQ(s.core().Step(SignedVote(kPrevote, 1, 4, "", 2)).code(), StatusCode::kIgnored);
  EXPECT_TRUE(s.Take().messages.empty());
  EXPECT_EQ(s.core().Step(SignedVote(kPrevote, 1, 4, "", 3)).code(), StatusCode::kIgnored);
  EXPECT_EQ(s.Take().messages.size(), 1u);
}

}  // namespace
}  // namespace jejak::consensus::testing
