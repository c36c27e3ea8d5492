// The peer network of a validator (replica::PeerTransport over gRPC PeerService with mutual TLS).
//
//   PeerNetwork network;
//   Result<int> port = network.Start({.listen_address = config.peer_listen,
//                                     .own_validator_id = config.node_id,
//                                     .genesis = genesis,
//                                     .identity = *LoadTlsIdentityFiles(home + "/tls/node.crt",
//                                                                       home + "/tls/node.key")},
//                                    inbox);     // replica::PeerInbox&, must outlive Stop()
//   network.Send(std::nullopt, message);         // every other validator; or one by id
//   network.Stop();                              // also in the destructor; idempotent
//
// Serves PeerService on listen_address; incoming streams are accepted only from certificates
// pinned in the genesis and carrying the same genesis hash (kGenesisHashMetadata), and each message goes to inbox.OnPeerMessage(sender id, message) on a
// gRPC thread (messages from our own certificate are dropped). For every other validator one
// sender thread dials its genesis `address`, opens one Exchange stream and writes its bounded
// queue (full: the oldest message is dropped and counted); on failure it redials with
// exponential backoff and jitter, logging only changes of state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jejak/v1/peer_service.pb.h"
#include "node/base/status.h"
#include "node/crypto/tls_identity.h"
#include "node/replica/ports.h"
#include "node/ledger/genesis.h"

namespace jejak::net {

struct PeerNetworkOptions {
  uint32_t max_queue_messages = 4096;  // per peer
  uint32_t backoff_min_ms = 50;
  uint32_t backoff_max_ms = 2000;
  uint32_t connect_timeout_ms = 5000;     // one dial (TCP + TLS handshake)
  uint32_t max_message_bytes = 16 << 20;  // bigger messages are dropped (sent or received)
  uint64_t jitter_seed = 0;               // 0: derived from the validator ids
};

struct PeerNetworkConfig {
  std::string listen_address;    // host:port; port 0 picks a free one (see Start's result)
  std::string own_validator_id;  // must be a genesis validator whose pin is identity's cert
  ledger::Genesis genesis;
  crypto::TlsIdentity identity;
  PeerNetworkOptions options;
};

struct PeerStats {
  std::string validator_id;
  bool connected = false;  // a stream is open to it (as far as we know)
  uint64_t sent = 0;       // messages written to a stream
  uint64_t dropped = 0;    // dropped: queue full, too big, or lost with a broken stream
  uint64_t queued = 0;
  uint64_t connects = 0;  // streams opened
};

struct PeerNetworkStats {
  std::vector<PeerStats> peers;     // by validator id
  uint64_t received = 0;            // messages handed to the inbox
  uint64_t refused_handshakes = 0;  // incoming connections with a certificate not pinned
  uint64_t refused_servers = 0;     // peers we dialled that presented another certificate
  uint64_t refused_genesis = 0;     // incoming streams from validators with another genesis
};

class PeerNetwork final : public replica::PeerTransport {
 public:
  PeerNetwork();
  ~PeerNetwork() override;
  PeerNetwork(const PeerNetwork&) = delete;
  PeerNetwork& operator=(const PeerNetwork&) = delete;

  // Binds, serves and starts the senders; returns the bound port. Invalid for a bad config (own
  // id not a validator, certificate not the pinned one, bad options); Unavailable if it cannot
  // bind. Call once.
  Result<int> Start(PeerNetworkConfig config, replica::PeerInbox& inbox);
  // Closes the server and every stream, joins every thread. Never waits for a peer, but does wait
  // for inbox calls in progress to return. Idempotent.
  void Stop();

  // replica::PeerTransport. Unknown ids and our own id are ignored. Never blocks on the network.
  void Send(const std::optional<std::string>& to_validator_id,
            const v1::PeerMessage& message) override;
  std::vector<std::string> ConnectedPeers() const override;

  PeerNetworkStats Stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jejak::net
