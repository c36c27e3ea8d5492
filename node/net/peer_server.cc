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
