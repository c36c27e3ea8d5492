// The node as a member of a network: consensus messages in and out, event gossip, block sync.
#include <spdlog/spdlog.h>

#include "node/ledger/consensus_codec.h"
#include "node/daemon/node.h"
#include "node/ledger/queries.h"

namespace jejak::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// Gossip batches stay well below gRPC's message limits whatever the events' sizes.
constexpr size_t kMaxGossipBatchBytes = 2 << 20;
constexpr size_t kMaxGossipBatchEvents = 1000;

// A proposal, a vote for a block or a commit: the network is working on something. Nil votes are
// what idle validators' timeouts produce and do not count.
bool IsSubstantive(const consensus::Message& message) {
  if (const auto* vote = std::get_if<consensus::Vote>(&message)) return !vote->value_id.empty();
  return true;
}

}  // namespace

void Node::OnPeerMessage(const std::string& from_validator_id, v1::PeerMessage message) {
  if (stopping_.load() || !is_validator()) return;  // an observer takes part in nothing
  switch (message.body_case()) {
    case v1::PeerMessage::kConsensus:
      if (sitting_out_.load()) return;  // no core to step; it follows by block sync meanwhile
      QueueConsensus(from_validator_id, message.consensus());
      break;
    case v1::PeerMessage::kEvents:
      ReceiveGossip(from_validator_id, message.events());
      break;
    case v1::PeerMessage::BODY_NOT_SET:
      spdlog::warn("empty peer message from validator {}", from_validator_id);
      break;
  }
}

void Node::QueueConsensus(const std::string& from_validator_id, const v1::ConsensusMessage& proto) {
  Result<consensus::Message> message = ledger::DecodeConsensusMessage(proto);
  if (!message.ok()) {
    spdlog::warn("refused a consensus message from validator {}: {}", from_validator_id,
                 message.status().message());
    return;
  }
  {
    std::lock_guard lock(inbox_mutex_);
    if (inbox_.size() >= kMaxInboxMessages) {
      if (inbox_dropped_++ % 1000 == 0) {
        spdlog::warn("consensus inbox full ({} messages): dropping messages from {}", kMaxInboxMessages,
                     from_validator_id);
      }
      return;
    }
    inbox_.push_back(std::move(*message));
  }
  Wake();
}

void Node::StepInbox() {
  std::deque<consensus::Message> messages;
  {
    std::lock_guard lock(inbox_mutex_);
    messages.swap(inbox_);
  }
  for (const consensus::Message& message : messages) {
    const uint64_t height = consensus::MessageHeight(message);
    // Too far ahead for the core to keep, or a decision for a height past ours: we are behind.
    const bool commit_ahead = std::holds_alternative<consensus::Commit>(message) && height > core_->height();
    if (height > core_->height() + 1 || commit_ahead) {
      sync_wanted_.store(true);
      if (block_source_ == nullptr && Clock::now() >= next_sync_) {
        next_sync_ = Clock::now() + std::chrono::seconds(10);  // say it now and then, not per message
        spdlog::warn("this validator is behind (a message for height {}, we are at {}) and has no "
                     "[block_sync] sources to catch up from", height, core_->height());
      }
      if (commit_ahead) continue;
    }
    consensus::Status status = core_->Step(message);
    if (status.ok()) {
      if (IsSubstantive(message)) last_activity_ = Clock::now();
    } else if (status.code() == consensus::StatusCode::kInvalid) {
      spdlog::warn("refused consensus message: {}", status.message());
    } else if (status.code() == consensus::StatusCode::kInternal) {
      spdlog::error("consensus core: {}", status.message());
    }
  }
}

void Node::SendMessages(const std::vector<consensus::OutboundMessage>& messages) {
  for (const consensus::OutboundMessage& out : messages) {
    if (IsSubstantive(out.message) && !std::holds_alternative<consensus::Commit>(out.message)) {
      last_activity_ = Clock::now();
    }
    if (transport_ == nullptr) continue;  // a one-validator network: no one to send to
    v1::PeerMessage message;
    *message.mutable_consensus() = ledger::EncodeConsensusMessage(out.message);
    std::optional<std::string> to;
    if (out.to) to = validators_.at(*out.to).id;
    transport_->Send(to, message);
  }
}

void Node::Gossip(const std::vector<v1::SignedEvent>& events) {
  if (transport_ == nullptr || events.empty()) return;
  v1::PeerMessage message;
  size_t bytes = 0;
  for (const v1::SignedEvent& event : events) {
    const size_t size = event.ByteSizeLong();
    if (message.events().events_size() > 0 &&
        (bytes + size > kMaxGossipBatchBytes ||
         static_cast<size_t>(message.events().events_size()) >= kMaxGossipBatchEvents)) {
      transport_->Send(std::nullopt, message);
      message.Clear();
      bytes = 0;
    }
    *message.mutable_events()->add_events() = event;
    bytes += size;
  }
  transport_->Send(std::nullopt, message);
}

void Node::ReceiveGossip(const std::string& from_validator_id, const v1::EventBatch& batch) {
  if (static_cast<size_t>(batch.events_size()) > kMaxGossipBatchEvents) {
    spdlog::warn("refused {} gossiped events from validator {}: more than {} in one batch",
                 batch.events_size(), from_validator_id, kMaxGossipBatchEvents);
    return;
  }
  const std::vector<v1::SignedEvent> events(batch.events().begin(), batch.events().end());
  std::vector<std::string> ids;
  std::vector<Status> checks = VerifyEach(events, &ids);
  size_t added = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!checks[i].ok()) {
      spdlog::warn("refused gossiped event {} from validator {}: {}", i, from_validator_id,
                   checks[i].message());
      continue;
    }
    if (mempool_.Contains(ids[i])) continue;
    Result<std::optional<v1::EventRecord>> committed = ledger::GetEvent(*store_, ids[i]);
    if (!committed.ok() || committed->has_value()) continue;
    // Full: the submitting validator still holds it and proposes it in its turn.
    if (mempool_.Add(PendingEvent{ids[i], events[i]}).ok()) ++added;
  }
  if (added > 0) Wake();
}

Status Node::MaybeSync() {
  if (block_source_ == nullptr) return Status::Ok();
  const auto now = Clock::now();
  // A validator with a core syncs when it sees it is behind; an observer (or a validator sitting
  // out) polls.
  if (now < next_sync_ || (core_ && !sync_wanted_.load())) return Status::Ok();
  sync_wanted_.store(false);
  next_sync_ = now + std::chrono::milliseconds(config_.block_sync.poll_interval_ms);
  Result<uint64_t> best = block_source_->BestHeadHeight();
  if (!best.ok()) {
    spdlog::debug("block sync: no source answers: {}", best.status().message());
    return Status::Ok();
  }
  const uint64_t head_before = store_->head_height();
  if (*best <= head_before) return MaybeEndSitOut(*best);
  Result<uint64_t> applied = block_sync_->Run(*block_source_);
  if (!applied.ok() && !applied.status().IsInputFault() &&
      applied.status().code() != StatusCode::kUnavailable) {
    return applied.status();  // our own failure
  }
  const uint64_t head = store_->head_height();
  if (head == head_before) return MaybeEndSitOut(*best);
  spdlog::info("block sync: caught up from height {} to {}", head_before, head);
  if (head < *best) {  // still behind: go on at once
    next_sync_ = now;
    sync_wanted_.store(true);
  }
  if (core_ && core_->height() != head + 1) {
    JEJAK_RETURN_IF_ERROR(MakeCore());
    last_activity_ = Clock::now();
  }
  return MaybeEndSitOut(*best);
}

}  // namespace jejak::daemon
