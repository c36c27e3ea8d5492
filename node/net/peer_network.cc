#include "node/net/peer_network.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

#include "node/net/peer_sender.h"
#include "node/net/peer_server.h"
#include "node/net/peer_tls.h"
#include "node/crypto/hex.h"

namespace jejak::net {
namespace {

constexpr uint32_t kMaxQueueMessagesBound = 1'000'000;
constexpr uint32_t kMaxBackoffBoundMs = 10 * 60 * 1000;
constexpr uint32_t kMinMessageBytes = 1024;
constexpr uint32_t kMaxMessageBytesBound = 64u << 20;

// FNV-1a: a seed that is the same on every platform (std::hash is not).
uint64_t Fnv1a(const std::string& text) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

Status CheckOptions(const PeerNetworkOptions& o) {
  if (o.max_queue_messages == 0 || o.max_queue_messages > kMaxQueueMessagesBound) {
    return Status::Invalid("peer network: max_queue_messages must be in 1.." +
                           std::to_string(kMaxQueueMessagesBound));
  }
  if (o.backoff_min_ms == 0 || o.backoff_max_ms < o.backoff_min_ms ||
      o.backoff_max_ms > kMaxBackoffBoundMs) {
    return Status::Invalid("peer network: need 1 <= backoff_min_ms <= backoff_max_ms <= " +
                           std::to_string(kMaxBackoffBoundMs));
  }
  if (o.connect_timeout_ms == 0 || o.connect_timeout_ms > kMaxBackoffBoundMs) {
    return Status::Invalid("peer network: connect_timeout_ms must be in 1.." +
                           std::to_string(kMaxBackoffBoundMs));
  }
  if (o.max_message_bytes < kMinMessageBytes || o.max_message_bytes > kMaxMessageBytesBound) {
    return Status::Invalid("peer network: max_message_bytes must be in " +
                           std::to_string(kMinMessageBytes) + ".." +
                           std::to_string(kMaxMessageBytesBound));
  }
  return Status::Ok();
}

// Our own certificate must be the one the genesis pins for our id, or every peer refuses us.
Status CheckOwnIdentity(const PeerNetworkConfig& config) {
  const ledger::Validator* own = nullptr;
  for (const ledger::Validator& v : config.genesis.validators) {
    if (v.id == config.own_validator_id) own = &v;
  }
  if (own == nullptr) {
    return Status::Invalid("peer network: '" + config.own_validator_id +
                           "' is not a validator in the genesis");
  }
  Result<std::string> fingerprint = crypto::CertificateFingerprint(config.identity.certificate_pem);
  if (!fingerprint.ok()) {
    return Status::Invalid("peer network: our TLS certificate: " + fingerprint.status().message());
  }
  if (*fingerprint != own->tls_cert_sha256) {
    return Status::Invalid("peer network: our TLS certificate (sha256 " +
                           FingerprintHex(*fingerprint) +
                           ") is not the one the genesis pins for '" + own->id + "' (" +
                           FingerprintHex(own->tls_cert_sha256) + ")");
  }
  return Status::Ok();
}

}  // namespace

class PeerNetwork::Impl {
 public:
  Result<int> Start(PeerNetworkConfig config, replica::PeerInbox& inbox);
  void Stop();
  void Send(const std::optional<std::string>& to, const v1::PeerMessage& message);
  PeerNetworkStats Stats() const;

 private:
  Result<int> StartServer(const PeerNetworkConfig& config, replica::PeerInbox& inbox);
  void StartSenders(const PeerNetworkConfig& config);

  std::mutex mutex_;  // Start and Stop
  bool started_ = false;
  bool stopped_ = false;
  std::string own_id_;
  std::string genesis_hash_hex_;
  uint32_t max_message_bytes_ = 0;
  std::shared_ptr<TlsCounters> server_counters_ = std::make_shared<TlsCounters>();
  std::shared_ptr<TlsCounters> client_counters_ = std::make_shared<TlsCounters>();
  std::unique_ptr<PeerServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  // Fixed once Start returns, so Send reads it without a lock.
  std::map<std::string, std::unique_ptr<PeerSender>> senders_;
  std::atomic<bool> running_{false};
  std::atomic<bool> logged_too_big_{false};
};

Result<int> PeerNetwork::Impl::Start(PeerNetworkConfig config, replica::PeerInbox& inbox) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_) return Status::Internal("peer network: Start called twice");
  JEJAK_RETURN_IF_ERROR(CheckOptions(config.options));
  JEJAK_RETURN_IF_ERROR(CheckOwnIdentity(config));
  own_id_ = config.own_validator_id;
  genesis_hash_hex_ = crypto::ToHex(ledger::GenesisHash(config.genesis));
  max_message_bytes_ = config.options.max_message_bytes;
  Result<int> port = StartServer(config, inbox);
  if (!port.ok()) return port.status();
  StartSenders(config);
  started_ = true;
  running_ = true;
  spdlog::info("peer network: {} listening on {} (port {}), {} peers", own_id_,
               config.listen_address, *port, senders_.size());
  return port;
}

Result<int> PeerNetwork::Impl::StartServer(const PeerNetworkConfig& config,
                                           replica::PeerInbox& inbox) {
  PinSet pins = PinsFromGenesis(config.genesis);
  service_ = std::make_unique<PeerServiceImpl>(config.own_validator_id, pins, genesis_hash_hex_, inbox);
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(static_cast<int>(config.options.max_message_bytes));
  // Senders ping every 10 s on otherwise quiet streams (peer_sender.cc): allow it, never strike.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 5000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // One handler thread per open stream (one per other validator), plus room for redials.
  grpc::ResourceQuota quota("jejak-peer-service");
  quota.SetMaxThreads(static_cast<int>(2 * config.genesis.validators.size() + 8));
  builder.SetResourceQuota(quota);
  int port = 0;
  builder.AddListeningPort(config.listen_address,
                           PeerServerCredentials(config.identity, pins, server_counters_), &port);
  builder.RegisterService(service_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) {
    server_.reset();
    return Status::Unavailable("peer network: cannot listen on " + config.listen_address);
  }
  return port;
}

void PeerNetwork::Impl::StartSenders(const PeerNetworkConfig& config) {
  const uint64_t seed =
      config.options.jitter_seed != 0 ? config.options.jitter_seed : Fnv1a(config.own_validator_id);
  for (const ledger::Validator& peer : config.genesis.validators) {
    if (peer.id == config.own_validator_id) continue;
    auto credentials =
        PeerChannelCredentials(config.identity, peer.tls_cert_sha256, peer.id, client_counters_);
    auto sender = std::make_unique<PeerSender>(peer, std::move(credentials), genesis_hash_hex_, config.options,
                                               seed ^ Fnv1a(peer.id));
    sender->Start();
    senders_.emplace(peer.id, std::move(sender));
  }
}

void PeerNetwork::Impl::Stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!started_ || stopped_) return;
  stopped_ = true;
  running_ = false;
  // Every sender is told first, so their last dial slices run out together, not one after another.
  for (auto& [id, sender] : senders_) sender->RequestStop();
  for (auto& [id, sender] : senders_) sender->Stop();
  // A deadline already passed: cancel every open stream now rather than wait for peers.
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
  spdlog::info("peer network: {} stopped", own_id_);
}

void PeerNetwork::Impl::Send(const std::optional<std::string>& to, const v1::PeerMessage& message) {
  if (!running_.load()) return;
  const bool too_big = message.ByteSizeLong() > max_message_bytes_;
  if (too_big && !logged_too_big_.exchange(true)) {
    spdlog::warn("peer network: dropped a message of {} bytes (limit {})", message.ByteSizeLong(),
                 max_message_bytes_);
  }
  auto shared = too_big ? nullptr : std::make_shared<const v1::PeerMessage>(message);
  for (auto& [id, sender] : senders_) {
    if (to.has_value() && *to != id) continue;
    if (too_big) {
      sender->CountDropped();
    } else {
      sender->Enqueue(shared);
    }
  }
}

PeerNetworkStats PeerNetwork::Impl::Stats() const {
  PeerNetworkStats stats;
  for (const auto& [id, sender] : senders_) stats.peers.push_back(sender->Stats());
  stats.received = service_ ? service_->received() : 0;
  stats.refused_handshakes = server_counters_->refused.load();
  stats.refused_servers = client_counters_->refused.load();
  stats.refused_genesis = service_ ? service_->refused_genesis() : 0;
  return stats;
}

std::vector<std::string> PeerNetwork::ConnectedPeers() const {
  std::vector<std::string> connected;
  for (const PeerStats& peer : Stats().peers) {
    if (peer.connected) connected.push_back(peer.validator_id);
  }
  std::sort(connected.begin(), connected.end());
  return connected;
}

PeerNetwork::PeerNetwork() : impl_(std::make_unique<Impl>()) {}
PeerNetwork::~PeerNetwork() { Stop(); }

Result<int> PeerNetwork::Start(PeerNetworkConfig config, replica::PeerInbox& inbox) {
  return impl_->Start(std::move(config), inbox);
}
void PeerNetwork::Stop() { impl_->Stop(); }
void PeerNetwork::Send(const std::optional<std::string>& to_validator_id,
                       const v1::PeerMessage& message) {
  impl_->Send(to_validator_id, message);
}
PeerNetworkStats PeerNetwork::Stats() const { return impl_->Stats(); }

}  // namespace jejak::net
