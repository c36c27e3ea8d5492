// jejakd: a Jejak node. `jejakd --home DIR` reads DIR/config.toml and DIR/genesis.json, opens the
// store in the configured data directory, serves the ledger service and orders blocks. SIGTERM or
// SIGINT stop it cleanly: in-flight requests finish or fail, the store is closed.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <spdlog/spdlog.h>

#include "node/daemon/config.h"
#include "node/daemon/node.h"
#include "node/net/ledger_service.h"

namespace {

constexpr int kMaxServerThreads = 64;

constexpr const char* kUsage =
    "usage: jejakd --home DIR\n"
    "  Runs the Jejak node whose configuration is DIR/config.toml (see `jejak init`).\n";

int Fail(const jejak::Status& status) {
  spdlog::error("{}", status.message());
  return status.IsInputFault() ? 1 : 2;
}

// Blocks SIGINT/SIGTERM in every thread; main waits for them with sigwait.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int main(int argc, char** argv) {
  std::string home;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--home") == 0 && i + 1 < argc) {
      home = argv[++i];
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "jejakd: unknown argument '%s'\n%s", argv[i], kUsage);
      return 1;
    }
  }
  if (home.empty()) {
    std::fputs(kUsage, stderr);
    return 1;
  }
  sigset_t stop_signals = BlockStopSignals();
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);

  jejak::Result<jejak::daemon::NodeConfig> config = jejak::daemon::LoadNodeConfig(home);
  if (!config.ok()) return Fail(config.status());
  spdlog::set_level(spdlog::level::from_str(config->log_level));  // checked by the config
  jejak::Result<std::unique_ptr<jejak::daemon::Node>> node = jejak::daemon::Node::Open(*config);
  if (!node.ok()) return Fail(node.status());
  jejak::Status started = (*node)->Start();
  if (!started.ok()) return Fail(started);

  jejak::net::LedgerServiceImpl service(**node);
  grpc::ServerBuilder builder;
  int bound_port = 0;
  // Without this, Linux lets a second jejakd bind the same port and share its connections.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(config->ledger_listen, grpc::InsecureServerCredentials(), &bound_port);
  // Each SubmitEvents holds a thread while it waits for its commit: bound them. Past the bound
  // gRPC answers RESOURCE_EXHAUSTED (clients retry) instead of starting more threads.
  grpc::ResourceQuota quota("jejakd");
  quota.SetMaxThreads(kMaxServerThreads);
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(static_cast<int>(config->limits.max_request_bytes));
  builder.SetMaxSendMessageSize(64 << 20);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || bound_port == 0) {
    (*node)->Stop();
    return Fail(jejak::Status::Unavailable("cannot listen on " + config->ledger_listen +
                                           " (address in use?)"));
  }
  std::string host = config->ledger_listen.substr(0, config->ledger_listen.rfind(':'));
  spdlog::info("node {} of chain {} at height {}: ledger service on {}:{}", config->node_id,
               (*node)->genesis().chain_id, (*node)->store().head_height(), host, bound_port);

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("{} received: stopping", strsignal(received));
  (*node)->Stop();  // wakes waiting SubmitEvents calls first, so the server can drain
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  spdlog::info("stopped at height {}", (*node)->store().head_height());
  return 0;
}
