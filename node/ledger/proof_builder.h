// Building a proof bundle (proof_bundle.h) for one lot from a node's state and its blocks.
#pragma once

#include <cstdint>
#include <string_view>

#include "jejak/v1/block.pb.h"
#include "node/base/status.h"
#include "node/ledger/chain_reader.h"
#include "node/ledger/genesis.h"
#include "node/ledger/proof_bundle.h"
#include "node/ledger/state_store.h"

namespace jejak::ledger {

struct ProofOptions {
  bool forward = false;                 // also the downstream graph (recalls)
  size_t max_linked_lots = kDefaultMaxTraceLinkedLots;  // per trace, besides its root
  size_t max_events = kMaxProofEvents;  // distinct events in the bundle
};

// The upstream graph of `lot_id` (and, with options.forward, the downstream one), every event
// that touched each of its lots with its Merkle path, and each block used once with its
// certificate. `state` and `blocks` must be the same point in the chain (a snapshot), and
// `genesis` the chain's. NotFound for an unknown lot, ResourceExhausted past a bound, Corruption
// when the state names an event its block does not hold.
Result<ProofBundle> BuildProofBundle(const Genesis& genesis, const StateReader& state,
                                     const BlockReader& blocks, std::string_view lot_id,
                                     const ProofOptions& options = {});

}  // namespace jejak::ledger
