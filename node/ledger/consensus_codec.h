// consensus::Message <-> v1::ConsensusMessage (the wire form between validators), and the
// certificate conversions block sync and the store need.
//
// Decoding is bounded and checks shape only (sizes, enum values, vote counts): whether a validator
// index exists and whether signatures hold is the core's (or VerifyCertificate's) business.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "consensus/types.h"
#include "jejak/v1/block.pb.h"
#include "jejak/v1/consensus.pb.h"
#include "node/base/status.h"

namespace jejak::ledger {

struct CodecLimits {
  size_t max_value_bytes = 4 << 20;    // consensus::Config::max_value_bytes
  size_t max_signature_bytes = 128;    // Ed25519: 64
  size_t max_value_id_bytes = 64;      // SHA-256: 32
  size_t max_votes = 1000;             // precommits in one commit (validators are <= 100)
  int32_t max_round = 1 << 20;
};

// The parts, also used by the stored safety record.
void EncodeValue(const consensus::Value& value, v1::ConsensusValue* out);
void EncodeVote(const consensus::Vote& vote, v1::VoteProto* out);

v1::ConsensusMessage EncodeConsensusMessage(const consensus::Message& message);
// Invalid (naming the field) when the message is empty, oversized or malformed.
Result<consensus::Message> DecodeConsensusMessage(const v1::ConsensusMessage& message,
                                                  const CodecLimits& limits = {});

// A core certificate as stored beside its block: validator indices become ids (`validator_ids`
// in consensus order).
v1::CommitCertificate EncodeCertificate(const consensus::Certificate& certificate,
                                        const std::vector<std::string>& validator_ids);
// Checking one: commit_certificate.h.

}  // namespace jejak::ledger
