// VerifyCertificate and the signed bytes.
#include <gtest/gtest.h>

#include "tests/unit/consensus/cluster.h"

namespace jejak::consensus::testing {
namespace {

Certificate Cert(std::initializer_list<ValidatorIndex> who, const std::string& id = "val") {
  Certificate c{3, 1, id, {}};
  for (ValidatorIndex v : who) c.precommits.push_back(SignedVote(VoteType::kPrecommit, 3, 1, id, v));
  return c;
}

Status Check(const Certificate& c, size_t n = 4) {
  FakeVerifier verifier;
  return VerifyCertificate("test-chain", MakeValidators(n), c, verifier);
}

TEST(CertificateTest, QuorumOfValidPrecommitsIsAccepted) {
  EXPECT_TRUE(Check(Cert({0, 1, 2})).ok());
  EXPECT_TRUE(Check(Cert({0, 1, 2, 3})).ok());
  EXPECT_TRUE(Check(Cert({0, 2, 3, 4, 6}), 7).ok());
}

TEST(CertificateTest, EachBrokenCertificateIsRefusedWithAReason) {
  EXPECT_NE(Check(Cert({0, 1})).message().find("quorum is 3"), std::string::npos);
  EXPECT_NE(Check(Cert({0, 2, 3, 4}), 7).message().find("quorum is 5"), std::string::npos);
  EXPECT_NE(Check(Cert({0, 1, 1})).message().find("repeats validator 1"), std::string::npos);
  EXPECT_NE(Check(Cert({0, 1, 7})).message().find("unknown validator 7"), std::string::npos);
  EXPECT_NE(Check(Cert({0, 1, 2}, "")).message().find("nil"), std::string::npos);
  Certificate bad_sig = Cert({0, 1, 2});
  bad_sig.precommits[1].signature = "00";
  EXPECT_NE(Check(bad_sig).message().find("bad signature"), std::string::npos);
  Certificate other_value = Cert({0, 1, 2});
  other_value.precommits[2] = SignedVote(VoteType::kPrecommit, 3, 1, "other", 2);
  EXPECT_NE(Check(other_value).message().find("another value"), std::string::npos);
  Certificate other_round = Cert({0, 1, 2});
  other_round.round = 2;
  EXPECT_NE(Check(other_round).message().find("another height or round"), std::string::npos);
  Certificate prevotes = Cert({0, 1, 2});
  prevotes.precommits[0] = SignedVote(VoteType::kPrevote, 3, 1, "val", 0);
  EXPECT_NE(Check(prevotes).message().find("not a precommit"), std::string::npos);
  Certificate too_many = Cert({0, 1, 2, 3});
  too_many.precommits.push_back(too_many.precommits[0]);
  EXPECT_EQ(Check(too_many).code(), StatusCode::kInvalid);
}

TEST(SignBytesTest, EncodingIsFixedAndCoversEveryField) {
  const std::string base = VoteSignBytes("c", VoteType::kPrevote, 1, 2, "id");
  const std::string expected = std::string("jejak/consensus/v1") + '\x02' +
                               std::string("\0\0\0\x01", 4) + "c" +
                               std::string("\0\0\0\0\0\0\0\x01", 8) +
                               std::string("\0\0\0\x02", 4) + std::string("\0\0\0\x02", 4) + "id";
  EXPECT_EQ(base, expected);
  EXPECT_NE(base, VoteSignBytes("d", VoteType::kPrevote, 1, 2, "id"));
  EXPECT_NE(base, VoteSignBytes("c", VoteType::kPrecommit, 1, 2, "id"));
  EXPECT_NE(base, VoteSignBytes("c", VoteType::kPrevote, 2, 2, "id"));
  EXPECT_NE(base, VoteSignBytes("c", VoteType::kPrevote, 1, 3, "id"));
  EXPECT_NE(base, VoteSignBytes("c", VoteType::kPrevote, 1, 2, "ie"));
  EXPECT_NE(base, VoteSignBytes("c", VoteType::kPrevote, 1, 2, ""));
  // Length prefixes keep field boundaries apart.
  EXPECT_NE(VoteSignBytes("ab", VoteType::kPrevote, 1, 2, "c"),
            VoteSignBytes("a", VoteType::kPrevote, 1, 2, "bc"));
  const std::string p = ProposalSignBytes("c", 1, 2, "id", -1);
  EXPECT_EQ(p.substr(p.size() - 4), std::string("\xff\xff\xff\xff", 4));
  EXPECT_NE(p, ProposalSignBytes("c", 1, 2, "id", 0));
  EXPECT_NE(p.substr(0, p.size() - 4), base);  // kind byte differs
}

TEST(ValidatorSetTest, QuorumsAndProposerRotation) {
  EXPECT_EQ(MakeValidators(1).Quorum(), 1u);
  EXPECT_EQ(MakeValidators(4).Quorum(), 3u);
  EXPECT_EQ(MakeValidators(4).WeakQuorum(), 2u);
  EXPECT_EQ(MakeValidators(5).Quorum(), 4u);
  EXPECT_EQ(MakeValidators(7).Quorum(), 5u);
  EXPECT_EQ(MakeValidators(7).WeakQuorum(), 3u);
  EXPECT_EQ(MakeValidators(4).Proposer(1, 0), 1u);
  EXPECT_EQ(MakeValidators(4).Proposer(1, 3), 0u);
  EXPECT_EQ(MakeValidators(4).Proposer(2, 1), 3u);
}

}  // namespace
}  // namespace jejak::consensus::testing
