#include "node/ledger/consensus_codec.h"

#include <algorithm>
#include <set>

namespace jejak::ledger {
namespace {

Status CheckSizes(const std::string& what, const std::string& value_id, const std::string& signature,
                  int32_t round, const CodecLimits& limits) {
  if (value_id.size() > limits.max_value_id_bytes) {
    return Status::Invalid(what + ": value id of " + std::to_string(value_id.size()) + " bytes");
  }
  if (signature.size() > limits.max_signature_bytes) {
    return Status::Invalid(what + ": signature of " + std::to_string(signature.size()) + " bytes");
  }
  if (round < 0 || round > limits.max_round) {
    return Status::Invalid(what + ": round " + std::to_string(round) + " is out of range");
  }
  return Status::Ok();
}

Result<consensus::Value> FromProto(const std::string& what, const v1::ConsensusValue& value,
                                   const CodecLimits& limits) {
  if (value.bytes().size() > limits.max_value_bytes) {
    return Status::Invalid(what + ": value of " + std::to_string(value.bytes().size()) +
                           " bytes, more than the " + std::to_string(limits.max_value_bytes) + " accepted");
  }
  if (value.id().size() > limits.max_value_id_bytes) {
    return Status::Invalid(what + ": value id of " + std::to_string(value.id().size()) + " bytes");
  }
  return consensus::Value{value.id(), value.bytes()};
}

Result<consensus::Vote> FromProto(const v1::VoteProto& vote, const CodecLimits& limits) {
  if (vote.type() != static_cast<uint32_t>(consensus::VoteType::kPrevote) &&
      vote.type() != static_cast<uint32_t>(consensus::VoteType::kPrecommit)) {
    return Status::Invalid("vote: unknown vote type " + std::to_string(vote.type()));
  }
  JEJAK_RETURN_IF_ERROR(CheckSizes("vote", vote.value_id(), vote.signature(), vote.round(), limits));
  return consensus::Vote{static_cast<consensus::VoteType>(vote.type()), vote.height(), vote.round(),
                         vote.value_id(), vote.validator(), vote.signature()};
}

Result<consensus::Message> DecodeProposal(const v1::ProposalProto& p, const CodecLimits& limits) {
  JEJAK_RETURN_IF_ERROR(CheckSizes("proposal", "", p.signature(), p.round(), limits));
  if (p.valid_round() < -1 || p.valid_round() >= p.round()) {
    return Status::Invalid("proposal: valid round " + std::to_string(p.valid_round()) +
                           " is not -1 or below the round " + std::to_string(p.round()));
  }
  Result<consensus::Value> value = FromProto("proposal", p.value(), limits);
  if (!value.ok()) return value.status();
  return consensus::Message(consensus::Proposal{p.height(), p.round(), std::move(*value),
                                                p.valid_round(), p.proposer(), p.signature()});
}

Result<consensus::Message> DecodeCommit(const v1::CommitProto& c, const CodecLimits& limits) {
  JEJAK_RETURN_IF_ERROR(CheckSizes("commit", "", "", c.round(), limits));
  if (static_cast<size_t>(c.precommits_size()) > limits.max_votes) {
    return Status::Invalid("commit: " + std::to_string(c.precommits_size()) + " precommits, more than " +
                           std::to_string(limits.max_votes));
  }
  Result<consensus::Value> value = FromProto("commit", c.value(), limits);
  if (!value.ok()) return value.status();
  consensus::Commit commit;
  commit.value = std::move(*value);
  commit.certificate.height = c.height();
  commit.certificate.round = c.round();
  commit.certificate.value_id = commit.value.id;
  for (const v1::VoteProto& proto : c.precommits()) {
    Result<consensus::Vote> vote = FromProto(proto, limits);
    if (!vote.ok()) return vote.status().WithContext("commit");
    commit.certificate.precommits.push_back(std::move(*vote));
  }
  return consensus::Message(std::move(commit));
}

}  // namespace

void EncodeValue(const consensus::Value& value, v1::ConsensusValue* out) {
  out->set_id(value.id);
  out->set_bytes(value.bytes);
}

void EncodeVote(const consensus::Vote& vote, v1::VoteProto* out) {
  out->set_type(static_cast<uint32_t>(vote.type));
  out->set_height(vote.height);
  out->set_round(vote.round);
  out->set_value_id(vote.value_id);
  out->set_validator(vote.validator);
  out->set_signature(vote.signature);
}

v1::ConsensusMessage EncodeConsensusMessage(const consensus::Message& message) {
  v1::ConsensusMessage out;
  if (const auto* p = std::get_if<consensus::Proposal>(&message)) {
    v1::ProposalProto* proto = out.mutable_proposal();
    proto->set_height(p->height);
    proto->set_round(p->round);
    EncodeValue(p->value, proto->mutable_value());
    proto->set_valid_round(p->valid_round);
    proto->set_proposer(p->proposer);
    proto->set_signature(p->signature);
  } else if (const auto* v = std::get_if<consensus::Vote>(&message)) {
    EncodeVote(*v, out.mutable_vote());
  } else if (const auto* c = std::get_if<consensus::Commit>(&message)) {
    v1::CommitProto* proto = out.mutable_commit();
    EncodeValue(c->value, proto->mutable_value());
    proto->set_height(c->certificate.height);
    proto->set_round(c->certificate.round);
    for (const consensus::Vote& vote : c->certificate.precommits) EncodeVote(vote, proto->add_precommits());
  }
  return out;
}

Result<consensus::Message> DecodeConsensusMessage(const v1::ConsensusMessage& message,
                                                  const CodecLimits& limits) {
  switch (message.kind_case()) {
    case v1::ConsensusMessage::kProposal:
      return DecodeProposal(message.proposal(), limits);
    case v1::ConsensusMessage::kVote: {
      Result<consensus::Vote> vote = FromProto(message.vote(), limits);
      if (!vote.ok()) return vote.status();
      return consensus::Message(std::move(*vote));
    }
    case v1::ConsensusMessage::kCommit:
      return DecodeCommit(message.commit(), limits);
    case v1::ConsensusMessage::KIND_NOT_SET:
      break;
  }
  return Status::Invalid("consensus message carries neither a proposal, a vote nor a commit");
}

v1::CommitCertificate EncodeCertificate(const consensus::Certificate& certificate,
                                        const std::vector<std::string>& validator_ids) {
  v1::CommitCertificate out;
  out.set_height(certificate.height);
  out.set_round(static_cast<uint32_t>(certificate.round));
  out.set_block_hash(certificate.value_id);
  for (const consensus::Vote& vote : certificate.precommits) {
    v1::CommitSignature* signature = out.add_signatures();
    signature->set_validator_id(validator_ids.at(vote.validator));
    signature->set_signature(vote.signature);
  }
  return out;
}

}  // namespace jejak::ledger
