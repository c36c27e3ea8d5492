#include "node/daemon/commit_tracker.h"

namespace jejak::daemon {

Status CommitTracker::Track(const std::vector<std::string>& event_ids) {
  std::lock_guard lock(mutex_);
  if (waiting_.size() + event_ids.size() > max_waiting_) {
    return Status::ResourceExhausted("the node is already waiting for " +
                                     std::to_string(waiting_.size()) +
                                     " events to commit: retry shortly");
  }
  for (const std::string& id : event_ids) {
    waiting_.try_emplace(id);
    ++waiter_counts_[id];
  }
  return Status::Ok();
}

void CommitTracker::Untrack(const std::vector<std::string>& event_ids) {
  std::lock_guard lock(mutex_);
  for (const std::string& id : event_ids) {
    auto count = waiter_counts_.find(id);
    if (count == waiter_counts_.end()) continue;
    if (--count->second == 0) {
      waiter_counts_.erase(count);
      waiting_.erase(id);
    }
  }
}

void CommitTracker::Resolve(const std::string& event_id, CommitOutcome outcome) {
  std::lock_guard lock(mutex_);
  auto it = waiting_.find(event_id);
  if (it == waiting_.end() || it->second.has_value()) return;
  it->second = std::move(outcome);
  changed_.notify_all();
}

void CommitTracker::Committed(const std::string& event_id, uint64_t height) {
  Resolve(event_id, CommitOutcome{Status::Ok(), height});
}

void CommitTracker::Rejected(const std::string& event_id, const Status& reason) {
  Resolve(event_id, CommitOutcome{reason, 0});
}

void CommitTracker::Shutdown() {
  std::lock_guard lock(mutex_);
  shutdown_ = true;
  changed_.notify_all();
}

std::vector<CommitOutcome> CommitTracker::Wait(const std::vector<std::string>& event_ids,
                                               std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  auto all_known = [&] {
    for (const std::string& id : event_ids) {
      auto it = waiting_.find(id);
      if (it != waiting_.end() && !it->second.has_value()) return false;
    }
    return true;
  };
  changed_.wait_until(lock, deadline, [&] { return shutdown_ || all_known(); });
  std::vector<CommitOutcome> outcomes;
  outcomes.reserve(event_ids.size());
  for (const std::string& id : event_ids) {
    auto it = waiting_.find(id);
    if (it != waiting_.end() && it->second.has_value()) {
      outcomes.push_back(*it->second);
    } else {
      outcomes.push_back({Status::Unavailable(shutdown_ ? "the node is shutting down"
                                                        : "event " + id + " is not committed yet; "
                                                          "it stays queued: resubmit to learn its fate"),
                          0});
    }
    if (--waiter_counts_[id] == 0) {
      waiter_counts_.erase(id);
      waiting_.erase(id);
    }
  }
  return outcomes;
}

}  // namespace jejak::daemon
