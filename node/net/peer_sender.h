// One validator's outbound side towards one peer (internal to PeerNetwork): a bounded queue and a
// thread that keeps one PeerService.Exchange stream open to the peer and writes the queue into it.
#pragma once

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "jejak/v1/peer_service.grpc.pb.h"
#include "node/ledger/genesis.h"
#include "node/net/peer_network.h"

namespace jejak::net {

class PeerSender {
 public:
  // `genesis_hash_hex` goes with every stream (kGenesisHashMetadata); a peer with another refuses it.
  PeerSender(ledger::Validator peer, std::shared_ptr<grpc::ChannelCredentials> credentials,
             std::string genesis_hash_hex, const PeerNetworkOptions& options, uint64_t jitter_seed);
  ~PeerSender();
  PeerSender(const PeerSender&) = delete;
  PeerSender& operator=(const PeerSender&) = delete;

  void Start();
  // Cancels the stream (also a write blocked on a stalled peer) without waiting; Stop joins.
  // Both idempotent.
  void RequestStop();
  void Stop();
  // Drops the oldest queued message when the queue is full. Ignored once stopped.
  void Enqueue(std::shared_ptr<const v1::PeerMessage> message);
  // Counts a message that was never queued (too big).
  void CountDropped();
  PeerStats Stats() const;

 private:
  using Clock = std::chrono::steady_clock;
  void Run();
  // Dials and serves one stream until it breaks; true if the stream stayed open long enough to
  // count as a connection.
  bool RunStream();
  // Waits until the channel is READY; false on failure, timeout or stop.
  bool WaitConnected(grpc::Channel& channel);
  // Next queued message; nullptr after `until` or on stop.
  std::shared_ptr<const v1::PeerMessage> Pop(Clock::time_point until);
  void SleepBackoff(uint32_t backoff_ms);
  void SetConnected(bool connected, const std::string& why);
  void Announce();
  bool stopping() const;

  const ledger::Validator peer_;
  const std::shared_ptr<grpc::ChannelCredentials> credentials_;
  const std::string genesis_hash_hex_;
  const PeerNetworkOptions options_;
  std::mt19937_64 jitter_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<const v1::PeerMessage>> queue_;
  bool stopping_ = false;
  bool connected_ = false;
  bool announced_ = false;  // "connected" was logged for the current stream
  bool logged_unreachable_ = false;
  grpc::ClientContext* active_context_ = nullptr;  // the open stream's, for Stop's cancel
  uint64_t sent_ = 0;
  uint64_t dropped_ = 0;
  uint64_t connects_ = 0;
  std::thread thread_;
};

}  // namespace jejak::net
