#include "node/daemon/node.h"

#include <unistd.h>

#include <algorithm>
#include <spdlog/spdlog.h>

#include "jejak/v1/consensus.pb.h"
#include "node/crypto/hex.h"
#include "node/ledger/commit_certificate.h"
#include "node/ledger/consensus_codec.h"
#include "node/storage/safety_record.h"
#include "node/ledger/overlay.h"
#include "node/ledger/queries.h"
#include "node/ledger/signing.h"

namespace jejak::daemon {
namespace {

using Clock = std::chrono::steady_clock;

consensus::ValidatorSet MemberSet(const std::vector<ledger::Validator>& validators) {
  std::vector<consensus::Validator> members;
  for (const ledger::Validator& v : validators) members.push_back({v.id, v.public_key});
  return consensus::ValidatorSet(std::move(members));
}

std::vector<std::string> ValidatorIds(const std::vector<ledger::Validator>& validators) {
  std::vector<std::string> ids;
  for (const ledger::Validator& v : validators) ids.push_back(v.id);
  return ids;
}

ledger::LedgerOptions UncheckedRules() {
  ledger::LedgerOptions options;
  options.verify_signatures = false;
  return options;
}

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

class Node::NodeSigner final : public consensus::Signer {
 public:
  explicit NodeSigner(const crypto::PrivateKey& key) : key_(key) {}
  std::string Sign(std::string_view bytes) override { return key_.Sign(bytes); }

 private:
  const crypto::PrivateKey& key_;
};

class Node::NodeVerifier final : public consensus::Verifier {
 public:
  bool Verify(const consensus::Validator& validator, std::string_view bytes,
              std::string_view signature) override {
    return crypto::Verify(validator.public_key, bytes, signature);
  }
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
      genesis_hash_(ledger::GenesisHash(genesis_)),
      rules_(genesis_, UncheckedRules()),
      node_key_(std::move(node_key)),
      store_(std::move(store)),
      mempool_(config_.limits.mempool_max_events),
      tracker_(config_.limits.mempool_max_events * 2),
      workers_(config_.limits.verify_threads),
      signer_(std::make_unique<NodeSigner>(node_key_)),
      verifier_(std::make_unique<NodeVerifier>()),
      validators_(ledger::ValidatorsInConsensusOrder(genesis_.validators)),
      validator_set_(MemberSet(validators_)),
      safety_record_path_(storage::SafetyRecordPath(config_.node_key_path)) {
  for (size_t i = 0; i < validators_.size(); ++i) {
    if (validators_[i].id == config_.node_id) self_index_ = static_cast<consensus::ValidatorIndex>(i);
  }
  BuildApplication();
}

Node::~Node() {
  Stop();
  if (safety_record_lock_fd_ >= 0) ::close(safety_record_lock_fd_);
}

void Node::AttachNetwork(replica::PeerTransport* transport, replica::BlockSource* block_source) {
  transport_ = transport;
  block_source_ = block_source;
}

void Node::BuildApplication() {
  BlockApplication::Options app_options;
  app_options.proposer_id = config_.node_id;
  app_options.max_block_events = config_.limits.max_block_events;
  app_options.max_block_bytes = consensus::Config{}.max_value_bytes;
  app_options.now_ms = WallClockMs;
  app_options.on_rejected = [this](const std::string& id, const Status& reason) {
    tracker_.Rejected(id, reason);
  };
  app_options.on_already_committed = [this](const std::string& id) { ResolveCommitted(id); };
  application_ = std::make_unique<BlockApplication>(genesis_, *store_, mempool_, workers_, verified_,
                                                    app_options);
  BlockSync::Options sync_options;
  sync_options.chain_id = genesis_.chain_id;
  sync_options.max_blocks_per_fetch = config_.block_sync.max_blocks_per_fetch;
  block_sync_ = std::make_unique<BlockSync>(
      sync_options, validators_, *verifier_, *store_, *application_,
      [this](const ValidatedBlock& block) { AfterSyncedBlock(block); });
}

Status Node::StartConsensus() {
  if (!self_index_) {
    if (block_source_ == nullptr) {
      return Status::Invalid("node " + config_.node_id + " is not a validator of chain " + genesis_.chain_id +
                             ", so it is an observer, and an observer needs [block_sync] sources to follow");
    }
    return Status::Ok();
  }
  if (validators_[*self_index_].public_key != node_key_.public_key()) {
    return Status::Invalid("the node key " + config_.node_key_path + " is not validator " +
                           config_.node_id + "'s key in the genesis");
  }
  if (validators_.size() > 1 && transport_ == nullptr) {
    return Status::Invalid("chain " + genesis_.chain_id + " has " + std::to_string(validators_.size()) +
                           " validators: this node needs the peer service ([peer_service] listen) to reach them");
  }
  JEJAK_RETURN_IF_ERROR(PrepareSafetyRecord());
  return sitting_out_.load() ? Status::Ok() : MakeCore();
}

// Also after block sync moved the store past the core: the core restarts at the new height, as
// after a restart. Catchup would only cover one height; this covers any gap with the one path
// restarts already take, and the persisted safety record still forbids conflicting signatures.
Status Node::MakeCore() {
  consensus::Config core_config;
  core_config.chain_id = genesis_.chain_id;
  core_config.self = *self_index_;
  const config::ConsensusTimeouts& t = config_.timeouts;
  core_config.timeout_propose_ticks = Ticks(t.propose_ms, t.tick_ms);
  core_config.timeout_prevote_ticks = Ticks(t.prevote_ms, t.tick_ms);
  core_config.timeout_precommit_ticks = Ticks(t.precommit_ms, t.tick_ms);
  core_config.timeout_delta_ticks = Ticks(t.increase_per_round_ms, t.tick_ms);
  Result<std::optional<consensus::SafetyRecord>> record = storage::LoadSafetyRecord(safety_record_path_);
  if (!record.ok()) return record.status();
  application_->ForgetCandidates();
  core_ = std::make_unique<consensus::Core>(core_config, validator_set_, *application_, *signer_,
                                            *verifier_, store_->head_height() + 1, *record);
  return Status::Ok();
}

Status Node::Start() {
  JEJAK_RETURN_IF_ERROR(StartConsensus());
  consensus_thread_ = std::thread([this] { ConsensusLoop(); });
  return Status::Ok();
}

void Node::Stop() {
  if (stopping_.exchange(true)) return;
  Wake();
  if (consensus_thread_.joinable()) consensus_thread_.join();
  tracker_.Shutdown();
  {
    std::lock_guard lock(height_mutex_);  // a waiter between its check and its wait sees this
  }
  height_changed_.notify_all();
}

void Node::ResolveCommitted(const std::string& event_id) {
  Result<std::optional<v1::EventRecord>> record = ledger::GetEvent(*store_, event_id);
  if (record.ok() && record->has_value()) {
    tracker_.Committed(event_id, (*record)->position().height());
  } else {
    tracker_.Rejected(event_id, Status::Internal("event " + event_id + " vanished from the mempool"));
  }
}

bool Node::Idle() const {
  if (mempool_.size() != 0 || core_->step() != consensus::RoundStep::kPropose) return false;
  if (validators_.size() == 1) return true;
  // Several validators: another one may still need our votes. Stand still only when nothing
  // non-nil (a proposal, a vote for a block, a commit) was seen for a few full rounds, nothing
  // waits in the inbox, and no peer was seen ahead of us.
  if (block_source_ != nullptr && sync_wanted_.load()) return false;
  {
    std::lock_guard lock(inbox_mutex_);
    if (!inbox_.empty()) return false;
  }
  const config::ConsensusTimeouts& t = config_.timeouts;
  const auto quiet_after = std::chrono::milliseconds(3 * (uint64_t{t.propose_ms} + t.prevote_ms + t.precommit_ms));
  return Clock::now() - last_activity_ > quiet_after;
}

void Node::Wake() {
  {
    std::lock_guard lock(wake_mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

void Node::ConsensusLoop() {
  const auto tick = std::chrono::milliseconds(config_.timeouts.tick_ms);
  auto next_tick = Clock::now() + tick;
  last_activity_ = Clock::now();
  next_sync_ = Clock::now();
  while (!stopping_.load()) {
    {
      // An observer has no clock to drive: it wakes for block sync (or a message) only.
      const auto until = core_ ? next_tick : next_sync_;
      std::unique_lock lock(wake_mutex_);
      wake_.wait_until(lock, until, [&] { return woken_ || stopping_.load(); });
      woken_ = false;
    }
    if (stopping_.load()) break;
    Status status = MaybeSync();
    if (status.ok() && core_) status = DriveCore(&next_tick);
    if (!status.ok()) {
      // Our own failure (disk, corruption): continuing could fork us from the network.
      spdlog::critical("consensus stopped: {}", status.ToString());
      std::abort();
    }
  }
}

Status Node::DriveCore(Clock::time_point* next_tick) {
  const auto tick = std::chrono::milliseconds(config_.timeouts.tick_ms);
  StepInbox();
  // Catch up on missed ticks, bounded so a long stall (SIGSTOP) cannot spin here. An idle
  // node does not tick: rounds would pass and timeouts grow while there is nothing to order
  // (CometBFT's "wait for transactions"); the first event wakes it and is proposed at the next
  // tick (the proposer retries while in its propose step).
  for (int i = 0; i < 1000 && Clock::now() >= *next_tick; ++i) {
    if (!Idle()) core_->Tick();
    *next_tick += tick;
  }
  if (Clock::now() >= *next_tick) *next_tick = Clock::now() + tick;
  quiet_.store(Idle());
  return ProcessReady();
}

Status Node::ProcessReady() {
  for (int rounds = 0; rounds < 1000 && core_->HasReady(); ++rounds) {
    consensus::Ready ready = core_->TakeReady();
    for (const consensus::Commit& commit : ready.committed) JEJAK_RETURN_IF_ERROR(CommitValue(commit));
    if (!ready.committed.empty()) last_activity_ = Clock::now();
    // The record is on disk before any message that depends on it leaves the node.
    if (ready.safety_record) JEJAK_RETURN_IF_ERROR(storage::SaveSafetyRecord(safety_record_path_, *ready.safety_record));
    for (const consensus::Evidence& evidence : ready.evidence) {
      spdlog::warn("equivocation by validator {} at height {}: two conflicting signed messages",
                   validators_.at(evidence.validator).id, consensus::MessageHeight(evidence.first));
    }
    SendMessages(ready.messages);
    core_->Advance(ready);
  }
  return Status::Ok();
}

Status Node::CommitValue(const consensus::Commit& commit) {
  Result<ValidatedBlock> validated = application_->TakeValidated(commit.value);
  if (!validated.ok()) {
    return Status::Internal("a committed block is not valid here: " + validated.status().message());
  }
  v1::CommitCertificate certificate = ledger::EncodeCertificate(commit.certificate, ValidatorIds(validators_));
  const v1::Block& block = validated->block;
  JEJAK_RETURN_IF_ERROR(store_->CommitBlock(block, certificate, validated->writes));
  uint64_t height = block.header().height();
  spdlog::info("committed block {} with {} events, hash {}", height, block.events_size(),
               crypto::ToHex(commit.value.id).substr(0, 16));
  mempool_.Remove(validated->event_ids);
  for (const std::string& id : validated->event_ids) tracker_.Committed(id, height);
  {
    std::lock_guard lock(height_mutex_);
  }
  height_changed_.notify_all();
  return Status::Ok();
}

void Node::AfterSyncedBlock(const ValidatedBlock& validated) {
  mempool_.Remove(validated.event_ids);
  for (const std::string& id : validated.event_ids) tracker_.Committed(id, validated.block.header().height());
  {
    std::lock_guard lock(height_mutex_);
  }
  height_changed_.notify_all();
}

uint64_t Node::WaitForHeightAbove(uint64_t height, Clock::time_point deadline) {
  std::unique_lock lock(height_mutex_);
  height_changed_.wait_until(lock, deadline,
                             [&] { return stopping_.load() || store_->head_height() > height; });
  return store_->head_height();
}

Result<std::unique_ptr<ledger::ChainReader>> Node::Snapshot() const {
  Result<std::unique_ptr<storage::StoreSnapshot>> snapshot = store_->Snapshot();
  if (!snapshot.ok()) return snapshot.status();
  return std::unique_ptr<ledger::ChainReader>(std::move(*snapshot));
}

}  // namespace jejak::daemon
