// Node::Submit: the write path of the ledger service.
#include <algorithm>
#include <map>
#include <set>

#include "node/daemon/node.h"

namespace jejak::daemon {

Result<std::shared_ptr<const ledger::Membership>> Node::HeadMembership() const {
  auto snapshot = Snapshot();
  if (!snapshot.ok()) return snapshot.status();
  return ledger::LoadMembership(**snapshot, genesis_membership_);
}

Result<std::vector<SubmitOutcome>> Node::Submit(const std::vector<v1::SignedEvent>& events,
                                                std::chrono::steady_clock::time_point deadline) {
  if (stopping_.load()) return Status::Unavailable("the node is shutting down");
  std::vector<std::string> ids;
  std::vector<size_t> queued;
  Result<std::vector<SubmitOutcome>> outcomes = Status::Unavailable("the node has not started");
  {
    std::unique_lock lock(replica_mutex_);
    if (replica_ == nullptr) return outcomes.status();
    JEJAK_RETURN_IF_ERROR(replica_->AcceptsSubmission(events.size()));
  }
  // Signatures are checked in parallel, the rules in order against a snapshot: both outside the
  // replica's lock (the replica is created once, before any client can call).
  std::vector<const v1::SignedEvent*> pointers;
  for (const v1::SignedEvent& event : events) pointers.push_back(&event);
  auto membership = HeadMembership();
  if (!membership.ok()) return membership.status();
  std::vector<Status> checks = checker_.Check(pointers, **membership, &ids);
  for (size_t i = 0; i < events.size(); ++i) {
    if (!checks[i].ok()) return checks[i].ForEvent(static_cast<uint32_t>(i));
  }
  {
    std::lock_guard submit_lock(submit_mutex_);
    outcomes = replica_->CheckSubmission(events, ids, NodeClock());
    if (!outcomes.ok()) return outcomes.status();
    std::lock_guard lock(replica_mutex_);
    // Tracked before queueing (each id once, as Queue queues it): once queued, an outcome may be
    // handed out at the next Ready.
    std::set<std::string> candidates;
    for (size_t i = 0; i < events.size(); ++i) {
      if (!(*outcomes)[i].already_committed) candidates.insert(ids[i]);
    }
    const std::vector<std::string> tracked(candidates.begin(), candidates.end());
    JEJAK_RETURN_IF_ERROR(tracker_.Track(tracked));
    Result<std::vector<size_t>> accepted = replica_->Queue(events, ids, &*outcomes);
    if (!accepted.ok()) {
      tracker_.Untrack(tracked);
      return accepted.status();
    }
    queued = std::move(*accepted);
    for (size_t i : queued) candidates.erase(ids[i]);
    tracker_.Untrack(std::vector<std::string>(candidates.begin(), candidates.end()));  // committed meanwhile
  }
  Wake();
  std::vector<std::string> queued_ids;
  for (size_t i : queued) queued_ids.push_back(ids[i]);
  std::vector<CommitOutcome> waited = tracker_.Wait(queued_ids, deadline);
  std::map<std::string, CommitOutcome> by_id;
  for (size_t k = 0; k < queued.size(); ++k) by_id.emplace(queued_ids[k], waited[k]);
  // An event of a block being committed is answered once that block is on this node's disk.
  uint64_t highest = 0;
  for (const SubmitOutcome& outcome : *outcomes) {
    if (outcome.already_committed) highest = std::max(highest, outcome.height);
  }
  if (highest > 0 && WaitForHeightAbove(highest - 1, deadline) < highest) {
    return Status::Unavailable("the block holding the events is not committed yet: retry shortly");
  }
  for (size_t i = 0; i < events.size(); ++i) {
    if ((*outcomes)[i].already_committed) continue;
    const CommitOutcome& outcome = by_id.at(ids[i]);
    if (!outcome.status.ok()) return outcome.status.ForEvent(static_cast<uint32_t>(i));
    (*outcomes)[i].height = outcome.height;
  }
  return outcomes;
}

}  // namespace jejak::daemon
