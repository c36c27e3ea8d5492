#include "node/net/peer_server.h"

#include <spdlog/spdlog.h>

namespace jejak::net {

grpc::Status PeerServiceImpl::Exchange(grpc::ServerContext* context,
                                       grpc::ServerReader<v1::PeerMessage>* reader,
                                       v1::PeerStreamEnd* /*response*/) {
  // The handshake already refused unpinned certificates; this maps the accepted one to its id.
  std::optional<std::string> peer = PeerIdFromAuthContext(*context->auth_context(), pins_);
  if (!peer) {
    spdlog::warn("peer service: a stream without a pinned certificate from {} was refused",
                 context->peer());
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "the connection's certificate is not pinned in the genesis");
  }
  if (*peer == own_validator_id_) {
    spdlog::warn("peer service: refused a stream from our own certificate ({})", context->peer());
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "a validator's stream to itself");
  }
  // Validators with different genesis files are different chains, whatever their ids and keys.
  const auto& metadata = context->client_metadata();
  const auto theirs = metadata.find(kGenesisHashMetadata);
  const std::string their_hash =
      theirs == metadata.end() ? "(none)" : std::string(theirs->second.data(), theirs->second.size());
  if (their_hash != genesis_hash_hex_) {
    refused_genesis_.fetch_add(1);
    const std::string why = "validator " + *peer + " runs genesis " + their_hash + ", this node runs genesis " +
                            genesis_hash_hex_ + ": another chain, refused";
    spdlog::warn("peer service: refused the stream of {} ({}): {}", *peer, context->peer(), why);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "genesis mismatch: " + why);
  }
  spdlog::debug("peer service: stream from {} opened", *peer);
  v1::PeerMessage message;
  // Each message is bounded by the server's max receive size; the stream lasts until the peer
  // or Stop closes it.
  while (reader->Read(&message)) {
    received_.fetch_add(1);
    inbox_.OnPeerMessage(*peer, std::move(message));
    message.Clear();
  }
  spdlog::debug("peer service: stream from {} closed", *peer);
  return grpc::Status::OK;
}

}  // namespace jejak::net
