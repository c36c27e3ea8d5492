// The node's ports, in the manner of Bitcoin Core's src/interfaces/: how a node reaches the rest
// of the network, and what the ledger service asks of the node. The node (node/daemon) implements
// LedgerFrontend and PeerInbox; node/net implements the rest over gRPC (peer_network.h:
// mutual-TLS streams between validators; block_sync_client.h: blocks from other nodes' ledger
// services) and serves LedgerFrontend (ledger_service.h). Unit tests connect nodes in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jejak/v1/block.pb.h"
#include "jejak/v1/peer_service.pb.h"
#include "node/base/status.h"
#include "node/ledger/chain_reader.h"
#include "node/ledger/genesis.h"

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

// What became of one submitted event.
struct SubmitOutcome {
  std::string event_id;
  uint64_t height = 0;
  bool already_committed = false;
};

// What the ledger service asks of the node: submission, a consistent view of the chain, and the
// node's identity and status. Called from the service's threads.
class LedgerFrontend {
 public:
  virtual ~LedgerFrontend() = default;
  // Checks every event (decoding, signature, ledger rules in order against the current state),
  // queues them, and waits until each is committed or the deadline passes. All or nothing at the
  // check: if any event is refused, none is queued and the error names its index.
  virtual Result<std::vector<SubmitOutcome>> Submit(const std::vector<v1::SignedEvent>& events,
                                                    std::chrono::steady_clock::time_point deadline) = 0;
  // The chain as of the current head, unaffected by later commits.
  virtual Result<std::unique_ptr<ledger::ChainReader>> Snapshot() const = 0;
  virtual uint64_t head_height() const = 0;
  // Blocks until the head is above `height` or the deadline passes; returns the head.
  virtual uint64_t WaitForHeightAbove(uint64_t height, std::chrono::steady_clock::time_point deadline) = 0;
  virtual bool stopping() const = 0;
  virtual bool is_validator() const = 0;
  // The validators this one has an open peer stream to (none for an observer).
  virtual std::vector<std::string> ConnectedPeers() const = 0;
  virtual const ledger::Genesis& genesis() const = 0;
  // ledger::GenesisHash of genesis(): raw 32 bytes.
  virtual const std::string& genesis_hash() const = 0;
  virtual const std::string& node_id() const = 0;
};

}  // namespace jejak::replica
