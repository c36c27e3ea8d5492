// Node::Submit: the write path of the ledger service.
#include <map>
#include <set>

#include "node/daemon/node.h"
#include "node/ledger/queries.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/signing.h"

namespace jejak::daemon {
namespace {

// Decodes one event and names it. Runs on the worker pool.
Status DecodeOne(const v1::SignedEvent& signed_event, std::string* event_id) {
  if (signed_event.event_bytes().size() > ledger::kMaxEventBytes) {
    return Status::ResourceExhausted("the event is " + std::to_string(signed_event.event_bytes().size()) +
                                     " bytes, more than the " + std::to_string(ledger::kMaxEventBytes) +
                                     " accepted")
        .WithRule(ledger::rule::kEventEncoding);
  }
  v1::Event event;
  if (!event.ParseFromString(signed_event.event_bytes())) {
    return Status::Invalid("the event bytes are not a serialised jejak.v1.Event")
        .WithRule(ledger::rule::kEventEncoding);
  }
  Result<std::string> id = ledger::LedgerEventId(event);
  if (!id.ok()) return id.status().WithRule(epcis::rule::kEpcisFormat);
  *event_id = std::move(*id);
  return Status::Ok();
}

}  // namespace

std::vector<Status> Node::VerifyEach(const std::vector<v1::SignedEvent>& events,
                                     std::vector<std::string>* ids) {
  ids->assign(events.size(), "");
  std::vector<Status> checks(events.size());
  workers_.ParallelFor(events.size(), [&](size_t i) {
    std::string key = VerifiedCache::Key(events[i]);
    if (std::optional<std::string> known = verified_.Find(key)) {
      (*ids)[i] = std::move(*known);  // decoded and verified when it first arrived
      return;
    }
    checks[i] = DecodeOne(events[i], &(*ids)[i]);
    if (!checks[i].ok()) return;
    checks[i] = ledger::VerifyEventSignature(rules_.keys(), genesis_.chain_id, events[i]);
    if (checks[i].ok()) verified_.Insert(std::move(key), (*ids)[i]);
  });
  return checks;
}

Status Node::VerifyBatch(const std::vector<v1::SignedEvent>& events, std::vector<std::string>* ids) {
  std::vector<Status> checks = VerifyEach(events, ids);
  for (size_t i = 0; i < events.size(); ++i) {
    if (!checks[i].ok()) return checks[i].ForEvent(static_cast<uint32_t>(i));
  }
  return Status::Ok();
}

Status Node::CheckBatch(const std::vector<v1::SignedEvent>& events, const std::vector<std::string>& ids,
                        std::vector<SubmitOutcome>* outcomes) {
  outcomes->assign(events.size(), SubmitOutcome{});
  // The rules, in order, against the committed state: event k sees events 0..k-1 of the batch.
  Result<std::unique_ptr<storage::StoreSnapshot>> snapshot = store_->Snapshot();
  if (!snapshot.ok()) return snapshot.status();
  // No block exists yet: the node's clock stands in for the block time, so that an event dated
  // too far ahead is refused now (ledger/event_time.h). The time of the block that takes it
  // decides, at proposal and at validation.
  const int64_t now_ms = WallClockMs();
  for (size_t i = 0; i < events.size(); ++i) {
    (*outcomes)[i].event_id = ids[i];
    Result<std::optional<v1::EventRecord>> existing = ledger::GetEvent(**snapshot, ids[i]);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      (*outcomes)[i].already_committed = true;  // the rules take it as a no-op below
      (*outcomes)[i].height = (*existing)->position().height();
    }
  }
  std::vector<const v1::SignedEvent*> pointers;
  for (const v1::SignedEvent& event : events) pointers.push_back(&event);
  Result<ledger::AppliedEvents> applied =
      rules_.ApplyEvents(**snapshot, pointers, ids, {(*snapshot)->head_height() + 1, 0, now_ms},
                         ledger::OnRefusal::kFailAll);
  return applied.status();
}

Result<std::vector<SubmitOutcome>> Node::Submit(const std::vector<v1::SignedEvent>& events,
                                                std::chrono::steady_clock::time_point deadline) {
  if (stopping_.load()) return Status::Unavailable("the node is shutting down");
  if (!is_validator()) {
    // Forwarding would make this node a relay whose answers clients must trust; naming a
    // validator keeps the client in charge of where its events go.
    // The genesis knows validators' peer addresses only, which clients cannot use: name them.
    std::string names;
    for (const ledger::Validator& validator : validators_) names += (names.empty() ? "" : ", ") + validator.id;
    return Status::PermissionDenied("node " + config_.node_id + " is an observer and does not accept events: "
                                    "submit them to the ledger service of a validator (" + names + ")");
  }
  if (events.size() > config_.limits.max_events_per_request) {
    return Status::ResourceExhausted(std::to_string(events.size()) + " events in one request; at most " +
                                     std::to_string(config_.limits.max_events_per_request) + " are accepted");
  }
  std::vector<std::string> ids;
  std::vector<SubmitOutcome> outcomes;
  std::vector<size_t> queued;
  // Signatures are checked in parallel and outside the lock; the rules run in order inside it.
  JEJAK_RETURN_IF_ERROR(VerifyBatch(events, &ids));
  {
    std::lock_guard lock(submit_mutex_);
    JEJAK_RETURN_IF_ERROR(CheckBatch(events, ids, &outcomes));
    std::set<std::string> seen;
    for (size_t i = 0; i < events.size(); ++i) {
      if (!outcomes[i].already_committed && seen.insert(ids[i]).second) queued.push_back(i);
    }
    if (mempool_.size() + queued.size() > config_.limits.mempool_max_events) {
      return Status::ResourceExhausted("the node's queue of pending events is full: retry shortly");
    }
    std::vector<std::string> queued_ids;
    for (size_t i : queued) queued_ids.push_back(ids[i]);
    JEJAK_RETURN_IF_ERROR(tracker_.Track(queued_ids));
    for (size_t i : queued) {
      if (Status added = mempool_.Add(PendingEvent{ids[i], events[i]}); !added.ok()) {
        tracker_.Untrack(queued_ids);  // events already queued still commit; nobody waits for them
        return added;
      }
    }
  }
  Wake();
  std::vector<v1::SignedEvent> gossiped;
  for (size_t i : queued) gossiped.push_back(events[i]);
  Gossip(gossiped);  // so the proposer of the next heights has them, whoever it is
  std::vector<std::string> queued_ids;
  for (size_t i : queued) queued_ids.push_back(ids[i]);
  std::vector<CommitOutcome> waited = tracker_.Wait(queued_ids, deadline);
  std::map<std::string, CommitOutcome> by_id;
  for (size_t k = 0; k < queued.size(); ++k) by_id.emplace(queued_ids[k], waited[k]);
  for (size_t i = 0; i < events.size(); ++i) {
    if (outcomes[i].already_committed) continue;
    const CommitOutcome& outcome = by_id.at(ids[i]);
    if (!outcome.status.ok()) return outcome.status.ForEvent(static_cast<uint32_t>(i));
    outcomes[i].height = outcome.height;
  }
  return outcomes;
}

}  // namespace jejak::daemon
