// Internal to the proof verifier (proof_verify*.cc).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "jejak/v1/event.pb.h"
#include "node/ledger/genesis.h"
#include "node/ledger/ledger.h"
#include "node/ledger/membership.h"
#include "node/ledger/proof_bundle.h"
#include "node/ledger/proof_verify.h"

namespace jejak::ledger::proof {

// An event whose signature, authorisation and inclusion have been checked.
struct CheckedEvent {
  const ProofEvent* source = nullptr;
  size_t index = 0;  // in bundle.events, for messages
  v1::Event event;   // event_time_ms derived from event_time, as the ledger does
  EventKind kind = EventKind::kObservation;
  const Organisation* organisation = nullptr;  // as in force at its block
  std::string key_name;
  // Set when the signer's key was revoked by the bundle's last governance entry: what revoked it,
  // and whether it was reported compromised at or before the event's time or its block's.
  std::string key_revoked;
  bool key_compromised = false;
  int64_t block_time_ms = 0;
};
using CheckedEvents = std::map<std::string, CheckedEvent, std::less<>>;

// "event 3 (ni:///...)"
std::string EventLabel(size_t index, const std::string& event_id);
const ProofBlock* FindBlock(const ProofBundle& bundle, uint64_t height);
// The entry's Merkle path leads to its block's events root.
Status CheckInclusion(const ProofEvent& entry, const ProofBlock& block);

// The membership in force at each block the bundle shows: the genesis', then after each block of
// its governance entries the one those entries made (proof_verify_governance.cc).
class MembershipTimeline {
 public:
  explicit MembershipTimeline(std::shared_ptr<const Membership> genesis) : genesis_(std::move(genesis)) {}
  // In force at block `height`: made by the entries of blocks before it.
  const Membership& At(uint64_t height) const;
  // After the bundle's last governance entry.
  const Membership& Latest() const;
  void After(uint64_t height, std::shared_ptr<const Membership> membership) { after_[height] = std::move(membership); }

 private:
  std::shared_ptr<const Membership> genesis_;
  std::map<uint64_t, std::shared_ptr<const Membership>> after_;  // after block h
};
// Checks each governance entry's block and path, then replays them in chain order with the
// ledger's own rules (signer, admin key, signature, proposal, approvals), counting signatures.
Result<MembershipTimeline> ReplayGovernance(const Genesis& genesis, const ProofBundle& bundle, size_t& signatures);

// Step 5 of proof_verify.h: the claimed graph against the events (proof_verify_graph.cc).
Status VerifyGraph(const ProofBundle& bundle, const CheckedEvents& events);
// The verified trace from a fully checked bundle (proof_verify_trace.cc).
Result<VerifiedTrace> DescribeTrace(const Genesis& genesis, const ProofBundle& bundle,
                                    const CheckedEvents& events, size_t signatures_verified);

}  // namespace jejak::ledger::proof
