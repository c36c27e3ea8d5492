// The ledger service's server: gRPC on a private Unix socket behind the connection gate, which
// alone faces the network (see connection_gate.h for why).
//
//   LedgerServer server;
//   Result<int> port = server.Start(service, options);   // the gate's bound TCP port
//   ...
//   server.Shutdown(5000);                               // also in the destructor
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "node/base/status.h"
#include "node/net/connection_gate.h"

namespace grpc {
class Server;
class ServerCredentials;
class Service;
}  // namespace grpc

namespace jejak::net {

struct LedgerServerOptions {
  std::string listen_address;  // host:port, the public address
  std::shared_ptr<grpc::ServerCredentials> credentials;
  uint32_t max_request_bytes = 8 << 20;
  uint32_t max_response_bytes = 64 << 20;
  int max_threads = 64;  // past it gRPC answers RESOURCE_EXHAUSTED instead of starting more
  // Bounds of the gate; listen_address and backend_unix_path are filled in by Start. Lowered
  // (with a warning) when the process's descriptor limit cannot hold them besides reserve_fds.
  ConnectionGateOptions gate;
  uint64_t reserve_fds = 1024;  // descriptors kept for the node's own files and peers
};

class LedgerServer {
 public:
  LedgerServer();
  ~LedgerServer();
  LedgerServer(const LedgerServer&) = delete;
  LedgerServer& operator=(const LedgerServer&) = delete;

  // Serves `service` (which must outlive Shutdown). Returns the public port; Unavailable if the
  // address is taken, Invalid if the descriptor limit leaves no room for clients. Call once.
  Result<int> Start(grpc::Service* service, LedgerServerOptions options);
  // Stops accepting, lets calls in progress finish until the deadline, closes every connection.
  // Idempotent.
  void Shutdown(uint32_t deadline_ms);

  ConnectionGateStats GateStats() const { return gate_.Stats(); }
  uint32_t max_connections() const { return max_connections_; }

 private:
  ConnectionGate gate_;
  std::unique_ptr<grpc::Server> server_;
  std::string socket_dir_;  // private (0700) directory holding the gRPC server's socket
  uint32_t max_connections_ = 0;
};

}  // namespace jejak::net
