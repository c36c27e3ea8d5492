#include "node/net/ledger_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace jejak::net {
namespace {

// Also the keepalive interval on live calls (so a long subscription is never idle to the gate).
uint32_t KeepaliveMs(uint32_t idle_timeout_ms) { return std::max<uint32_t>(idle_timeout_ms / 4, 100); }

Result<std::string> MakePrivateDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "jejakd-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::Unavailable("cannot create a private directory for the ledger service's socket in " +
                               std::filesystem::temp_directory_path().string());
  }
  return pattern;
}

}  // namespace

LedgerServer::LedgerServer() = default;
LedgerServer::~LedgerServer() { Shutdown(0); }

Result<int> LedgerServer::Start(grpc::Service* service, LedgerServerOptions options) {
  Result<uint64_t> fd_limit = RaiseDescriptorLimit();
  if (!fd_limit.ok()) return fd_limit.status();
  uint32_t room = MaxGateConnectionsFor(*fd_limit, options.reserve_fds);
  if (room < 16) {
    return Status::Invalid("the descriptor limit (ulimit -n) is " + std::to_string(*fd_limit) +
                           ": too low to serve clients besides the node's own " +
                           std::to_string(options.reserve_fds) + " files; raise it to at least " +
                           std::to_string(options.reserve_fds + 16 * 3));
  }
  if (options.gate.max_connections > room) {
    spdlog::warn("ledger service: at most {} client connections (not {}): the descriptor limit "
                 "(ulimit -n) is {}",
                 room, options.gate.max_connections, *fd_limit);
    options.gate.max_connections = room;
  }
  max_connections_ = options.gate.max_connections;

  Result<std::string> dir = MakePrivateDirectory();
  if (!dir.ok()) return dir.status();
  socket_dir_ = *dir;
  std::string socket_path = socket_dir_ + "/ledger.sock";

  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path, options.credentials);
  grpc::ResourceQuota quota("jejakd-ledger");
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_request_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options.max_response_bytes));
  // gRPC closes connections without calls itself; pings keep live calls moving through the gate.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, static_cast<int>(options.gate.idle_timeout_ms));
  const int keepalive_ms = static_cast<int>(KeepaliveMs(options.gate.idle_timeout_ms));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, keepalive_ms);
  // gRPC stops pinging after two pings without data, and pings at most every 5 minutes without
  // data, by default: a quiet subscription would then look idle to the gate.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_SENT_PING_INTERVAL_WITHOUT_DATA_MS, keepalive_ms);
  builder.RegisterService(service);
  server_ = builder.BuildAndStart();
  if (!server_) {
    Shutdown(0);
    return Status::Unavailable("cannot serve the ledger service on " + socket_path);
  }
  options.gate.listen_address = options.listen_address;
  options.gate.backend_unix_path = socket_path;
  Result<int> port = gate_.Start(options.gate);
  if (!port.ok()) {
    Shutdown(0);
    return port.status();
  }
  return *port;
}

void LedgerServer::Shutdown(uint32_t deadline_ms) {
  // The server first: calls in progress finish and their answers still pass through the gate.
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms));
    server_.reset();
  }
  gate_.Stop();
  if (!socket_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(socket_dir_, ignored);
    socket_dir_.clear();
  }
}

}  // namespace jejak::net
