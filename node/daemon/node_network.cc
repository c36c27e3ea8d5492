// The node as a member of a network: consensus messages and gossiped events from the transport's
// threads, handed to the replica.
#include <spdlog/spdlog.h>

#include "node/daemon/node.h"

namespace jejak::daemon {

void Node::OnPeerMessage(const std::string& from_validator_id, v1::PeerMessage message) {
  if (stopping_.load() || !is_validator()) return;  // an observer takes part in nothing
  switch (message.body_case()) {
    case v1::PeerMessage::kConsensus: {
      std::lock_guard lock(replica_mutex_);
      if (replica_ == nullptr) return;
      replica_->ReceiveConsensus(from_validator_id, message.consensus());
      break;
    }
    case v1::PeerMessage::kEvents: {
      const v1::EventBatch& batch = message.events();
      if (static_cast<size_t>(batch.events_size()) > replica::Replica::kMaxGossipBatchEvents) {
        spdlog::warn("refused {} gossiped events from validator {}: more than {} in one batch",
                     batch.events_size(), from_validator_id, replica::Replica::kMaxGossipBatchEvents);
        return;
      }
      // Signatures on this thread, outside the replica's lock.
      const std::vector<v1::SignedEvent> events(batch.events().begin(), batch.events().end());
      std::vector<const v1::SignedEvent*> pointers;
      for (const v1::SignedEvent& event : events) pointers.push_back(&event);
      std::vector<std::string> ids;
      auto membership = HeadMembership();
      if (!membership.ok()) {
        spdlog::error("gossiped events from validator {} not checked: {}", from_validator_id,
                      membership.status().ToString());
        return;
      }
      std::vector<Status> checks = checker_.Check(pointers, **membership, &ids);
      std::lock_guard lock(replica_mutex_);
      if (replica_ == nullptr) return;
      replica_->ReceiveGossip(from_validator_id, events, ids, checks);
      break;
    }
    case v1::PeerMessage::BODY_NOT_SET:
      spdlog::warn("empty peer message from validator {}", from_validator_id);
      return;
  }
  Wake();
}

}  // namespace jejak::daemon
