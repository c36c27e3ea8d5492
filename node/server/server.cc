#include "node/server/server.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <grpc/support/log.h>
#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include "node/crypto/hex.h"
#include "node/config/config.h"
#include "node/daemon/node.h"
#include "node/net/block_sync_client.h"
#include "node/net/ledger_server.h"
#include "node/net/ledger_service.h"
#include "node/net/peer_network.h"
#include "node/net/peer_tls.h"

namespace {

// Each SubmitEvents holds a thread while it waits for its commit: bound them. Past the bound
// gRPC answers RESOURCE_EXHAUSTED (clients retry) instead of starting more threads.
constexpr int kMaxServerThreads = 64;
// Descriptors kept for everything but client connections: RocksDB's files (Store's
// max_open_files, 256), WAL and logs, peer streams, gRPC's own.
constexpr uint64_t kReservedDescriptors = 1024;

constexpr const char* kUsage =
    "usage: jejakd --home DIR [--repair]\n"
    "  Runs the Jejak node whose configuration is DIR/config.toml (see `jejak init`).\n"
    "  --repair  open a store whose write-ahead log is damaged: keep every block before the damage\n"
    "            (logged) and fetch the later ones from the [block_sync] sources.\n";

int Fail(const jejak::Status& status) {
  spdlog::error("{}", status.message());
  return status.IsInputFault() ? 1 : 2;
}

std::string HostOf(const std::string& address) { return address.substr(0, address.rfind(':')); }

// What the node sends through, and what owns the connections behind it.
struct PeerTransport {
  std::unique_ptr<jejak::net::PeerNetwork> network;
  // The node sends through this: the network itself, or a decorator around it (tests).
  jejak::replica::PeerTransport* transport = nullptr;
  std::unique_ptr<jejak::replica::PeerTransport> decorator;
};

// The peer service of a validator of a multi-validator chain, serving on [peer_service] listen
// and delivering to `inbox`. The one place the transport is made, and `decorate` wraps it.
jejak::Result<PeerTransport> StartPeerTransport(const jejak::config::NodeConfig& config,
                                                const jejak::ledger::Genesis& genesis,
                                                jejak::replica::PeerInbox& inbox,
                                                const jejak::server::TransportDecorator& decorate) {
  if (config.peer_listen.empty()) {
    return jejak::Status::Invalid("config: chain " + genesis.chain_id + " has " +
                                  std::to_string(genesis.validators.size()) +
                                  " validators: [peer_service] listen is needed to reach them");
  }
  jejak::Result<jejak::crypto::TlsIdentity> identity =
      jejak::net::LoadTlsIdentityFiles(config.tls_cert_path, config.tls_key_path);
  if (!identity.ok()) return identity.status().WithContext("peer service TLS identity");
  PeerTransport out;
  out.network = std::make_unique<jejak::net::PeerNetwork>();
  jejak::net::PeerNetworkConfig network_config{config.peer_listen, config.node_id, genesis,
                                               std::move(*identity), {}};
  jejak::Result<int> port = out.network->Start(std::move(network_config), inbox);
  if (!port.ok()) return port.status().WithContext("peer service on " + config.peer_listen);
  spdlog::info("peer service on {}:{}", HostOf(config.peer_listen), *port);
  out.transport = out.network.get();
  if (decorate) {
    jejak::Result<std::unique_ptr<jejak::replica::PeerTransport>> decorator =
        decorate(*out.network, config, genesis);
    if (!decorator.ok()) return decorator.status();
    out.decorator = std::move(*decorator);
    out.transport = out.decorator.get();
  }
  return out;
}

// How clients reach the ledger service: plaintext, or with [ledger_service] tls the node's TLS
// identity (clients pin its certificate). `description` says which, for the start-up line.
jejak::Result<std::shared_ptr<grpc::ServerCredentials>> LedgerCredentials(
    const jejak::config::NodeConfig& config, std::string* description) {
  if (!config.ledger_tls) {
    *description = "plaintext";
    return grpc::InsecureServerCredentials();
  }
  jejak::Result<jejak::crypto::TlsIdentity> identity =
      jejak::net::LoadTlsIdentityFiles(config.tls_cert_path, config.tls_key_path);
  if (!identity.ok()) return identity.status().WithContext("[ledger_service] tls: the node's TLS identity");
  jejak::Result<std::string> fingerprint = jejak::crypto::CertificateFingerprint(identity->certificate_pem);
  if (!fingerprint.ok()) return fingerprint.status().WithContext(config.tls_cert_path);
  *description = "TLS, certificate sha256 " + jejak::net::FingerprintHex(*fingerprint);
  return jejak::net::LedgerServerCredentials(*identity);
}

// The ledger server's bounds from the config. The reserve covers RocksDB's open files, the peer
// streams and the node's logs.
jejak::net::LedgerServerOptions LedgerServerOptions(const jejak::config::NodeConfig& config,
                                                    std::shared_ptr<grpc::ServerCredentials> credentials) {
  jejak::net::LedgerServerOptions options;
  options.listen_address = config.ledger_listen;
  options.credentials = std::move(credentials);
  options.max_request_bytes = config.limits.max_request_bytes;
  options.max_threads = kMaxServerThreads;
  options.gate.max_connections = config.client_connections.max_connections;
  options.gate.max_connections_per_client = config.client_connections.max_connections_per_client;
  options.gate.first_byte_timeout_ms = config.client_connections.first_byte_timeout_ms;
  options.gate.idle_timeout_ms = config.client_connections.idle_timeout_ms;
  options.reserve_fds = kReservedDescriptors;
  return options;
}

// [block_sync] sources as the sync client reaches them (the config checked the pins' form).
jejak::Result<std::vector<jejak::net::LedgerEndpoint>> BlockSyncEndpoints(
    const jejak::config::BlockSyncConfig& sync) {
  std::vector<jejak::net::LedgerEndpoint> endpoints;
  for (const jejak::config::BlockSyncSource& source : sync.sources) {
    jejak::net::LedgerEndpoint endpoint{source.address, ""};
    if (!source.tls_cert_sha256_hex.empty()) {
      jejak::Result<std::string> pin = jejak::net::ParseFingerprintHex(
          source.tls_cert_sha256_hex, "config: [block_sync] tls_cert_sha256 of " + source.address);
      if (!pin.ok()) return pin.status();
      endpoint.tls_fingerprint = std::move(*pin);
    }
    endpoints.push_back(std::move(endpoint));
  }
  return endpoints;
}

// gRPC's own log lines go through spdlog, so the node's log has one format. Certificates are
// pinned, never matched to host names, so gRPC's complaint that a name does not match is noise.
void ForwardGrpcLog(gpr_log_func_args* args) {
  const std::string_view message = args->message;
  if (message.find("No match found for server name") != std::string_view::npos) {
    spdlog::debug("grpc: {}", message);
  } else if (args->severity == GPR_LOG_SEVERITY_ERROR) {
    spdlog::warn("grpc: {}", message);
  } else {
    spdlog::debug("grpc: {}", message);
  }
}

// [node] role must match the genesis (issue 12: a mistyped validator id ran as an observer).
jejak::Status CheckRole(const jejak::config::NodeConfig& config, const jejak::ledger::Genesis& genesis) {
  std::vector<std::string> validator_ids;
  for (const jejak::ledger::Validator& v : genesis.validators) validator_ids.push_back(v.id);
  return jejak::config::CheckNodeRole(config, genesis.chain_id, validator_ids);
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

namespace jejak::server {

int RunJejakd(int argc, char** argv, const TransportDecorator& decorate) {
  std::string home;
  jejak::daemon::OpenOptions open_options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--home") == 0 && i + 1 < argc) {
      home = argv[++i];
    } else if (std::strcmp(argv[i], "--repair") == 0) {
      open_options.repair = true;
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
  gpr_set_log_function(ForwardGrpcLog);

  jejak::Result<jejak::config::NodeConfig> config = jejak::config::LoadNodeConfig(home);
  if (!config.ok()) return Fail(config.status());
  spdlog::set_level(spdlog::level::from_str(config->log_level));  // checked by the config
  jejak::Result<std::unique_ptr<jejak::daemon::Node>> node = jejak::daemon::Node::Open(*config, open_options);
  if (!node.ok()) return Fail(node.status());
  if (jejak::Status role = CheckRole(*config, (*node)->genesis()); !role.ok()) return Fail(role);
  // Declared after the node, so destroyed before it: nothing delivers to a node that is gone.
  PeerTransport peers;
  std::unique_ptr<jejak::net::BlockSyncClient> block_source;
  if (!config->block_sync.sources.empty()) {
    jejak::Result<std::vector<jejak::net::LedgerEndpoint>> sources = BlockSyncEndpoints(config->block_sync);
    if (!sources.ok()) return Fail(sources.status());
    jejak::net::BlockSyncOptions sync_options;
    sync_options.chain_id = (*node)->genesis().chain_id;
    sync_options.genesis_hash = (*node)->genesis_hash();  // a source of another chain is left out
    block_source = std::make_unique<jejak::net::BlockSyncClient>(*sources, sync_options);
  }
  std::string ledger_security;
  jejak::Result<std::shared_ptr<grpc::ServerCredentials>> ledger_credentials =
      LedgerCredentials(*config, &ledger_security);
  if (!ledger_credentials.ok()) return Fail(ledger_credentials.status());
  if ((*node)->is_validator() && (*node)->genesis().validators.size() > 1) {
    jejak::Result<PeerTransport> started = StartPeerTransport(*config, (*node)->genesis(), **node, decorate);
    if (!started.ok()) return Fail(started.status());
    peers = std::move(*started);
  }
  (*node)->AttachNetwork(peers.transport, block_source.get());
  jejak::Status started = (*node)->Start();
  if (!started.ok()) return Fail(started);

  jejak::net::LedgerServiceImpl service(**node);
  jejak::net::LedgerServer server;
  jejak::Result<int> bound_port = server.Start(&service, LedgerServerOptions(*config, *ledger_credentials));
  if (!bound_port.ok()) {
    (*node)->Stop();
    if (peers.network) peers.network->Stop();
    return Fail(bound_port.status().WithContext("ledger service"));
  }
  spdlog::info("{} {} of chain {} (genesis {}) at height {}: ledger service on {}:{} ({})",
               (*node)->is_validator() ? "node" : "observer node", config->node_id,
               (*node)->genesis().chain_id, jejak::crypto::ToHex((*node)->genesis_hash()),
               (*node)->store().head_height(),
               HostOf(config->ledger_listen), *bound_port, ledger_security);
  spdlog::info("ledger service admits at most {} client connections, {} per client address",
               server.max_connections(), config->client_connections.max_connections_per_client);

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("{} received: stopping", strsignal(received));
  (*node)->Stop();  // wakes waiting SubmitEvents calls first, so the server can drain
  if (peers.network) peers.network->Stop();
  server.Shutdown(5000);
  spdlog::info("stopped at height {}", (*node)->store().head_height());
  return 0;
}

}  // namespace jejak::server
