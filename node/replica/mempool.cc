#include "node/replica/mempool.h"

#include <algorithm>

namespace jejak::replica {

Status Mempool::Add(PendingEvent event) {
  if (ids_.contains(event.event_id)) return Status::Ok();
  if (queue_.size() >= max_events_) {
    return Status::ResourceExhausted("the node's queue of pending events is full (" +
                                     std::to_string(max_events_) + " events): retry shortly");
  }
  ids_.insert(event.event_id);
  queue_.push_back(std::move(event));
  return Status::Ok();
}

std::vector<PendingEvent> Mempool::Peek(size_t max_events) const {
  size_t count = std::min(max_events, queue_.size());
  return std::vector<PendingEvent>(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
}

void Mempool::Remove(const std::vector<std::string>& event_ids) {
  std::set<std::string> gone;
  for (const std::string& id : event_ids) {
    if (ids_.erase(id) > 0) gone.insert(id);
  }
  if (gone.empty()) return;
  std::erase_if(queue_, [&](const PendingEvent& e) { return gone.contains(e.event_id); });
}

bool Mempool::Contains(const std::string& event_id) const {
  return ids_.contains(event_id);
}

size_t Mempool::size() const {
  return queue_.size();
}

}  // namespace jejak::replica
