// consensus::Message <-> v1::ConsensusMessage: every kind round-trips, broken input is refused.
#include "node/ledger/consensus_codec.h"

#include <gtest/gtest.h>

namespace jejak::daemon {
namespace {

consensus::Vote SampleVote(consensus::VoteType type, uint32_t validator, std::string value_id) {
  return consensus::Vote{type, 7, 2, std::move(value_id), validator, std::string(64, 's')};
}

consensus::Message RoundTrip(const consensus::Message& message) {
  v1::ConsensusMessage wire;
  // Through bytes, as the transport carries it.
  EXPECT_TRUE(wire.ParseFromString(ledger::EncodeConsensusMessage(message).SerializeAsString()));
  Result<consensus::Message> back = ledger::DecodeConsensusMessage(wire);
  EXPECT_TRUE(back.ok()) << back.status().ToString();
  return back.ok() ? *back : consensus::Message{};
}

TEST(ConsensusCodecTest, EveryKindRoundTrips) {
  consensus::Proposal proposal{7, 3, {std::string(32, 'h'), "block bytes"}, 1, 2, std::string(64, 'p')};
  EXPECT_EQ(RoundTrip(proposal), consensus::Message(proposal));
  consensus::Proposal fresh{1, 0, {std::string(32, 'i'), ""}, -1, 0, std::string(64, 'q')};
  EXPECT_EQ(RoundTrip(fresh), consensus::Message(fresh));
  consensus::Vote prevote = SampleVote(consensus::VoteType::kPrevote, 3, std::string(32, 'v'));
  EXPECT_EQ(RoundTrip(prevote), consensus::Message(prevote));
  consensus::Vote nil = SampleVote(consensus::VoteType::kPrecommit, 0, "");
  EXPECT_EQ(RoundTrip(nil), consensus::Message(nil));
  consensus::Commit commit;
  commit.value = {std::string(32, 'c'), "decided"};
  commit.certificate = {7, 2, commit.value.id,
                        {SampleVote(consensus::VoteType::kPrecommit, 0, commit.value.id),
                         SampleVote(consensus::VoteType::kPrecommit, 2, commit.value.id)}};
  EXPECT_EQ(RoundTrip(commit), consensus::Message(commit));
}

TEST(ConsensusCodecTest, MalformedMessagesAreRefusedNamingTheField) {
  auto refused = [](const v1::ConsensusMessage& m, const std::string& expected, ledger::CodecLimits limits = {}) {
    Result<consensus::Message> decoded = ledger::DecodeConsensusMessage(m, limits);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalid);
    EXPECT_NE(decoded.status().message().find(expected), std::string::npos) << decoded.status().message();
  };
  refused(v1::ConsensusMessage{}, "neither a proposal, a vote nor a commit");

  v1::ConsensusMessage vote = ledger::EncodeConsensusMessage(SampleVote(consensus::VoteType::kPrevote, 1, "x"));
  v1::ConsensusMessage bad = vote;
  bad.mutable_vote()->set_type(9);
  refused(bad, "unknown vote type 9");
  bad = vote;
  bad.mutable_vote()->set_round(-1);
  refused(bad, "round -1");
  bad = vote;
  bad.mutable_vote()->set_signature(std::string(4096, 's'));
  refused(bad, "signature of 4096 bytes");
  bad = vote;
  bad.mutable_vote()->set_value_id(std::string(65, 'v'));
  refused(bad, "value id of 65 bytes");

  consensus::Proposal proposal{7, 3, {std::string(32, 'h'), std::string(100, 'b')}, -1, 2, "sig"};
  v1::ConsensusMessage p = ledger::EncodeConsensusMessage(proposal);
  ledger::CodecLimits small;
  small.max_value_bytes = 99;
  refused(p, "value of 100 bytes", small);
  p.mutable_proposal()->set_valid_round(3);  // must be below the round
  refused(p, "valid round 3");

  consensus::Commit commit;
  commit.value = {std::string(32, 'c'), "decided"};
  commit.certificate = {7, 2, commit.value.id, {}};
  for (uint32_t i = 0; i < 3; ++i) {
    commit.certificate.precommits.push_back(SampleVote(consensus::VoteType::kPrecommit, i, commit.value.id));
  }
  ledger::CodecLimits few;
  few.max_votes = 2;
  refused(ledger::EncodeConsensusMessage(commit), "3 precommits", few);
}

TEST(ConsensusCodecTest, CertificatesConvertByValidatorId) {
  const std::vector<std::string> ids = {"v1", "v2", "v3", "v4"};
  consensus::Certificate certificate{5, 1, std::string(32, 'b'),
                                     {SampleVote(consensus::VoteType::kPrecommit, 0, ""),
                                      SampleVote(consensus::VoteType::kPrecommit, 2, ""),
                                      SampleVote(consensus::VoteType::kPrecommit, 3, "")}};
  for (consensus::Vote& vote : certificate.precommits) {
    vote.height = 5;
    vote.round = 1;
    vote.value_id = certificate.value_id;
  }
  v1::CommitCertificate proto = ledger::EncodeCertificate(certificate, ids);
  ASSERT_EQ(proto.signatures_size(), 3);
  EXPECT_EQ(proto.signatures(1).validator_id(), "v3");
  for (int i = 0; i < proto.signatures_size(); ++i) {
    EXPECT_EQ(proto.signatures(i).signature(), certificate.precommits[i].signature);
  }
  EXPECT_EQ(proto.height(), 5u);
  EXPECT_EQ(proto.round(), 1u);
  EXPECT_EQ(proto.block_hash(), certificate.value_id);
}

}  // namespace
}  // namespace jejak::daemon
