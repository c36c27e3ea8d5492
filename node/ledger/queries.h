// Read-only questions over a ledger state: a lot's history, and its provenance graph traced back
// to the origins or forward to everything made from it (recalls).
//
// Lot ids are normalised first (vocabulary.h). Traces visit each lot once (diamonds, and cycles
// that packing and unpacking can leave, cannot loop) and stop with ResourceExhausted once they
// reach more than max_linked_lots lots besides the root.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "jejak/v1/ledger_state.pb.h"
#include "node/base/status.h"
#include "node/ledger/state_store.h"

namespace jejak::ledger {

// Lots a trace may reach, not counting the lot traced from: issue #6 asks for 10,000 ancestors,
// with room to spare.
inline constexpr size_t kDefaultMaxTraceLinkedLots = 20000;
inline constexpr size_t kDefaultMaxHistoryEvents = 100000;

Result<std::optional<v1::LotRecord>> GetLot(const StateReader& state, std::string_view lot_id);
Result<std::optional<v1::EventRecord>> GetEvent(const StateReader& state,
                                                std::string_view event_id);

// The records of many events, in the order of `event_ids` (std::nullopt for one not stored), read
// kMaxReadBatch at a time with StateReader::GetMany. The caller bounds the number of ids.
Result<std::vector<std::optional<v1::EventRecord>>> GetEvents(
    const StateReader& state, std::span<const std::string> event_ids);

// Every event that touched the lot, in commit order. NotFound if the lot does not exist.
Result<std::vector<v1::EventRecord>> LotHistory(const StateReader& state, std::string_view lot_id,
                                                size_t max_events = kDefaultMaxHistoryEvents);

struct TraceNode {
  v1::LotRecord lot;
  std::vector<v1::CertificateRecord> certificates;
};
struct TraceEdge {
  std::string from_lot;  // upstream: an input, or a lot packed into to_lot
  std::string to_lot;
  std::string event_id;
  std::string kind;  // "transformation" or "aggregation"
};
struct TraceGraph {
  std::string root_lot;
  std::vector<TraceNode> nodes;  // breadth-first from the root, root first
  std::vector<TraceEdge> edges;
};

// All upstream lots, to the origins: at most max_linked_lots ancestors (graph.nodes holds one more,
// the root).
Result<TraceGraph> TraceBack(const StateReader& state, std::string_view lot_id,
                             size_t max_linked_lots = kDefaultMaxTraceLinkedLots);
// All downstream lots: at most max_linked_lots descendants.
Result<TraceGraph> TraceForward(const StateReader& state, std::string_view lot_id,
                                size_t max_linked_lots = kDefaultMaxTraceLinkedLots);

}  // namespace jejak::ledger
