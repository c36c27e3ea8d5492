// TEST ONLY. A replica::PeerTransport decorator that makes its validator Byzantine, for the fault tests
// (tests/integration/network_faults_test.cc). Built only into the test executable
// jejakd_byzantine (jejakd_byzantine_main.cc: the server with this decorator), never into jejakd.
//
// What it does, on top of the real transport:
// - Equivocation: when its node broadcasts a proposal, the second half of the peers (by id) first
//   receive a DIFFERENT, validly signed proposal for the same height and round (the same block
//   with its time moved by 1 ms, so another block hash), then the real one: every peer of that
//   half holds two conflicting signed proposals, which is evidence.
// - Invalid signatures: every third vote it sends carries a corrupted signature.
// Everything it does is logged with the word "byzantine", so a test can tell it acted.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "node/crypto/ed25519.h"
#include "node/replica/ports.h"

namespace jejak::byzantine {

class ByzantineTransport final : public replica::PeerTransport {
 public:
  // `peers`: the other validators' ids; `node_key`: this validator's key (signs the forgeries).
  ByzantineTransport(replica::PeerTransport& inner, std::string chain_id, std::vector<std::string> peers,
                     crypto::PrivateKey node_key);
  void Send(const std::optional<std::string>& to_validator_id,
            const v1::PeerMessage& message) override;

 private:
  // The same proposal for another block, signed; nullopt if the value is not a block.
  std::optional<v1::PeerMessage> Forge(const v1::ProposalProto& proposal) const;
  void SendToEach(const std::vector<std::string>& peers, const v1::PeerMessage& message);

  replica::PeerTransport& inner_;
  std::string chain_id_;
  std::vector<std::string> peers_;  // sorted
  crypto::PrivateKey node_key_;
  std::atomic<uint64_t> votes_sent_{0};
};

}  // namespace jejak::byzantine

