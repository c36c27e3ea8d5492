// The inbound side of PeerNetwork (internal): PeerService.Exchange, one handler per stream,
// delivering each message to the inbox under the sender's pinned validator id.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "jejak/v1/peer_service.grpc.pb.h"
#include "node/replica/ports.h"
#include "node/net/peer_tls.h"

namespace jejak::net {

// Metadata every Exchange stream carries: the sender's genesis hash (64 lower-case hex digits).
// A stream with another genesis (or none) is refused before any message is read.
inline constexpr const char* kGenesisHashMetadata = "jejak-genesis-sha256";

class PeerServiceImpl final : public v1::PeerService::Service {
 public:
  PeerServiceImpl(std::string own_validator_id, PinSet pins, std::string genesis_hash_hex,
                  replica::PeerInbox& inbox)
      : own_validator_id_(std::move(own_validator_id)),
        pins_(std::move(pins)),
        genesis_hash_hex_(std::move(genesis_hash_hex)),
        inbox_(inbox) {}

  grpc::Status Exchange(grpc::ServerContext* context, grpc::ServerReader<v1::PeerMessage>* reader,
                        v1::PeerStreamEnd* response) override;

  uint64_t received() const { return received_.load(); }
  uint64_t refused_genesis() const { return refused_genesis_.load(); }

 private:
  const std::string own_validator_id_;
  const PinSet pins_;
  const std::string genesis_hash_hex_;
  replica::PeerInbox& inbox_;
  std::atomic<uint64_t> received_{0};
  std::atomic<uint64_t> refused_genesis_{0};
};

}  // namespace jejak::net
