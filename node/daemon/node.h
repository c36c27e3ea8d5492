// A running Jejak node: the driver of its replica::Replica (node/replica/replica.h), which makes
// every decision. The node owns what the replica may not: the store, the safety record file,
// threads, the clocks and the network ports. One consensus thread runs the etcd-raft loop: Tick,
// then while there is a Ready: commit its blocks (synced), wake the clients waiting for its
// outcomes, persist the safety record (synced), send, fetch, Advance.
//
// The ledger service calls Submit from many threads: signatures are checked in parallel and the
// ledger rules run against a snapshot outside the replica's lock; only queueing takes it. The
// transport's threads hand over consensus messages and gossiped events (signature-checked on the
// caller's thread) the same way. A node whose id is not a validator's is an observer: no core,
// sends nothing, follows the chain by block sync.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "consensus/interfaces.h"
#include "jejak/v1/event.pb.h"
#include "node/base/status.h"
#include "node/crypto/ed25519.h"
#include "node/config/config.h"
#include "node/daemon/commit_tracker.h"
#include "node/daemon/event_checker.h"
#include "node/daemon/verified_cache.h"
#include "node/daemon/worker_pool.h"
#include "node/replica/ports.h"
#include "node/replica/replica.h"
#include "node/ledger/genesis.h"
#include "node/ledger/ledger.h"
#include "node/storage/store.h"

namespace jejak::daemon {

// UTC milliseconds since the epoch: the node's only clock (block times, pre-checks).
int64_t WallClockMs();
// The replica's clocks: steady_clock (timeouts) and WallClockMs (block times).
replica::Now NodeClock();

using replica::SubmitOutcome;

struct OpenOptions {
  // jejakd --repair: a store whose write-ahead log is damaged is opened keeping every block before
  // the damage (logged loudly); later blocks come back by block sync.
  bool repair = false;
};

class Node final : public replica::PeerInbox, public replica::LedgerFrontend {
 public:
  // Reads the genesis and the node key, opens the store (creating it only in a new or empty data
  // directory) and checks that it holds this genesis's chain. Does not start anything. A damaged
  // store is refused with a message that names the damage and the way to recover.
  static Result<std::unique_ptr<Node>> Open(const config::NodeConfig& config, const OpenOptions& options = {});
  ~Node() override;

  // The network, before Start (both may be null: a one-validator network needs neither). Not
  // owned; both must outlive the node's Stop().
  void AttachNetwork(replica::PeerTransport* transport, replica::BlockSource* block_source);

  // Starts the consensus thread (a validator) or the block-sync follower (an observer).
  Status Start();
  // Stops the consensus thread and wakes every waiting client. Idempotent.
  void Stop();

  // replica::LedgerFrontend
  Result<std::vector<SubmitOutcome>> Submit(const std::vector<v1::SignedEvent>& events,
                                            std::chrono::steady_clock::time_point deadline) override;
  uint64_t WaitForHeightAbove(uint64_t height, std::chrono::steady_clock::time_point deadline) override;
  Result<std::unique_ptr<ledger::ChainReader>> Snapshot() const override;
  uint64_t head_height() const override { return store_->head_height(); }
  const std::string& node_id() const override { return config_.node_id; }

  // replica::PeerInbox: called from the transport's threads.
  void OnPeerMessage(const std::string& from_validator_id, v1::PeerMessage message) override;

  bool is_validator() const override { return validator_; }
  // A validator that found no safety record (and may have signed before) observes and does not
  // vote until the chain has passed the heights it may have signed (docs/design.md, "Durability").
  bool sitting_out() const { return sitting_out_.load(); }
  // The consensus clock stands still (nothing to order anywhere); for tests and status.
  bool quiet() const { return quiet_.load(); }

  std::vector<std::string> ConnectedPeers() const override {
    return transport_ != nullptr ? transport_->ConnectedPeers() : std::vector<std::string>{};
  }

  const config::NodeConfig& config() const { return config_; }
  const ledger::Genesis& genesis() const override { return genesis_; }
  const std::string& genesis_hash() const override { return genesis_hash_; }
  // For tests and start-up logging; the ledger service reads through Snapshot().
  storage::Store& store() { return *store_; }
  bool stopping() const override { return stopping_.load(); }

 private:
  class StoreChain;

  Node(config::NodeConfig config, ledger::Genesis genesis, crypto::PrivateKey node_key,
       std::unique_ptr<storage::Store> store);
  Status CheckCanStart() const;
  // Loads (or, on a first start, creates) the safety record file; decides whether to sit out.
  Status PrepareSafetyRecord(std::optional<consensus::SafetyRecord>* record, bool* sit_out);
  Status CheckRecordIsOurs(const consensus::SafetyRecord& record) const;
  replica::ReplicaOptions MakeReplicaOptions() const;
  void ConsensusLoop();
  // Takes and carries out every Ready (the lock is released while the Ready's I/O runs).
  Status DrainReady(std::unique_lock<std::mutex>& lock);
  Status CarryOut(const replica::Ready& ready);
  Status CommitBlock(const replica::BlockToCommit& block);
  void Send(const std::vector<replica::Outbound>& messages);
  void Wake();
  void NotifyHeight();
  void PublishStatus();
  // The keys of the membership at the head, for checking signatures of submitted and gossiped
  // entries (a preliminary verdict: blocks are checked against their parent's membership).
  Result<std::shared_ptr<const ledger::Membership>> HeadMembership() const;

  config::NodeConfig config_;
  ledger::Genesis genesis_;
  std::shared_ptr<const ledger::Membership> genesis_membership_;
  std::string genesis_hash_;
  crypto::PrivateKey node_key_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<StoreChain> chain_;
  CommitTracker tracker_;
  WorkerPool workers_;
  VerifiedCache verified_;
  PooledEventChecker checker_;
  std::unique_ptr<consensus::Signer> signer_;
  std::unique_ptr<consensus::Verifier> verifier_;
  const bool validator_;
  std::string safety_record_path_;
  int safety_record_lock_fd_ = -1;  // held (flock) for the node's life
  replica::PeerTransport* transport_ = nullptr;
  replica::BlockSource* block_source_ = nullptr;

  // The replica, created by Start; every call under replica_mutex_.
  std::mutex replica_mutex_;
  std::unique_ptr<replica::Replica> replica_;
  // Copies for readers on other threads, refreshed after each Tick.
  std::atomic<bool> sitting_out_{false};
  std::atomic<bool> quiet_{false};

  std::thread consensus_thread_;
  std::atomic<bool> stopping_{false};
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  std::mutex height_mutex_;
  std::condition_variable height_changed_;
  std::mutex submit_mutex_;  // one batch checked against the state at a time
};

}  // namespace jejak::daemon
