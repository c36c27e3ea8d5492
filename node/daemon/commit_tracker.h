// Lets a client's SubmitEvents call wait until each of its events is committed or rejected.
//
// The ledger service registers the event ids it queued; the apply loop reports each committed
// event (with its block height) and each event it dropped as invalid at proposal time.
// Bounded: at most `max_waiting` ids are tracked; a waiter that gives up forgets its ids.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "node/base/status.h"

namespace jejak::daemon {

struct CommitOutcome {
  Status status;        // ok: committed
  uint64_t height = 0;  // block holding the event when committed
};

class CommitTracker {
 public:
  explicit CommitTracker(size_t max_waiting) : max_waiting_(max_waiting) {}

  // Starts tracking; ResourceExhausted when too many events are already awaited.
  Status Track(const std::vector<std::string>& event_ids);
  // Stops tracking ids given to Track when the caller will not Wait for them (an error path).
  void Untrack(const std::vector<std::string>& event_ids);
  void Committed(const std::string& event_id, uint64_t height);
  void Rejected(const std::string& event_id, const Status& reason);
  // Waits until every id has an outcome or the deadline passes; forgets the ids either way.
  // An id still open at the deadline gets an Unavailable outcome saying it is still pending.
  std::vector<CommitOutcome> Wait(const std::vector<std::string>& event_ids,
                                  std::chrono::steady_clock::time_point deadline);
  // Wakes every waiter with Unavailable (the node is shutting down).
  void Shutdown();

 private:
  void Resolve(const std::string& event_id, CommitOutcome outcome);

  const size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable changed_;
  // id -> outcome once known; an id is present while somebody waits for it.
  std::map<std::string, std::optional<CommitOutcome>> waiting_;
  std::map<std::string, int> waiter_counts_;  // the same event may be submitted by two clients
  bool shutdown_ = false;
};

}  // namespace jejak::daemon
