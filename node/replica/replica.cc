// The replica's inputs from clients and peers, its Ready and Advance. Block sync and sit-out are
// in replica_sync.cc.
#include "node/replica/replica.h"

#include <algorithm>
#include <set>

#include "node/base/assert.h"
#include "node/ledger/block_rules.h"
#include "node/ledger/commit_certificate.h"
#include "node/ledger/consensus_codec.h"
#include "node/ledger/queries.h"

namespace jejak::replica {
namespace {

consensus::ValidatorSet MemberSet(const std::vector<ledger::Validator>& validators) {
  std::vector<consensus::Validator> members;
  for (const ledger::Validator& v : validators) members.push_back({v.id, v.public_key});
  return consensus::ValidatorSet(std::move(members));
}

ledger::LedgerOptions UncheckedRules() {
  ledger::LedgerOptions options;
  options.verify_signatures = false;
  return options;
}

// A proposal, a vote for a block or a commit: the network is working on something. Nil votes are
// what idle validators' timeouts produce and do not count.
bool IsSubstantive(const consensus::Message& message) {
  if (const auto* vote = std::get_if<consensus::Vote>(&message)) return !vote->value_id.empty();
  return true;
}

}  // namespace

Replica::Replica(const ledger::Genesis& genesis, ReplicaOptions options, const ChainAccess& chain,
                 EventChecker& checker, consensus::Signer* signer, consensus::Verifier& verifier, Now now)
    : genesis_(genesis),
      options_(std::move(options)),
      chain_(chain),
      checker_(checker),
      signer_(signer),
      verifier_(verifier),
      validators_(ledger::ValidatorsInConsensusOrder(genesis.validators)),
      validator_set_(MemberSet(validators_)),
      rules_(genesis, UncheckedRules()),
      mempool_(options_.mempool_max_events),
      wall_ms_(now.wall_ms),
      monotonic_ms_(now.monotonic_ms) {
  JEJAK_ASSERT(options_.tick_ms > 0, "a tick of 0 ms");
  for (size_t i = 0; i < validators_.size(); ++i) {
    if (validators_[i].id == options_.node_id) self_index_ = static_cast<consensus::ValidatorIndex>(i);
  }
  options_.core.chain_id = genesis_.chain_id;
  if (self_index_) options_.core.self = *self_index_;
  next_tick_ms_ = monotonic_ms_ + options_.tick_ms;
  last_activity_ms_ = monotonic_ms_;
  next_sync_ms_ = monotonic_ms_;
  committed_height_ = chain_.Current().head_height();
  ChainApplication::Options app;
  app.proposer_id = options_.node_id;
  app.max_block_events = options_.max_block_events;
  app.max_block_bytes = options_.core.max_value_bytes;
  app.on_left_out = [this](const std::string& id, const Status& reason) { LeftOut(id, reason); };
  app.on_failure = [this](const Status& failure) { Fail(failure); };
  application_ = std::make_unique<ChainApplication>(genesis_, chain_.Current(), mempool_, checker_, wall_ms_, app);
  last_record_ = options_.safety_record;
  sitting_out_ = self_index_.has_value() && options_.sit_out;
  if (self_index_ && !sitting_out_) MakeCore();
}

Replica::~Replica() = default;

std::string Replica::Describe() const {
  std::string out = "head " + std::to_string(chain_.Current().head_height());
  if (core_) {
    out += ", at height " + std::to_string(core_->height()) + " round " + std::to_string(core_->round()) + " " +
           consensus::StepName(core_->step());
  } else {
    out += sitting_out_ ? ", sitting out" : ", observer";
  }
  out += ", " + std::to_string(mempool_.size()) + " events waiting, " + std::to_string(inbox_.size()) +
         " messages in the inbox" + (quiet_ ? ", quiet" : "");
  return out;
}

// Also after block sync moved the chain past the core: the core restarts at the new height, as
// after a restart. Catchup would only cover one height; this covers any gap with the one path
// restarts already take, and the last safety record still forbids conflicting signatures.
void Replica::MakeCore() {
  JEJAK_ASSERT(self_index_.has_value() && signer_ != nullptr, "a core for a node that cannot sign");
  application_->ForgetCandidates();
  core_ = std::make_unique<consensus::Core>(options_.core, validator_set_, *application_, *signer_, verifier_,
                                            committed_height_ + 1, last_record_);
  // A new core starts its timeouts now, not with the ticks missed while there was none.
  next_tick_ms_ = monotonic_ms_ + options_.tick_ms;
}

void Replica::Log(LogLine::Level level, std::string text) { log_.push_back({level, std::move(text)}); }

void Replica::Fail(const Status& failure) {
  if (failure_.ok()) failure_ = failure;
}

Status Replica::AcceptsSubmission(size_t count) const {
  if (!is_validator()) {
    // Forwarding would make this node a relay whose answers clients must trust; naming a
    // validator keeps the client in charge of where its events go. The genesis knows validators'
    // peer addresses only, which clients cannot use: name them.
    std::string names;
    for (const ledger::Validator& validator : validators_) names += (names.empty() ? "" : ", ") + validator.id;
    return Status::PermissionDenied("node " + options_.node_id + " is an observer and does not accept events: "
                                    "submit them to the ledger service of a validator (" + names + ")");
  }
  if (count > options_.max_events_per_request) {
    return Status::ResourceExhausted(std::to_string(count) + " events in one request; at most " +
                                     std::to_string(options_.max_events_per_request) + " are accepted");
  }
  return Status::Ok();
}

Result<std::vector<SubmitOutcome>> Replica::CheckSubmission(std::span<const v1::SignedEvent> events,
                                                            std::span<const std::string> ids, Now now) const {
  JEJAK_ASSERT(events.size() == ids.size(), "an id for every event");
  std::vector<SubmitOutcome> outcomes(events.size());
  Result<std::unique_ptr<ledger::ChainReader>> snapshot = chain_.Snapshot();
  if (!snapshot.ok()) return snapshot.status();
  for (size_t i = 0; i < events.size(); ++i) {
    outcomes[i].event_id = ids[i];
    Result<std::optional<v1::EventRecord>> existing = ledger::GetEvent(**snapshot, ids[i]);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      outcomes[i].already_committed = true;  // the rules take it as a no-op below
      outcomes[i].height = (*existing)->position().height();
    }
  }
  std::vector<const v1::SignedEvent*> pointers;
  for (const v1::SignedEvent& event : events) pointers.push_back(&event);
  // No block exists yet: the node's clock stands in for the block time, so that an event dated
  // too far ahead is refused now (ledger/event_time.h). The time of the block that takes it
  // decides, at proposal and at validation.
  Result<ledger::AppliedEvents> applied =
      rules_.ApplyEvents(**snapshot, pointers, std::vector<std::string>(ids.begin(), ids.end()),
                         {(*snapshot)->head_height() + 1, 0, now.wall_ms}, ledger::OnRefusal::kFailAll);
  if (!applied.ok()) return applied.status();
  return outcomes;
}

bool Replica::CommittedOrInFlight(const std::string& event_id, uint64_t* height) const {
  if (auto it = in_flight_.find(event_id); it != in_flight_.end()) {
    *height = it->second;
    return true;
  }
  Result<std::optional<v1::EventRecord>> record = ledger::GetEvent(chain_.Current(), event_id);
  if (!record.ok() || !record->has_value()) return false;
  *height = (*record)->position().height();
  return true;
}

Result<std::vector<size_t>> Replica::Queue(std::span<const v1::SignedEvent> events,
                                           std::span<const std::string> ids, std::vector<SubmitOutcome>* outcomes) {
  JEJAK_ASSERT(events.size() == ids.size() && outcomes->size() == ids.size(), "an id and outcome for every event");
  std::vector<size_t> queued;
  std::set<std::string> seen;
  for (size_t i = 0; i < events.size(); ++i) {
    SubmitOutcome& outcome = (*outcomes)[i];
    // Committed after the check's snapshot was taken, or being committed now.
    if (!outcome.already_committed && CommittedOrInFlight(ids[i], &outcome.height)) {
      outcome.already_committed = true;
    }
    if (!outcome.already_committed && seen.insert(ids[i]).second) queued.push_back(i);
  }
  if (mempool_.size() + queued.size() > options_.mempool_max_events) {
    return Status::ResourceExhausted("the node's queue of pending events is full: retry shortly");
  }
  std::vector<const v1::SignedEvent*> gossiped;
  for (size_t i : queued) {
    JEJAK_RETURN_IF_ERROR(mempool_.Add(PendingEvent{ids[i], events[i]}));
    gossiped.push_back(&events[i]);
  }
  Gossip(gossiped);  // so the proposer of the next heights has them, whoever it is
  return queued;
}

void Replica::Gossip(std::span<const v1::SignedEvent* const> events) {
  if (validators_.size() < 2 || events.empty()) return;
  v1::PeerMessage message;
  size_t bytes = 0;
  for (const v1::SignedEvent* event : events) {
    const size_t size = event->ByteSizeLong();
    if (message.events().events_size() > 0 &&
        (bytes + size > kMaxGossipBatchBytes ||
         static_cast<size_t>(message.events().events_size()) >= kMaxGossipBatchEvents)) {
      messages_.push_back({std::nullopt, std::move(message)});
      message = v1::PeerMessage();
      bytes = 0;
    }
    *message.mutable_events()->add_events() = *event;
    bytes += size;
  }
  messages_.push_back({std::nullopt, std::move(message)});
}

void Replica::ReceiveGossip(const std::string& from, std::span<const v1::SignedEvent> events,
                            std::span<const std::string> ids, std::span<const Status> checks) {
  if (!is_validator()) return;  // an observer takes part in nothing
  JEJAK_ASSERT(events.size() == ids.size() && ids.size() == checks.size(), "a check for every event");
  for (size_t i = 0; i < events.size(); ++i) {
    if (!checks[i].ok()) {
      Log(LogLine::Level::kWarn, "refused gossiped event " + std::to_string(i) + " from validator " + from + ": " +
                                     checks[i].message());
      continue;
    }
    uint64_t height = 0;
    if (mempool_.Contains(ids[i]) || CommittedOrInFlight(ids[i], &height)) continue;
    // Full: the submitting validator still holds it and proposes it in its turn.
    (void)mempool_.Add(PendingEvent{ids[i], events[i]});
  }
}

void Replica::ReceiveConsensus(const std::string& from, const v1::ConsensusMessage& proto) {
  if (!is_validator() || sitting_out_) return;  // no core to step; it follows by block sync meanwhile
  Result<consensus::Message> message = ledger::DecodeConsensusMessage(proto);
  if (!message.ok()) {
    Log(LogLine::Level::kWarn, "refused a consensus message from validator " + from + ": " +
                                   message.status().message());
    return;
  }
  if (inbox_.size() >= options_.max_inbox_messages) {
    if (inbox_dropped_++ % 1000 == 0) {
      Log(LogLine::Level::kWarn, "consensus inbox full (" + std::to_string(options_.max_inbox_messages) +
                                     " messages): dropping messages from " + from);
    }
    return;
  }
  inbox_.push_back(std::move(*message));
}

void Replica::StepInbox() {
  std::deque<consensus::Message> messages;
  messages.swap(inbox_);
  for (const consensus::Message& message : messages) {
    const uint64_t height = consensus::MessageHeight(message);
    // Too far ahead for the core to keep, or a decision for a height past ours: we are behind.
    const bool commit_ahead = std::holds_alternative<consensus::Commit>(message) && height > core_->height();
    if (height > core_->height() && !ahead_seen_since_ms_) ahead_seen_since_ms_ = monotonic_ms_;
    if (height > core_->height() + 1 || commit_ahead) {
      sync_wanted_ = true;
      if (!options_.has_block_source && monotonic_ms_ >= next_behind_warning_ms_) {
        next_behind_warning_ms_ = monotonic_ms_ + 10'000;  // say it now and then, not per message
        Log(LogLine::Level::kWarn, "this validator is behind (a message for height " + std::to_string(height) +
                                       ", we are at " + std::to_string(core_->height()) +
                                       ") and has no [block_sync] sources to catch up from");
      }
      if (commit_ahead) continue;
    }
    consensus::Status status = core_->Step(message);
    if (status.ok()) {
      if (IsSubstantive(message)) last_activity_ms_ = monotonic_ms_;
    } else if (status.code() == consensus::StatusCode::kInvalid) {
      Log(LogLine::Level::kWarn, "refused consensus message: " + status.message());
    } else if (status.code() == consensus::StatusCode::kInternal) {
      Log(LogLine::Level::kError, "consensus core: " + status.message());
    }
  }
}

bool Replica::Idle() const {
  if (!core_) return true;
  if (mempool_.size() != 0 || core_->step() != consensus::RoundStep::kPropose) return false;
  if (validators_.size() == 1) return true;
  // Several validators: another one may still need our votes. Stand still only when nothing
  // non-nil (a proposal, a vote for a block, a commit) was seen for a few full rounds, nothing
  // waits in the inbox, and no peer was seen ahead of us.
  if (options_.has_block_source && sync_wanted_) return false;
  if (!inbox_.empty()) return false;
  return monotonic_ms_ - last_activity_ms_ > static_cast<int64_t>(options_.quiet_after_ms);
}

// An idle node does not tick: rounds would pass and timeouts grow while there is nothing to order
// (CometBFT's "wait for transactions"); the first event wakes it and is proposed at the next tick
// (the proposer retries while in its propose step). Missed ticks are caught up, bounded so a long
// stall (SIGSTOP) cannot spin here.
void Replica::RunTicks() {
  for (int i = 0; i < 1000 && monotonic_ms_ >= next_tick_ms_; ++i) {
    if (!Idle()) core_->Tick();
    next_tick_ms_ += options_.tick_ms;
  }
  if (monotonic_ms_ >= next_tick_ms_) next_tick_ms_ = monotonic_ms_ + options_.tick_ms;
}

void Replica::Tick(Now now) {
  wall_ms_ = now.wall_ms;
  monotonic_ms_ = std::max(monotonic_ms_, now.monotonic_ms);
  if (core_ && !awaiting_advance_) {
    StepInbox();
    RunTicks();
  }
  quiet_ = Idle();
  TendWaitingEvents();
  MaybeRequestFetch();
  ContinueSync();
}

// Events can wait for ever on a quiet network: one whose gossip was lost sits with the validator
// it was submitted to alone, which gets no proposer turn while the others, with nothing to order,
// stand still; one that a committed block made invalid (the loser of a conflict) sits in every
// mempool until each validator's own proposer turn. So when the network has been quiet for
// quiet_after_ms and events still wait here, this validator checks them against the chain (as
// CometBFT's mempool recheck does), tells the clients of those the rules now refuse, and sends the
// others again, which wakes the validators that lack them.
void Replica::TendWaitingEvents() {
  if (!is_validator() || mempool_.size() == 0 || awaiting_advance_) return;
  const int64_t quiet_for_ms = monotonic_ms_ - last_activity_ms_;
  if (quiet_for_ms <= static_cast<int64_t>(options_.quiet_after_ms) || monotonic_ms_ < next_tend_ms_) return;
  next_tend_ms_ = monotonic_ms_ + static_cast<int64_t>(options_.quiet_after_ms);
  std::vector<PendingEvent> waiting = mempool_.Peek(kMaxGossipBatchEvents);
  std::vector<std::string> ids;
  std::vector<const v1::SignedEvent*> events;
  for (const PendingEvent& event : waiting) {
    ids.push_back(event.event_id);
    events.push_back(&event.signed_event);
  }
  const ledger::BlockParams params{wall_ms_, options_.node_id, options_.core.max_value_bytes};
  Result<ledger::BuiltBlock> checked = ledger::BuildBlock(rules_, chain_.Current(), ids, events, params);
  if (!checked.ok()) return Fail(checked.status().WithContext("checking waiting events"));
  std::set<std::string> dropped;
  for (const ledger::BuiltBlock::LeftOut& left : checked->left_out) {
    dropped.insert(left.event_id);
    LeftOut(left.event_id, left.refusal);
  }
  mempool_.Remove({dropped.begin(), dropped.end()});
  std::vector<const v1::SignedEvent*> resend;
  for (size_t i = 0; i < waiting.size(); ++i) {
    if (!dropped.count(ids[i])) resend.push_back(events[i]);
  }
  Gossip(resend);
  Log(LogLine::Level::kInfo, "the network has been quiet for " + std::to_string(quiet_for_ms) + " ms with " +
                                 std::to_string(waiting.size()) + " events waiting here: " +
                                 std::to_string(dropped.size()) + " no longer apply, " +
                                 std::to_string(resend.size()) + " sent again");
}

void Replica::LeftOut(const std::string& event_id, const Status& reason) {
  if (!reason.ok()) {
    outcomes_.push_back({event_id, reason, 0});
    return;
  }
  uint64_t height = 0;
  if (CommittedOrInFlight(event_id, &height)) {
    outcomes_.push_back({event_id, Status::Ok(), height});
  } else {
    outcomes_.push_back({event_id, Status::Internal("event " + event_id + " vanished from the mempool"), 0});
  }
}

bool Replica::HasReady() const {
  if (awaiting_advance_) return false;
  return !failure_.ok() || (core_ && core_->HasReady()) || !synced_ready_.empty() || !outcomes_.empty() ||
         !messages_.empty() || fetch_.has_value() || refuse_fetch_.has_value() || !log_.empty();
}

Result<BlockToCommit> Replica::DecidedBlock(const consensus::Commit& commit) {
  Result<ValidatedBlock> validated = application_->TakeValidated(commit.value);
  if (!validated.ok()) {
    return Status::Internal("a committed block is not valid here: " + validated.status().message());
  }
  std::vector<std::string> ids;
  for (const ledger::Validator& v : validators_) ids.push_back(v.id);
  return BlockToCommit{std::move(validated->block), ledger::EncodeCertificate(commit.certificate, ids),
                       std::move(validated->writes), std::move(validated->event_ids), commit.value.id, false};
}

Ready Replica::TakeReady() {
  JEJAK_ASSERT(!awaiting_advance_, "TakeReady before the last Ready was advanced");
  Ready ready;
  ready_took_core_ = core_ && core_->HasReady();
  if (ready_took_core_) {
    ready.core = core_->TakeReady();
    for (const consensus::Commit& commit : ready.core.committed) {
      Result<BlockToCommit> block = DecidedBlock(commit);
      if (!block.ok()) {
        Fail(block.status());
        break;
      }
      ready.blocks.push_back(std::move(*block));
    }
    if (ready.core.safety_record) last_record_ = ready.core.safety_record;
    ready.safety_record = ready.core.safety_record;
    for (const consensus::OutboundMessage& out : ready.core.messages) {
      if (IsSubstantive(out.message) && !std::holds_alternative<consensus::Commit>(out.message)) {
        last_activity_ms_ = monotonic_ms_;
      }
      Outbound outbound;
      *outbound.message.mutable_consensus() = ledger::EncodeConsensusMessage(out.message);
      if (out.to) outbound.to_validator_id = validators_.at(*out.to).id;
      ready.messages.push_back(std::move(outbound));
    }
    for (const consensus::Evidence& evidence : ready.core.evidence) {
      Log(LogLine::Level::kWarn, "equivocation by validator " + validators_.at(evidence.validator).id +
                                     " at height " + std::to_string(consensus::MessageHeight(evidence.first)) +
                                     ": two conflicting signed messages");
    }
  }
  // A block this core decided takes the place of a fetched one of the same height.
  if (ready.blocks.empty()) {
    for (BlockToCommit& block : synced_ready_) ready.blocks.push_back(std::move(block));
  }
  synced_ready_.clear();
  for (const BlockToCommit& block : ready.blocks) {
    const uint64_t height = block.block.header().height();
    mempool_.Remove(block.event_ids);
    for (const std::string& id : block.event_ids) {
      in_flight_[id] = height;
      ready.outcomes.push_back({id, Status::Ok(), height});
    }
  }
  ready.failure = failure_;
  for (EventOutcome& outcome : outcomes_) ready.outcomes.push_back(std::move(outcome));
  for (Outbound& message : messages_) ready.messages.push_back(std::move(message));
  ready.log = std::move(log_);
  ready.fetch = fetch_;
  ready.refuse_fetch = refuse_fetch_;
  outcomes_.clear();
  messages_.clear();
  log_.clear();
  fetch_.reset();
  refuse_fetch_.reset();
  awaiting_advance_ = true;
  return ready;
}

void Replica::Advance(const Ready& ready) {
  JEJAK_ASSERT(awaiting_advance_, "Advance without a Ready");
  awaiting_advance_ = false;
  in_flight_.clear();
  bool synced = false;
  for (const BlockToCommit& block : ready.blocks) {
    JEJAK_ASSERT(block.block.header().height() == committed_height_ + 1, "blocks committed out of order");
    committed_height_ = block.block.header().height();
    synced = synced || block.synced;
  }
  JEJAK_ASSERT(chain_.Current().head_height() == committed_height_, "the chain is not at the replica's head");
  if (ready_took_core_ && core_) core_->Advance(ready.core);
  ready_took_core_ = false;
  if (!ready.blocks.empty()) {
    last_activity_ms_ = monotonic_ms_;
    ahead_seen_since_ms_.reset();
  }
  ContinueSync();
  // Also when this core's own decisions used up the fetched blocks.
  if (synced || (sync_from_ && fetched_.empty() && synced_ready_.empty())) AfterSyncedBlocks();
}

}  // namespace jejak::replica
