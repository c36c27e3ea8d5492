#include "node/ledger/proof_builder.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "node/crypto/merkle.h"
#include "node/ledger/governance.h"
#include "node/ledger/keys.h"
#include "node/ledger/queries.h"

namespace jejak::ledger {
namespace {

using Position = std::pair<uint64_t, uint32_t>;  // (height, index): chain order

struct Collected {
  std::map<std::string, Position> event_positions;  // event id -> where it sits
  std::map<std::string, Position> governance_positions;  // governance entry id -> where it sits
  std::set<std::string> lots_seen;
};

ProofTrace ToTrace(const TraceGraph& graph, const char* direction) {
  ProofTrace trace;
  trace.direction = direction;
  for (const TraceNode& node : graph.nodes) trace.lot_ids.push_back(node.lot.lot_id());
  for (const TraceEdge& e : graph.edges) {
    trace.edges.push_back({e.kind, e.from_lot, e.to_lot, e.event_id});
  }
  return trace;
}

Status AddEvent(const v1::EventRecord& record, const ProofOptions& options, Collected& c) {
  Position position{record.position().height(), record.position().index()};
  auto [it, inserted] = c.event_positions.emplace(record.event_id(), position);
  if (!inserted && it->second != position) {
    return Status::Corruption("event " + record.event_id() + " is stored at two positions");
  }
  if (c.event_positions.size() > options.max_events) {
    return Status::ResourceExhausted("the proof needs more than " +
                                     std::to_string(options.max_events) + " events");
  }
  return Status::Ok();
}

Status AddLots(const StateReader& state, const TraceGraph& graph, const ProofOptions& options,
               Collected& c, ProofBundle& bundle) {
  for (const TraceNode& node : graph.nodes) {
    const std::string& lot_id = node.lot.lot_id();
    if (!c.lots_seen.insert(lot_id).second) continue;
    auto history = LotHistory(state, lot_id, kMaxProofLotEvents);
    if (!history.ok()) return history.status();
    ProofLot lot{lot_id, node.lot.created_by_event_id(), {}};
    for (const v1::EventRecord& record : *history) {
      JEJAK_RETURN_IF_ERROR(AddEvent(record, options, c));
      lot.event_ids.push_back(record.event_id());
    }
    bundle.lots.push_back(std::move(lot));
  }
  // Links name the event of the last link between two lots; it is in their histories, but a
  // store that says otherwise should still give a complete bundle.
  for (const TraceEdge& edge : graph.edges) {
    if (c.event_positions.count(edge.event_id) > 0) continue;
    auto record = GetEvent(state, edge.event_id);
    if (!record.ok()) return record.status();
    if (!record->has_value()) {
      return Status::Corruption("a link names event " + edge.event_id + ", which is missing");
    }
    JEJAK_RETURN_IF_ERROR(AddEvent(**record, options, c));
  }
  return Status::Ok();
}

// The governance entries behind every change of the membership in `state`: each logged (applying)
// entry, and for a proposal its proposing and approving entries, which a verifier needs to replay it.
Status AddGovernance(const StateReader& state, Collected& c) {
  std::vector<std::string> applied;
  JEJAK_RETURN_IF_ERROR(state.Scan(Table::kState, keys::GovernanceLogPrefix(), [&](std::string_view, std::string_view id) {
    applied.emplace_back(id);
    return applied.size() <= kMaxProofGovernanceEntries;
  }));
  auto add = [&](const std::string& id) -> Status {
    auto record = GetEvent(state, id);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return Status::Corruption("governance entry " + id + " is logged but not stored");
    c.governance_positions.emplace(id, Position{(*record)->position().height(), (*record)->position().index()});
    if (c.governance_positions.size() > kMaxProofGovernanceEntries) {
      return Status::ResourceExhausted("the proof needs more than " + std::to_string(kMaxProofGovernanceEntries) +
                                       " governance entries");
    }
    return Status::Ok();
  };
  for (const std::string& id : applied) {
    JEJAK_RETURN_IF_ERROR(add(id));
    auto record = GetEvent(state, id);
    if (!record.ok()) return record.status();
    v1::GovernanceTx tx;
    if (!tx.ParseFromString((*record)->signed_event().governance_bytes())) {
      return Status::Corruption("stored governance entry " + id + " does not parse");
    }
    const std::string proposal_id = tx.has_approve() ? tx.approve() : tx.has_propose() ? id : "";
    if (proposal_id.empty()) continue;
    auto proposal = ReadProposal(state, proposal_id);
    if (!proposal.ok()) return proposal.status();
    if (!proposal->has_value()) return Status::Corruption("proposal " + proposal_id + " is missing");
    for (const v1::ProposalApproval& approval : (*proposal)->approvals()) JEJAK_RETURN_IF_ERROR(add(approval.entry_id()));
  }
  return Status::Ok();
}

// One entry of a block the bundle shows: (index in the block, id, a governance entry?).
struct BlockEntry {
  uint32_t index = 0;
  std::string id;
  bool governance = false;
  bool operator<(const BlockEntry& other) const { return index < other.index; }
};

// Adds block `height` with its certificate, and every collected entry in it with its path.
Status AddBlock(const BlockReader& blocks, uint64_t height, const std::vector<BlockEntry>& events,
                ProofBundle& bundle) {
  auto block = blocks.GetBlock(height);
  if (!block.ok()) return block.status().WithContext("block " + std::to_string(height));
  auto certificate = blocks.GetCertificate(height);
  if (!certificate.ok()) {
    return certificate.status().WithContext("certificate of block " + std::to_string(height));
  }
  std::vector<std::string> leaf_hashes;
  leaf_hashes.reserve(block->events_size());
  for (const v1::SignedEvent& e : block->events()) {
    leaf_hashes.push_back(crypto::MerkleLeafHash(ProofEventLeaf(e)));
  }
  for (const auto& [index, event_id, governance] : events) {
    if (index >= static_cast<uint32_t>(block->events_size())) {
      return Status::Corruption("event " + event_id + " is recorded at block " +
                                std::to_string(height) + " index " + std::to_string(index) +
                                ", past the block's events");
    }
    auto proof = crypto::MakeInclusionProofFromLeafHashes(leaf_hashes, index);
    if (!proof.ok()) return proof.status();
    (governance ? bundle.governance : bundle.events)
        .push_back({event_id, height, index, block->events(static_cast<int>(index)), std::move(proof->path)});
  }
  bundle.blocks.push_back({block->header(), std::move(certificate).value()});
  return Status::Ok();
}

}  // namespace

Result<ProofBundle> BuildProofBundle(const Genesis& genesis, const StateReader& state,
                                     const BlockReader& blocks, std::string_view lot_id,
                                     const ProofOptions& options) {
  auto back = TraceBack(state, lot_id, options.max_linked_lots);
  if (!back.ok()) return back.status();
  ProofBundle bundle;
  bundle.chain_id = genesis.chain_id;
  bundle.genesis_hash = GenesisHash(genesis);
  bundle.lot_id = back->root_lot;
  bundle.traces.push_back(ToTrace(*back, "back"));
  Collected collected;
  JEJAK_RETURN_IF_ERROR(AddLots(state, *back, options, collected, bundle));
  if (options.forward) {
    auto forward = TraceForward(state, lot_id, options.max_linked_lots);
    if (!forward.ok()) return forward.status();
    bundle.traces.push_back(ToTrace(*forward, "forward"));
    JEJAK_RETURN_IF_ERROR(AddLots(state, *forward, options, collected, bundle));
  }
  JEJAK_RETURN_IF_ERROR(AddGovernance(state, collected));
  // Group by block, in chain order, so each block is read and listed once.
  std::map<uint64_t, std::vector<BlockEntry>> by_height;
  for (const auto& [id, position] : collected.event_positions) {
    by_height[position.first].push_back({position.second, id, false});
  }
  for (const auto& [id, position] : collected.governance_positions) {
    by_height[position.first].push_back({position.second, id, true});
  }
  for (auto& [height, events] : by_height) {
    std::sort(events.begin(), events.end());
    JEJAK_RETURN_IF_ERROR(AddBlock(blocks, height, events, bundle));
  }
  return bundle;
}

}  // namespace jejak::ledger
