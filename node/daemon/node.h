// A running Jejak node: its store, the ledger rules, the mempool and the consensus core, driven
// by one consensus thread in the etcd-raft manner: take inputs, tick, take Ready, persist
// (synced), commit, send, advance.
//
// The ledger service calls Submit (from many threads) and reads the store directly; everything
// that changes state happens on the consensus thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
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
#include "node/daemon/commit_tracker.h"
#include "node/daemon/config.h"
#include "node/daemon/mempool.h"
#include "node/daemon/worker_pool.h"
#include "node/ledger/genesis.h"
#include "node/ledger/ledger.h"
#include "node/storage/store.h"

namespace jejak::daemon {

// UTC milliseconds since the epoch: the node's only clock (block times, pre-checks).
int64_t WallClockMs();

struct SubmitOutcome {
  std::string event_id;
  uint64_t height = 0;
  bool already_committed = false;
};

class Node {
 public:
  // Reads the genesis and the node key, opens (or creates) the store. Does not start anything.
  static Result<std::unique_ptr<Node>> Open(const NodeConfig& config);
  ~Node();

  // Starts the consensus thread.
  Status Start();
  // Stops the consensus thread and wakes every waiting client. Idempotent.
  void Stop();

  // Checks every event (decoding, signature, ledger rules in order against the current state),
  // queues them, and waits until each is committed or the deadline passes. All or nothing at the
  // check: if any event is refused, none is queued and the error names its index.
  Result<std::vector<SubmitOutcome>> Submit(const std::vector<v1::SignedEvent>& events,
                                            std::chrono::steady_clock::time_point deadline);

  // Blocks until the head is above `height` or the deadline passes; returns the head.
  uint64_t WaitForHeightAbove(uint64_t height, std::chrono::steady_clock::time_point deadline);

  const NodeConfig& config() const { return config_; }
  const ledger::Genesis& genesis() const { return genesis_; }
  storage::Store& store() { return *store_; }
  bool stopping() const { return stopping_.load(); }

 private:
  class NodeSigner;
  class NodeVerifier;

  Node(NodeConfig config, ledger::Genesis genesis, crypto::PrivateKey node_key,
       std::unique_ptr<storage::Store> store);
  Status StartConsensus();
  void ConsensusLoop();
  Status ProcessReady();
  Status CommitValue(const consensus::Commit& commit);
  // Decodes, names and signature-checks every event (in parallel).
  Status VerifyBatch(const std::vector<v1::SignedEvent>& events, std::vector<std::string>* ids);
  // The ledger rules, in order, against the committed state.
  Status CheckBatch(const std::vector<v1::SignedEvent>& events, const std::vector<std::string>& ids,
                    std::vector<SubmitOutcome>* outcomes);
  void Wake();
  // Tells the waiting client that `event_id` was committed earlier (found in the store).
  void ResolveCommitted(const std::string& event_id);
  // Nothing to order and no height in progress: the consensus clock stands still.
  bool Idle() const;

  NodeConfig config_;
  ledger::Genesis genesis_;
  // The rules without signature checks: Submit verifies signatures in parallel before they run.
  ledger::Ledger rules_;
  crypto::PrivateKey node_key_;
  std::unique_ptr<storage::Store> store_;
  Mempool mempool_;
  CommitTracker tracker_;
  WorkerPool workers_;
  std::unique_ptr<NodeSigner> signer_;
  std::unique_ptr<NodeVerifier> verifier_;
  std::unique_ptr<BlockApplication> application_;
  std::unique_ptr<consensus::Core> core_;
  std::vector<ledger::Validator> validators_;  // consensus order: by id

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
