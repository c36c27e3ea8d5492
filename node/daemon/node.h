// A running Jejak node: its store, the ledger rules, the mempool and the consensus core, driven
// by one consensus thread in the etcd-raft manner: take inputs, tick, take Ready, persist
// (synced), commit, send, advance.
//
// The ledger service calls Submit (from many threads) and reads the store directly; everything
// that changes state happens on the consensus thread.
//
// With several validators the node is a replica::PeerInbox: the transport's threads hand it consensus
// messages (decoded, queued in a bounded inbox, stepped on the consensus thread) and gossiped
// events (signature-checked on the caller's thread, added to the mempool). Outbound messages go
// to the replica::PeerTransport after the safety record is synced. A node that falls behind fetches blocks
// from its replica::BlockSource (block_sync.h) and re-creates its core at the new height. A node whose id
// is not a validator's is an observer: no core, sends nothing, follows the chain by block sync.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "consensus/core.h"
#include "jejak/v1/event.pb.h"
#include "node/base/status.h"
#include "node/crypto/ed25519.h"
#include "node/daemon/block_application.h"
#include "node/daemon/block_sync.h"
#include "node/daemon/commit_tracker.h"
#include "node/config/config.h"
#include "node/daemon/mempool.h"
#include "node/replica/ports.h"
#include "node/daemon/verified_cache.h"
#include "node/daemon/worker_pool.h"
#include "node/ledger/genesis.h"
#include "node/ledger/ledger.h"
#include "node/storage/store.h"

namespace jejak::daemon {

// UTC milliseconds since the epoch: the node's only clock (block times, pre-checks).
int64_t WallClockMs();

using replica::SubmitOutcome;

// Bound on consensus messages waiting for the consensus thread; past it new ones are dropped
// (the core re-sends what matters).
inline constexpr size_t kMaxInboxMessages = 10'000;

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

  bool is_validator() const override { return self_index_.has_value(); }
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
  class NodeSigner;
  class NodeVerifier;

  Node(config::NodeConfig config, ledger::Genesis genesis, crypto::PrivateKey node_key,
       std::unique_ptr<storage::Store> store);
  Status StartConsensus();
  // Loads (or, on a first start, creates) the safety record file; decides whether to sit out.
  Status PrepareSafetyRecord();
  Status CheckRecordIsOurs(const consensus::SafetyRecord& record) const;
  // While sitting out: learns the network's height once, and ends the sit-out past it.
  Status MaybeEndSitOut(uint64_t best_head);
  void BuildApplication();
  Status MakeCore();
  void ConsensusLoop();
  // One pass of the loop for a validator: inbox, ticks, Ready.
  Status DriveCore(std::chrono::steady_clock::time_point* next_tick);
  Status ProcessReady();
  // node_network.cc
  void SendMessages(const std::vector<consensus::OutboundMessage>& messages);
  void Gossip(const std::vector<v1::SignedEvent>& events);
  void ReceiveGossip(const std::string& from_validator_id, const v1::EventBatch& batch);
  void QueueConsensus(const std::string& from_validator_id, const v1::ConsensusMessage& message);
  void StepInbox();
  void NoteActivity(const consensus::Message& message);
  // block sync: when due, fetch and apply blocks; a validator re-creates its core if it moved.
  Status MaybeSync();
  void AfterSyncedBlock(const ValidatedBlock& block);
  Status CommitValue(const consensus::Commit& commit);
  // Decodes, names and signature-checks every event (in parallel); the first failure wins.
  Status VerifyBatch(const std::vector<v1::SignedEvent>& events, std::vector<std::string>* ids);
  // The same, one outcome per event. Signatures already in verified_ are not checked again.
  std::vector<Status> VerifyEach(const std::vector<v1::SignedEvent>& events, std::vector<std::string>* ids);
  // The ledger rules, in order, against the committed state.
  Status CheckBatch(const std::vector<v1::SignedEvent>& events, const std::vector<std::string>& ids,
                    std::vector<SubmitOutcome>* outcomes);
  void Wake();
  // Tells the waiting client that `event_id` was committed earlier (found in the store).
  void ResolveCommitted(const std::string& event_id);
  // Nothing to order and no height in progress: the consensus clock stands still.
  bool Idle() const;

  config::NodeConfig config_;
  ledger::Genesis genesis_;
  std::string genesis_hash_;
  // The rules without signature checks: Submit verifies signatures in parallel before they run.
  ledger::Ledger rules_;
  crypto::PrivateKey node_key_;
  std::unique_ptr<storage::Store> store_;
  Mempool mempool_;
  CommitTracker tracker_;
  WorkerPool workers_;
  VerifiedCache verified_;
  std::unique_ptr<NodeSigner> signer_;
  std::unique_ptr<NodeVerifier> verifier_;
  std::unique_ptr<BlockApplication> application_;
  std::unique_ptr<BlockSync> block_sync_;
  std::unique_ptr<consensus::Core> core_;  // null for an observer
  std::vector<ledger::Validator> validators_;  // consensus order: by id
  consensus::ValidatorSet validator_set_;
  std::optional<consensus::ValidatorIndex> self_index_;  // nullopt: observer
  std::string safety_record_path_;
  int safety_record_lock_fd_ = -1;  // held (flock) for the node's life
  std::atomic<bool> sitting_out_{false};
  std::optional<uint64_t> sit_out_until_;  // consensus thread; the head that ends the sit-out
  replica::PeerTransport* transport_ = nullptr;
  replica::BlockSource* block_source_ = nullptr;

  mutable std::mutex inbox_mutex_;
  std::deque<consensus::Message> inbox_;
  uint64_t inbox_dropped_ = 0;  // guarded by inbox_mutex_; logged when it first happens
  // Consensus thread only.
  std::chrono::steady_clock::time_point last_activity_;
  std::chrono::steady_clock::time_point next_sync_;
  std::atomic<bool> sync_wanted_{true};  // set by the transport's threads, cleared by sync
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
