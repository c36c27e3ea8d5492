#include "node/daemon/node.h"

#include <unistd.h>

#include <algorithm>
#include <spdlog/spdlog.h>

#include "jejak/v1/consensus.pb.h"
#include "node/crypto/hex.h"
#include "node/ledger/consensus_keys.h"
#include "node/storage/safety_record.h"

namespace jejak::daemon {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t Ticks(uint32_t ms, uint32_t tick_ms) { return std::max<uint64_t>(1, ms / tick_ms); }

Result<std::string> ReadFile(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::NotFound("cannot open " + path);
  std::string text;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    text.append(buffer, n);
    if (text.size() > ledger::kMaxGenesisBytes) {
      std::fclose(file);
      return Status::ResourceExhausted(path + " is larger than the genesis limit");
    }
  }
  std::fclose(file);
  return text;
}

// The store's refusal, with what the operator can do about it.
Status StoreRefused(const config::NodeConfig& config, const Status& status) {
  const Status refused = status;  // the store's messages name the directory
  if (status.message().find("the genesis does not match") != std::string::npos) {
    return status.WithContext(config.genesis_path);
  }
  if (status.code() != StatusCode::kCorruption) return status.WithContext("store " + config.data_dir);
  const std::string move_aside = "move " + config.data_dir +
                                 " aside and start again: a new database is created and the whole chain is fetched "
                                 "from the [block_sync] sources (a chain with no other node has no other copy: "
                                 "restore a backup instead)";
  if (status.message().find("CURRENT file is missing") != std::string::npos) {
    return Status::Corruption(refused.message() + ". To recover, restore the directory from a backup or " + move_aside);
  }
  return Status::Corruption(refused.message() + ". To recover, run `jejakd --home " + config.home_dir +
                            " --repair`, which keeps every block before the damage and fetches the later ones "
                            "from the [block_sync] sources, or " + move_aside);
}

}  // namespace

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The replica reads the store through its ChainAccess port.
class Node::StoreChain final : public replica::ChainAccess {
 public:
  explicit StoreChain(const storage::Store& store) : store_(store) {}
  const ledger::ChainReader& Current() const override { return store_; }
  Result<std::unique_ptr<ledger::ChainReader>> Snapshot() const override {
    Result<std::unique_ptr<storage::StoreSnapshot>> snapshot = store_.Snapshot();
    if (!snapshot.ok()) return snapshot.status();
    return std::unique_ptr<ledger::ChainReader>(std::move(*snapshot));
  }

 private:
  const storage::Store& store_;
};

Result<std::unique_ptr<Node>> Node::Open(const config::NodeConfig& config, const OpenOptions& open_options) {
  Result<std::string> genesis_text = ReadFile(config.genesis_path);
  if (!genesis_text.ok()) return genesis_text.status();
  Result<ledger::Genesis> genesis = ledger::ParseGenesis(*genesis_text);
  if (!genesis.ok()) return genesis.status().WithContext(config.genesis_path);
  Result<crypto::PrivateKey> key = crypto::PrivateKey::LoadPem(config.node_key_path);
  const bool validator = std::any_of(genesis->validators.begin(), genesis->validators.end(),
                                     [&](const auto& v) { return v.id == config.node_id; });
  // An observer signs nothing: it may run without a key file.
  if (!key.ok() && !validator && key.status().code() == StatusCode::kNotFound) key = crypto::PrivateKey::Generate();
  if (!key.ok()) return key.status().WithContext("node key");
  storage::StoreOptions options;
  options.chain_id = genesis->chain_id;
  options.genesis_hash = ledger::GenesisHash(*genesis);
  options.salvage_damaged_log = open_options.repair;
  Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(config.data_dir, options);
  if (!store.ok()) return StoreRefused(config, store.status());
  for (const std::string& note : (*store)->open_notes()) spdlog::warn("{}", note);
  if ((*store)->created()) {
    spdlog::info("created a new database in {} for chain {} (genesis {})", config.data_dir, genesis->chain_id,
                 crypto::ToHex(options.genesis_hash));
  }
  return std::unique_ptr<Node>(
      new Node(config, std::move(*genesis), std::move(*key), std::move(*store)));
}

Node::Node(config::NodeConfig config, ledger::Genesis genesis, crypto::PrivateKey node_key,
           std::unique_ptr<storage::Store> store)
    : config_(std::move(config)),
      genesis_(std::move(genesis)),
      genesis_membership_(ledger::Membership::FromGenesis(genesis_)),
      genesis_hash_(ledger::GenesisHash(genesis_)),
      node_key_(std::move(node_key)),
      store_(std::move(store)),
      chain_(std::make_unique<StoreChain>(*store_)),
      tracker_(config_.limits.mempool_max_events * 2),
      workers_(config_.limits.verify_threads),
      checker_(genesis_, workers_, verified_),
      signer_(std::make_unique<ledger::KeySigner>(node_key_)),
      verifier_(std::make_unique<ledger::Ed25519Verifier>()),
      validator_(std::any_of(genesis_.validators.begin(), genesis_.validators.end(),
                             [&](const ledger::Validator& v) { return v.id == config_.node_id; })),
      safety_record_path_(storage::SafetyRecordPath(config_.node_key_path)) {}

Node::~Node() {
  Stop();
  if (safety_record_lock_fd_ >= 0) ::close(safety_record_lock_fd_);
}

void Node::AttachNetwork(replica::PeerTransport* transport, replica::BlockSource* block_source) {
  transport_ = transport;
  block_source_ = block_source;
}

Status Node::CheckCanStart() const {
  if (!validator_) {
    if (block_source_ != nullptr) return Status::Ok();
    return Status::Invalid("node " + config_.node_id + " is not a validator of chain " + genesis_.chain_id +
                           ", so it is an observer, and an observer needs [block_sync] sources to follow");
  }
  for (const ledger::Validator& v : genesis_.validators) {
    if (v.id == config_.node_id && v.public_key != node_key_.public_key()) {
      return Status::Invalid("the node key " + config_.node_key_path + " is not validator " + config_.node_id +
                             "'s key in the genesis");
    }
  }
  if (genesis_.validators.size() > 1 && transport_ == nullptr) {
    return Status::Invalid("chain " + genesis_.chain_id + " has " + std::to_string(genesis_.validators.size()) +
                           " validators: this node needs the peer service ([peer_service] listen) to reach them");
  }
  return Status::Ok();
}

replica::ReplicaOptions Node::MakeReplicaOptions() const {
  replica::ReplicaOptions options;
  options.node_id = config_.node_id;
  const config::ConsensusTimeouts& t = config_.timeouts;
  options.tick_ms = t.tick_ms;
  options.core.timeout_propose_ticks = Ticks(t.propose_ms, t.tick_ms);
  options.core.timeout_prevote_ticks = Ticks(t.prevote_ms, t.tick_ms);
  options.core.timeout_precommit_ticks = Ticks(t.precommit_ms, t.tick_ms);
  options.core.timeout_delta_ticks = Ticks(t.increase_per_round_ms, t.tick_ms);
  options.quiet_after_ms = 3 * (uint64_t{t.propose_ms} + t.prevote_ms + t.precommit_ms);
  options.max_block_events = config_.limits.max_block_events;
  options.mempool_max_events = config_.limits.mempool_max_events;
  options.max_events_per_request = config_.limits.max_events_per_request;
  options.has_block_source = block_source_ != nullptr;
  options.sync_poll_interval_ms = config_.block_sync.poll_interval_ms;
  options.behind_after_ms = 2 * (t.propose_ms + t.prevote_ms + t.precommit_ms);
  options.max_blocks_per_fetch = config_.block_sync.max_blocks_per_fetch;
  return options;
}

replica::Now NodeClock() {
  return {std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count(),
          WallClockMs()};
}

namespace {

void WriteLog(const replica::LogLine& line) {
  switch (line.level) {
    case replica::LogLine::Level::kDebug: spdlog::debug("{}", line.text); break;
    case replica::LogLine::Level::kInfo: spdlog::info("{}", line.text); break;
    case replica::LogLine::Level::kWarn: spdlog::warn("{}", line.text); break;
    case replica::LogLine::Level::kError: spdlog::error("{}", line.text); break;
  }
}

}  // namespace

Status Node::Start() {
  JEJAK_RETURN_IF_ERROR(CheckCanStart());
  replica::ReplicaOptions options = MakeReplicaOptions();
  if (validator_) JEJAK_RETURN_IF_ERROR(PrepareSafetyRecord(&options.safety_record, &options.sit_out));
  {
    std::lock_guard lock(replica_mutex_);
    replica_ = std::make_unique<replica::Replica>(genesis_, std::move(options), *chain_, checker_,
                                                  validator_ ? signer_.get() : nullptr, *verifier_, NodeClock());
  }
  PublishStatus();
  consensus_thread_ = std::thread([this] { ConsensusLoop(); });
  return Status::Ok();
}

void Node::Stop() {
  if (stopping_.exchange(true)) return;
  Wake();
  if (consensus_thread_.joinable()) consensus_thread_.join();
  tracker_.Shutdown();
  NotifyHeight();
}

void Node::Wake() {
  {
    std::lock_guard lock(wake_mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

void Node::NotifyHeight() {
  {
    std::lock_guard lock(height_mutex_);  // a waiter between its check and its wait sees this
  }
  height_changed_.notify_all();
}

void Node::PublishStatus() {
  quiet_.store(replica_->quiet());
  sitting_out_.store(replica_->sitting_out());
}

void Node::ConsensusLoop() {
  std::unique_lock lock(replica_mutex_);
  while (!stopping_.load()) {
    const auto due = Clock::time_point(std::chrono::milliseconds(replica_->next_tick_due_ms()));
    lock.unlock();
    {
      std::unique_lock wake_lock(wake_mutex_);
      wake_.wait_until(wake_lock, due, [&] { return woken_ || stopping_.load(); });
      woken_ = false;
    }
    lock.lock();
    if (stopping_.load()) break;
    replica_->Tick(NodeClock());
    Status status = DrainReady(lock);
    PublishStatus();
    if (!status.ok()) {
      // Our own failure (disk, corruption): continuing could fork us from the network.
      spdlog::critical("consensus stopped: {}", status.ToString());
      std::abort();
    }
  }
}

Status Node::DrainReady(std::unique_lock<std::mutex>& lock) {
  for (int rounds = 0; rounds < 1000 && replica_->HasReady(); ++rounds) {
    replica::Ready ready = replica_->TakeReady();
    lock.unlock();
    Status done = CarryOut(ready);
    std::optional<Result<uint64_t>> best;
    Result<std::vector<v1::CommittedBlock>> blocks = std::vector<v1::CommittedBlock>{};
    if (done.ok() && ready.fetch) {
      best = block_source_->BestHeadHeight();
      if (best->ok() && **best >= ready.fetch->from_height) {
        blocks = block_source_->FetchBlocks(ready.fetch->from_height, ready.fetch->max_blocks);
      }
    }
    lock.lock();
    JEJAK_RETURN_IF_ERROR(done);
    replica_->Advance(ready);
    if (best) replica_->ReceiveFetched(*best, std::move(blocks));
  }
  return Status::Ok();
}

// In the order replica.h prescribes: a message that depends on a vote leaves only after the
// record of that vote is on disk.
Status Node::CarryOut(const replica::Ready& ready) {
  for (const replica::LogLine& line : ready.log) WriteLog(line);
  if (!ready.failure.ok()) return ready.failure;
  for (const replica::BlockToCommit& block : ready.blocks) JEJAK_RETURN_IF_ERROR(CommitBlock(block));
  if (!ready.blocks.empty()) NotifyHeight();
  for (const replica::EventOutcome& outcome : ready.outcomes) {
    if (outcome.status.ok()) {
      tracker_.Committed(outcome.event_id, outcome.height);
    } else {
      tracker_.Rejected(outcome.event_id, outcome.status);
    }
  }
  if (ready.safety_record) {
    JEJAK_RETURN_IF_ERROR(storage::SaveSafetyRecord(safety_record_path_, *ready.safety_record));
  }
  Send(ready.messages);
  if (ready.refuse_fetch && block_source_ != nullptr) block_source_->RefuseLastFetch(*ready.refuse_fetch);
  return Status::Ok();
}

Status Node::CommitBlock(const replica::BlockToCommit& block) {
  JEJAK_RETURN_IF_ERROR(store_->CommitBlock(block.block, block.certificate, block.writes));
  spdlog::info("{} block {} with {} events, hash {}", block.synced ? "synced" : "committed",
               block.block.header().height(), block.block.events_size(), crypto::ToHex(block.hash).substr(0, 16));
  return Status::Ok();
}

void Node::Send(const std::vector<replica::Outbound>& messages) {
  if (transport_ == nullptr) return;  // a one-validator network: no one to send to
  for (const replica::Outbound& out : messages) transport_->Send(out.to_validator_id, out.message);
}

uint64_t Node::WaitForHeightAbove(uint64_t height, Clock::time_point deadline) {
  std::unique_lock lock(height_mutex_);
  height_changed_.wait_until(lock, deadline,
                             [&] { return stopping_.load() || store_->head_height() > height; });
  return store_->head_height();
}

Result<std::unique_ptr<ledger::ChainReader>> Node::Snapshot() const { return chain_->Snapshot(); }

}  // namespace jejak::daemon
