// Signed events that passed their checks and wait to be ordered into a block.
//
// Bounded: when full, Add refuses with RESOURCE_EXHAUSTED instead of growing; clients retry.
// Single-threaded: the replica owns it (its driver serialises every call).
#pragma once

#include <cstddef>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"

namespace jejak::replica {

struct PendingEvent {
  std::string event_id;
  v1::SignedEvent signed_event;
};

class Mempool {
 public:
  explicit Mempool(size_t max_events) : max_events_(max_events) {}

  // Ok if added or already waiting (the same event is kept once).
  Status Add(PendingEvent event);
  // Up to `max_events` waiting events, oldest first; they stay until Remove.
  std::vector<PendingEvent> Peek(size_t max_events) const;
  // Forgets the events with these ids (committed, or found invalid).
  void Remove(const std::vector<std::string>& event_ids);
  bool Contains(const std::string& event_id) const;
  size_t size() const;

 private:
  const size_t max_events_;
  std::deque<PendingEvent> queue_;
  std::set<std::string> ids_;
};

}  // namespace jejak::replica
