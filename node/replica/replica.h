// The node's decisions as one deterministic state machine, in the shape of etcd raft's RawNode:
// it owns the consensus core, the mempool, the inbox rules and the block-sync decisions, and has
// no threads, no clock, no I/O of its own. Its driver (the server, or the simulator) feeds it
//
//   CheckSubmission, Queue    events a client sent, already checked by the EventChecker
//   ReceiveConsensus/Gossip   what other validators sent
//   ReceiveFetched(...)       the answer to a fetch request (block sync)
//   Tick(now)                 the clocks
//
// and, while HasReady(), takes one Ready and carries it out in this order: stop if `failure`;
// commit `blocks` (synced, in order); tell waiting clients `outcomes`; persist `safety_record`
// (synced); send `messages`; start `fetch`; then Advance(ready). Only then may the chain the
// replica reads (ChainAccess) show the new blocks: the replica reads, it never writes.
//
// Every call must be serialised by the driver (one lock); the chain must not change between
// TakeReady and Advance except by committing that Ready's blocks.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "consensus/core.h"
#include "jejak/v1/block.pb.h"
#include "jejak/v1/peer_service.pb.h"
#include "node/base/status.h"
#include "node/ledger/chain_reader.h"
#include "node/ledger/genesis.h"
#include "node/replica/chain_application.h"
#include "node/replica/mempool.h"
#include "node/replica/ports.h"

namespace jejak::replica {

// What the replica reads of the committed chain. `Current` is the chain at its head (read by the
// consensus path, which never overlaps a commit); `Snapshot` a frozen view for checks that may
// run while the driver commits (Submit, gossip).
class ChainAccess {
 public:
  virtual ~ChainAccess() = default;
  virtual const ledger::ChainReader& Current() const = 0;
  virtual Result<std::unique_ptr<ledger::ChainReader>> Snapshot() const = 0;
};

struct ReplicaOptions {
  std::string node_id;
  // Core timeouts are in ticks; one tick is tick_ms of the monotonic clock.
  consensus::Config core;
  uint32_t tick_ms = 10;
  // A validator stands still (no ticks) after this long without a proposal, block vote or commit.
  uint64_t quiet_after_ms = 6000;
  uint32_t max_block_events = 1000;
  size_t mempool_max_events = 100'000;
  size_t max_events_per_request = 10'000;
  size_t max_inbox_messages = 10'000;
  bool has_block_source = false;
  uint32_t sync_poll_interval_ms = 1000;
  // A validator whose peers have been at a later height this long, while its own core has not
  // moved, fetches: it missed the decision, and peers that restarted or synced no longer hold it
  // to send (their cores keep recent decisions in memory only).
  uint32_t behind_after_ms = 4000;
  uint32_t max_blocks_per_fetch = 64;
  // The safety record the driver loaded; nullopt with sit_out: this validator may have signed
  // before and takes no part until the chain has passed the heights it may have signed.
  std::optional<consensus::SafetyRecord> safety_record;
  bool sit_out = false;
};

struct Now {
  int64_t monotonic_ms = 0;  // drives timeouts and polling
  int64_t wall_ms = 0;       // UTC: block times and event-time checks
};

struct BlockToCommit {
  v1::Block block;
  v1::CommitCertificate certificate;
  ledger::WriteSet writes;
  std::vector<std::string> event_ids;
  std::string hash;
  bool synced = false;  // fetched from a block source (else decided by this node's core)
};

// What became of an event this node queued: committed (ok, at `height`) or dropped with a reason.
struct EventOutcome {
  std::string event_id;
  Status status;
  uint64_t height = 0;
};

struct Outbound {
  std::optional<std::string> to_validator_id;  // nullopt: every other validator
  v1::PeerMessage message;
};

struct FetchRequest {
  uint64_t from_height = 0;
  uint32_t max_blocks = 0;
};

struct LogLine {
  enum class Level { kDebug, kInfo, kWarn, kError };
  Level level = Level::kInfo;
  std::string text;
};

struct Ready {
  Status failure;  // our own failure (storage): stop before committing, persisting or sending
  std::vector<BlockToCommit> blocks;
  std::vector<EventOutcome> outcomes;
  std::optional<consensus::SafetyRecord> safety_record;
  std::vector<Outbound> messages;
  std::optional<FetchRequest> fetch;
  // The last fetched answer held a block that does not check (BlockSource::RefuseLastFetch).
  std::optional<std::string> refuse_fetch;
  std::vector<LogLine> log;
  consensus::Ready core;  // for Advance
};

class Replica {
 public:
  // Gossip batches stay well below gRPC's message limits whatever the events' sizes.
  static constexpr size_t kMaxGossipBatchBytes = 2 << 20;
  static constexpr size_t kMaxGossipBatchEvents = 1000;

  // `signer` may be null for an observer (a node whose id is not a validator's).
  Replica(const ledger::Genesis& genesis, ReplicaOptions options, const ChainAccess& chain,
          EventChecker& checker, consensus::Signer* signer, consensus::Verifier& verifier, Now now);
  ~Replica();

  bool is_validator() const { return self_index_.has_value(); }
  bool sitting_out() const { return sitting_out_; }
  // Nothing to order and no height in progress: the consensus clock stands still.
  bool quiet() const { return quiet_; }
  size_t mempool_size() const { return mempool_.size(); }
  // One line for logs and simulator replays: where the core is, what waits, whether it is quiet.
  std::string Describe() const;

  // Before checking signatures: whether this node takes `count` events in one request.
  Status AcceptsSubmission(size_t count) const;
  // Events whose signatures the EventChecker passed (`ids` their ledger ids): the ledger rules in
  // order against a snapshot of the committed chain (event k sees events 0..k-1), all or nothing.
  // A refusal names the event (Status::ForEvent) and its rule. Const and reading a snapshot only:
  // the driver may run it outside its lock (one submission at a time), as it is the costly part.
  Result<std::vector<SubmitOutcome>> CheckSubmission(std::span<const v1::SignedEvent> events,
                                                     std::span<const std::string> ids, Now now) const;
  // Queues the checked events (each once; events committed meanwhile get their height) and
  // gossips them. Returns the indices of the events now waiting in the mempool. An event of a
  // block taken but not yet advanced counts as committed: its block may not be on disk yet, so
  // the driver answers for it only once its height is committed.
  Result<std::vector<size_t>> Queue(std::span<const v1::SignedEvent> events, std::span<const std::string> ids,
                                    std::vector<SubmitOutcome>* outcomes);
  // A consensus message from validator `from`: decoded and queued (bounded); stepped at Tick.
  void ReceiveConsensus(const std::string& from, const v1::ConsensusMessage& message);
  // Gossiped events with their checks (statuses from the EventChecker).
  void ReceiveGossip(const std::string& from, std::span<const v1::SignedEvent> events,
                     std::span<const std::string> ids, std::span<const Status> checks);
  // The answer to the last Ready's fetch: the sources' best head and the blocks from its height.
  void ReceiveFetched(const Result<uint64_t>& best_head, Result<std::vector<v1::CommittedBlock>> blocks);
  // Steps queued messages, runs due ticks, decides on block sync.
  void Tick(Now now);
  // When the driver should call Tick next (monotonic), unless an input arrives first.
  int64_t next_tick_due_ms() const { return core_ ? next_tick_ms_ : next_sync_ms_; }

  bool HasReady() const;
  Ready TakeReady();
  // The driver carried out `ready` (its blocks are committed in the chain).
  void Advance(const Ready& ready);

 private:
  void MakeCore();
  bool Idle() const;
  void StepInbox();
  void RunTicks();
  void TendWaitingEvents();
  void MaybeRequestFetch();
  void MaybeEndSitOut();
  void RefuseFetched(const Status& reason);
  // After synced blocks were committed: re-create a core left behind, fetch on if still behind.
  void AfterSyncedBlocks();
  // Validates the next fetched block if nothing else is being committed.
  void ContinueSync();
  void Log(LogLine::Level level, std::string text);
  void Fail(const Status& failure);
  void Gossip(std::span<const v1::SignedEvent* const> events);
  void LeftOut(const std::string& event_id, const Status& reason);
  Result<BlockToCommit> DecidedBlock(const consensus::Commit& commit);
  bool CommittedOrInFlight(const std::string& event_id, uint64_t* height) const;

  const ledger::Genesis& genesis_;
  ReplicaOptions options_;
  const ChainAccess& chain_;
  EventChecker& checker_;
  consensus::Signer* signer_;
  consensus::Verifier& verifier_;
  std::vector<ledger::Validator> validators_;  // consensus order
  consensus::ValidatorSet validator_set_;
  std::optional<consensus::ValidatorIndex> self_index_;
  ledger::Ledger rules_;  // without signature checks: the EventChecker did them
  Mempool mempool_;
  int64_t wall_ms_ = 0;  // ChainApplication reads it
  int64_t monotonic_ms_ = 0;
  std::unique_ptr<ChainApplication> application_;
  std::unique_ptr<consensus::Core> core_;  // null for an observer or while sitting out
  std::optional<consensus::SafetyRecord> last_record_;

  // Inbox.
  std::deque<consensus::Message> inbox_;
  uint64_t inbox_dropped_ = 0;
  // Clocks.
  int64_t next_tick_ms_ = 0;
  int64_t last_activity_ms_ = 0;
  bool quiet_ = false;
  int64_t next_tend_ms_ = 0;  // TendWaitingEvents
  // Block sync.
  bool sync_wanted_ = true;
  int64_t next_sync_ms_ = 0;
  int64_t next_behind_warning_ms_ = 0;
  bool fetch_outstanding_ = false;  // asked for in a Ready, not yet answered
  std::optional<FetchRequest> fetch_;  // for the next Ready
  std::deque<v1::CommittedBlock> fetched_;
  std::optional<uint64_t> sync_from_;  // head when the current catch-up began
  std::optional<int64_t> ahead_seen_since_ms_;  // first message of a later height at this height
  uint64_t best_head_ = 0;
  bool best_head_known_ = false;
  bool sitting_out_ = false;
  std::optional<uint64_t> sit_out_until_;
  // Committing: blocks taken in a Ready and not yet advanced.
  bool awaiting_advance_ = false;
  bool ready_took_core_ = false;
  std::vector<BlockToCommit> synced_ready_;  // at most one validated synced block
  std::map<std::string, uint64_t> in_flight_;  // event id -> height
  uint64_t committed_height_ = 0;  // as of the last Advance
  // Pending output.
  Status failure_;
  std::vector<EventOutcome> outcomes_;
  std::vector<Outbound> messages_;
  std::optional<std::string> refuse_fetch_;
  std::vector<LogLine> log_;
};

}  // namespace jejak::replica
