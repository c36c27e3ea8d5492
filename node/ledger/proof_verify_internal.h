// Internal to the proof verifier (proof_verify*.cc).
#pragma once

#include <map>
#include <string>

#include "jejak/v1/event.pb.h"
#include "node/ledger/genesis.h"
#include "node/ledger/ledger.h"
#include "node/ledger/proof_bundle.h"
#include "node/ledger/proof_verify.h"

namespace jejak::ledger::proof {

// An event whose signature, authorisation and inclusion have been checked.
struct CheckedEvent {
  const ProofEvent* source = nullptr;
  size_t index = 0;  // in bundle.events, for messages
  v1::Event event;   // event_time_ms derived from event_time, as the ledger does
  EventKind kind = EventKind::kObservation;
  const Organisation* organisation = nullptr;
  std::string key_name;
  int64_t block_time_ms = 0;
};
using CheckedEvents = std::map<std::string, CheckedEvent, std::less<>>;

// "event 3 (ni:///...)"
std::string EventLabel(size_t index, const std::string& event_id);

// Step 5 of proof_verify.h: the claimed graph against the events (proof_verify_graph.cc).
Status VerifyGraph(const ProofBundle& bundle, const CheckedEvents& events);
// The verified trace from a fully checked bundle (proof_verify_trace.cc).
Result<VerifiedTrace> DescribeTrace(const Genesis& genesis, const ProofBundle& bundle,
                                    const CheckedEvents& events, size_t signatures_verified);

}  // namespace jejak::ledger::proof
