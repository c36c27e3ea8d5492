// TEST ONLY: see byzantine_transport.h.
#include "tests/integration/byzantine/byzantine_transport.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "consensus/sign_bytes.h"
#include "node/ledger/block.h"

namespace jejak::byzantine {

ByzantineTransport::ByzantineTransport(replica::PeerTransport& inner, std::string chain_id,
                                       std::vector<std::string> peers, crypto::PrivateKey node_key)
    : inner_(inner),
      chain_id_(std::move(chain_id)),
      peers_(std::move(peers)),
      node_key_(std::move(node_key)) {
  std::sort(peers_.begin(), peers_.end());
  spdlog::warn(
      "byzantine: this validator equivocates on its proposals and corrupts some vote signatures");
}

std::optional<v1::PeerMessage> ByzantineTransport::Forge(const v1::ProposalProto& proposal) const {
  v1::Block block;
  if (!block.ParseFromString(proposal.value().bytes())) return std::nullopt;
  block.mutable_header()->set_time_ms(block.header().time_ms() + 1);
  v1::PeerMessage forged;
  v1::ProposalProto* copy = forged.mutable_consensus()->mutable_proposal();
  *copy = proposal;
  copy->mutable_value()->set_id(ledger::BlockHash(block.header()));
  copy->mutable_value()->set_bytes(block.SerializeAsString());
  copy->set_signature(node_key_.Sign(consensus::ProposalSignBytes(
      chain_id_, copy->height(), copy->round(), copy->value().id(), copy->valid_round())));
  return forged;
}

void ByzantineTransport::SendToEach(const std::vector<std::string>& peers,
                                    const v1::PeerMessage& message) {
  for (const std::string& peer : peers) inner_.Send(peer, message);
}

void ByzantineTransport::Send(const std::optional<std::string>& to_validator_id,
                              const v1::PeerMessage& message) {
  if (!message.has_consensus()) return inner_.Send(to_validator_id, message);
  const v1::ConsensusMessage& consensus = message.consensus();
  if (consensus.has_proposal() && !to_validator_id) {
    std::optional<v1::PeerMessage> forged = Forge(consensus.proposal());
    if (forged) {
      std::vector<std::string> second_half(peers_.begin() + static_cast<long>(peers_.size() / 2),
                                           peers_.end());
      spdlog::warn(
          "byzantine: equivocating at height {} round {}: a second proposal to {} of {} peers",
          consensus.proposal().height(), consensus.proposal().round(), second_half.size(),
          peers_.size());
      SendToEach(second_half, *forged);
    }
    return inner_.Send(to_validator_id, message);
  }
  if (consensus.has_vote() && votes_sent_.fetch_add(1) % 3 == 2) {
    v1::PeerMessage corrupted = message;
    std::string* signature = corrupted.mutable_consensus()->mutable_vote()->mutable_signature();
    if (!signature->empty()) (*signature)[0] = static_cast<char>((*signature)[0] ^ 0x5a);
    spdlog::warn("byzantine: corrupted the signature of a vote at height {}",
                 consensus.vote().height());
    return inner_.Send(to_validator_id, corrupted);
  }
  inner_.Send(to_validator_id, message);
}

}  // namespace jejak::byzantine

