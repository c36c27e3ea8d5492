// How a node reaches the rest of the network, seen from the node. The gRPC implementations live
// in node/net (peer_network.h: mutual-TLS streams between validators; block_sync_client.h: blocks
// from other nodes' ledger services); unit tests connect several nodes in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jejak/v1/block.pb.h"
#include "jejak/v1/peer_service.pb.h"
#include "node/base/status.h"

namespace jejak::replica {

// Outbound messages to other validators. Never blocks on the network: each peer has a bounded
// send queue; when it is full the oldest message is dropped (consensus re-sends what matters).
class PeerTransport {
 public:
  virtual ~PeerTransport() = default;
  // `to_validator_id`: one validator (by its genesis id); nullopt: every other validator.
  virtual void Send(const std::optional<std::string>& to_validator_id,
                    const v1::PeerMessage& message) = 0;
  // The validators (by id) this node has an open stream to, sorted; for status.
  virtual std::vector<std::string> ConnectedPeers() const { return {}; }
};

// Inbound messages, called from the transport's threads. `from_validator_id` is the validator
// whose pinned TLS certificate the connection presented.
class PeerInbox {
 public:
  virtual ~PeerInbox() = default;
  virtual void OnPeerMessage(const std::string& from_validator_id, v1::PeerMessage message) = 0;
};

// Committed blocks from other nodes, for a node that is behind (restart, partition, observer).
// What it returns is untrusted: the node checks every certificate before applying anything.
class BlockSource {
 public:
  virtual ~BlockSource() = default;
  // The highest head among the reachable sources (Unavailable when none answers).
  virtual Result<uint64_t> BestHeadHeight() = 0;
  // Consecutive blocks from `from_height` (at most `max_blocks`; fewer or none is not an error).
  virtual Result<std::vector<v1::CommittedBlock>> FetchBlocks(uint64_t from_height,
                                                              uint32_t max_blocks) = 0;
  // The node refused a block of the last FetchBlocks answer (its certificate or content does not
  // check): an implementation with several sources should skip the one that sent it for a while.
  virtual void RefuseLastFetch(const std::string& reason) { (void)reason; }
};

}  // namespace jejak::replica
