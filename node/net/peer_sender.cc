#include "node/net/peer_sender.h"

#include "node/net/peer_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace jejak::net {
namespace {

// How often an idle stream looks at its channel, and how long Stop may wait for a dial to notice.
constexpr std::chrono::milliseconds kPollSlice{100};
// A stream that stayed open this long counts as a connection (logged, backoff reset); one that
// closes sooner is a failed dial, e.g. the peer refusing our certificate after the handshake.
constexpr std::chrono::milliseconds kHealthyStream{1000};
constexpr std::chrono::milliseconds kKeepaliveTime{10'000};
constexpr std::chrono::milliseconds kKeepaliveTimeout{10'000};

}  // namespace

PeerSender::PeerSender(ledger::Validator peer,
                       std::shared_ptr<grpc::ChannelCredentials> credentials,
                       std::string genesis_hash_hex, const PeerNetworkOptions& options,
                       uint64_t jitter_seed)
    : peer_(std::move(peer)),
      credentials_(std::move(credentials)),
      genesis_hash_hex_(std::move(genesis_hash_hex)),
      options_(options),
      jitter_(jitter_seed) {}

PeerSender::~PeerSender() { Stop(); }

void PeerSender::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PeerSender::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    if (active_context_ != nullptr) active_context_->TryCancel();
  }
  wake_.notify_all();
}

void PeerSender::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
}

bool PeerSender::stopping() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

void PeerSender::Enqueue(std::shared_ptr<const v1::PeerMessage> message) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    // Consensus re-sends what still matters, so the newest messages are the ones worth keeping.
    if (queue_.size() >= options_.max_queue_messages) {
      queue_.pop_front();
      ++dropped_;
    }
    queue_.push_back(std::move(message));
  }
  wake_.notify_one();
}

void PeerSender::CountDropped() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++dropped_;
}

PeerStats PeerSender::Stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  PeerStats stats;
  stats.validator_id = peer_.id;
  stats.connected = connected_;
  stats.sent = sent_;
  stats.dropped = dropped_;
  stats.queued = queue_.size();
  stats.connects = connects_;
  return stats;
}

void PeerSender::Run() {
  uint32_t backoff_ms = options_.backoff_min_ms;
  while (!stopping()) {
    bool was_connected = RunStream();
    if (stopping()) break;
    if (was_connected) backoff_ms = options_.backoff_min_ms;
    SleepBackoff(backoff_ms);
    backoff_ms = static_cast<uint32_t>(
        std::min<uint64_t>(options_.backoff_max_ms, uint64_t{backoff_ms} * 2));
  }
}

void PeerSender::SleepBackoff(uint32_t backoff_ms) {
  // Half fixed, half random: peers that lost each other at the same moment do not redial in step.
  std::uniform_int_distribution<uint32_t> spread(0, backoff_ms / 2);
  auto delay = std::chrono::milliseconds(backoff_ms - backoff_ms / 2 + spread(jitter_));
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return stopping_; });
}

bool PeerSender::WaitConnected(grpc::Channel& channel) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.connect_timeout_ms);
  grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) return false;
    if (stopping() || Clock::now() >= deadline) return false;
    // gRPC takes system_clock deadlines; the slice bounds how late a stop is noticed.
    channel.WaitForStateChange(state, std::chrono::system_clock::now() + kPollSlice);
    state = channel.GetState(/*try_to_connect=*/true);
  }
  return true;
}

std::shared_ptr<const v1::PeerMessage> PeerSender::Pop(Clock::time_point until) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_until(lock, until, [this] { return stopping_ || !queue_.empty(); });
  if (stopping_ || queue_.empty()) return nullptr;
  std::shared_ptr<const v1::PeerMessage> message = std::move(queue_.front());
  queue_.pop_front();
  return message;
}

bool PeerSender::RunStream() {
  // A fresh channel per dial, with its own subchannel: our backoff decides when to redial, not
  // a shared subchannel's.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // The name sent in the TLS handshake (SNI): the validator id, the common name `jejak init`
  // gives its certificate. Nothing checks it (the pin does); it only spares the server a
  // "no match for server name" log line per connection.
  args.SetSslTargetNameOverride(peer_.id);
  args.SetMaxSendMessageSize(static_cast<int>(options_.max_message_bytes));
  // Pings find a peer that vanished without closing the connection (a partition, a stopped
  // process) even while we only wait for messages to send; the server permits them.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, static_cast<int>(kKeepaliveTime.count()));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, static_cast<int>(kKeepaliveTimeout.count()));
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(peer_.address, credentials_, args);
  if (!WaitConnected(*channel)) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!logged_unreachable_ && !stopping_) {
      logged_unreachable_ = true;
      spdlog::warn("peer {}: cannot connect to {}; retrying with backoff (up to {} ms)", peer_.id,
                   peer_.address, options_.backoff_max_ms);
    }
    return false;
  }
  std::unique_ptr<v1::PeerService::Stub> stub = v1::PeerService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata(kGenesisHashMetadata, genesis_hash_hex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return false;
    active_context_ = &context;
  }
  v1::PeerStreamEnd end;
  std::unique_ptr<grpc::ClientWriter<v1::PeerMessage>> writer = stub->Exchange(&context, &end);
  const Clock::time_point opened = Clock::now();
  SetConnected(true, "");
  bool healthy = false;
  bool write_failed = false;
  while (!stopping()) {
    if (!healthy && Clock::now() - opened >= kHealthyStream) {
      healthy = true;
      Announce();
    }
    std::shared_ptr<const v1::PeerMessage> message = Pop(Clock::now() + kPollSlice);
    if (message == nullptr) {
      if (channel->GetState(false) != GRPC_CHANNEL_READY) break;  // the connection went away
      continue;
    }
    write_failed = !writer->Write(*message);
    std::lock_guard<std::mutex> lock(mutex_);
    ++(write_failed ? dropped_ : sent_);
    if (write_failed) break;
  }
  // The server never ends the stream itself, so Finish would wait for ever on a healthy call.
  if (!write_failed) context.TryCancel();
  grpc::Status status = writer->Finish();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    active_context_ = nullptr;
  }
  SetConnected(false, status.error_message());
  return healthy;
}

void PeerSender::Announce() {
  std::lock_guard<std::mutex> lock(mutex_);
  announced_ = true;
  logged_unreachable_ = false;
  spdlog::info("peer {}: connected to {}", peer_.id, peer_.address);
}

void PeerSender::SetConnected(bool connected, const std::string& why) {
  std::lock_guard<std::mutex> lock(mutex_);
  connected_ = connected;
  if (connected) {
    ++connects_;
    return;
  }
  const std::string reason = why.empty() ? "connection lost" : why;
  if (!stopping_ && announced_) {
    spdlog::warn("peer {}: stream to {} closed ({}); reconnecting", peer_.id, peer_.address,
                 reason);
  } else if (!stopping_ && !logged_unreachable_) {
    // Closed right after opening: typically the peer refusing our certificate at its end.
    logged_unreachable_ = true;
    spdlog::warn("peer {}: {} closed the stream at once ({}); retrying with backoff", peer_.id,
                 peer_.address, reason);
  }
  announced_ = false;
}

}  // namespace jejak::net
