// Step 5 of proof_verify.h: the claimed provenance graph is what the verified events say.
#include <deque>
#include <map>
#include <set>
#include <tuple>

#include "node/ledger/proof_verify_internal.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::proof {
namespace {

using EdgeKey = std::tuple<std::string, std::string, std::string>;  // from, to, kind

// What one event says about lots, as the rules read it.
struct Derived {
  std::set<std::string> named;    // lots it names
  std::set<std::string> created;  // lots it may have created
  std::set<EdgeKey> edges;
  std::set<std::pair<std::string, std::string>> packed;  // (child, parent) packings
};

Status Names(const Result<std::vector<rules::LotRef>>& lots, std::set<std::string>& out) {
  if (!lots.ok()) return lots.status();
  for (const rules::LotRef& ref : *lots) out.insert(ref.lot_id);
  return Status::Ok();
}

Result<Derived> Derive(const CheckedEvent& c) {
  const v1::Event& e = c.event;
  Derived d;
  JEJAK_RETURN_IF_ERROR(Names(rules::NamedLots(e), d.named));
  if (c.kind == EventKind::kCommissioning) d.created = d.named;
  if (c.kind == EventKind::kTransformation) {
    std::set<std::string> in, out;
    JEJAK_RETURN_IF_ERROR(Names(rules::CollectLots(e.input_epc_list(), e.input_quantity_list(),
                                                   "inputEPCList/inputQuantityList"),
                                in));
    JEJAK_RETURN_IF_ERROR(Names(rules::CollectLots(e.output_epc_list(),
                                                   e.output_quantity_list(),
                                                   "outputEPCList/outputQuantityList"),
                                out));
    for (const std::string& o : out) {
      for (const std::string& i : in) d.edges.insert({i, o, "transformation"});
    }
    d.named.insert(in.begin(), in.end());
    d.named.insert(out.begin(), out.end());
    d.created = out;
  }
  if (c.kind == EventKind::kPacking) {
    auto parent = NormalizeLotId(e.parent_id());
    if (!parent.ok()) return parent.status().WithContext("parentID");
    std::set<std::string> children;
    JEJAK_RETURN_IF_ERROR(Names(rules::CollectLots(e.child_epcs(), e.child_quantity_list(),
                                                   "childEPCs/childQuantityList"),
                                children));
    for (const std::string& child : children) {
      d.edges.insert({child, *parent, "aggregation"});
      d.packed.insert({child, *parent});
    }
    d.created.insert(*parent);
  }
  return d;
}

struct Graph {
  std::map<std::string, Derived, std::less<>> derived;  // by event id
  std::map<std::string, std::set<std::string>> parents;  // child -> parents it was packed into
};

Status CheckEdges(const ProofTrace& trace, const Graph& g, const std::set<std::string>& lots) {
  bool back = trace.direction == "back";
  std::set<EdgeKey> claimed;
  for (size_t i = 0; i < trace.edges.size(); ++i) {
    const ProofEdge& e = trace.edges[i];
    std::string where = "trace " + trace.direction + ", edge " + std::to_string(i) + " (" +
                        e.from_lot + " -> " + e.to_lot + ")";
    auto it = g.derived.find(e.event_id);
    if (it == g.derived.end()) {
      return Status::Invalid(where + ": its event " + e.event_id + " is not in the bundle");
    }
    if (it->second.edges.count({e.from_lot, e.to_lot, e.kind}) == 0) {
      return Status::Invalid(where + ": event " + e.event_id + " does not make that " + e.kind +
                             " link");
    }
    if (lots.count(e.from_lot) == 0 || lots.count(e.to_lot) == 0) {
      return Status::Invalid(where + ": a lot of the edge is not in the trace's lots");
    }
    claimed.insert({e.from_lot, e.to_lot, e.kind});
  }
  // Completeness: an event of the bundle linking into (back) or out of (forward) a traced lot
  // must appear, or a prover could hide an origin.
  for (const auto& [event_id, d] : g.derived) {
    for (const EdgeKey& edge : d.edges) {
      const std::string& inner = back ? std::get<1>(edge) : std::get<0>(edge);
      if (lots.count(inner) > 0 && claimed.count(edge) == 0) {
        return Status::Invalid("trace " + trace.direction + ": event " + event_id + " links " +
                               std::get<0>(edge) + " to " + std::get<1>(edge) +
                               ", but the claimed graph leaves that edge out");
      }
    }
  }
  return Status::Ok();
}

Status CheckReachable(const ProofTrace& trace) {
  bool back = trace.direction == "back";
  std::map<std::string, std::vector<std::string>> next;
  for (const ProofEdge& e : trace.edges) {
    next[back ? e.to_lot : e.from_lot].push_back(back ? e.from_lot : e.to_lot);
  }
  std::set<std::string> seen{trace.lot_ids.front()};
  std::deque<std::string> queue{trace.lot_ids.front()};
  while (!queue.empty()) {
    std::string lot = std::move(queue.front());
    queue.pop_front();
    for (const std::string& other : next[lot]) {
      if (seen.insert(other).second) queue.push_back(other);
    }
  }
  for (const std::string& lot : trace.lot_ids) {
    if (seen.count(lot) == 0) {
      return Status::Invalid("trace " + trace.direction + ": lot " + lot +
                             " is not linked to lot " + trace.lot_ids.front());
    }
  }
  return Status::Ok();
}

Status CheckTrace(const ProofBundle& bundle, const ProofTrace& trace, const Graph& g,
                  const std::set<std::string>& bundle_lots) {
  const std::string where = "trace " + trace.direction;
  if (trace.lot_ids.empty() || trace.lot_ids.front() != bundle.lot_id) {
    return Status::Invalid(where + ": does not start at lot " + bundle.lot_id);
  }
  std::set<std::string> lots;
  for (const std::string& lot : trace.lot_ids) {
    if (!lots.insert(lot).second) return Status::Invalid(where + ": lot " + lot + " twice");
    if (bundle_lots.count(lot) == 0) {
      return Status::Invalid(where + ": lot " + lot + " has no entry in \"lots\"");
    }
  }
  JEJAK_RETURN_IF_ERROR(CheckEdges(trace, g, lots));
  return CheckReachable(trace);
}

// True if the event names the lot, or a lot it was packed into (moves carry packed lots along).
bool Touches(const Graph& g, const Derived& d, const std::string& lot) {
  std::set<std::string> seen{lot};
  std::deque<std::string> queue{lot};
  while (!queue.empty() && seen.size() <= kMaxMovedLots) {
    std::string current = std::move(queue.front());
    queue.pop_front();
    if (d.named.count(current) > 0) return true;
    auto it = g.parents.find(current);
    if (it == g.parents.end()) continue;
    for (const std::string& p : it->second) {
      if (seen.insert(p).second) queue.push_back(p);
    }
  }
  return false;
}

Status CheckLot(const ProofLot& lot, const Graph& g, const CheckedEvents& events) {
  const std::string where = "lot " + lot.lot_id;
  auto creator = g.derived.find(lot.created_by_event_id);
  if (creator == g.derived.end()) {
    return Status::Invalid(where + ": the event that created it (" + lot.created_by_event_id +
                           ") is not in the bundle");
  }
  if (creator->second.created.count(lot.lot_id) == 0) {
    return Status::Invalid(where + ": event " + lot.created_by_event_id + " does not create it");
  }
  std::set<std::string> listed;
  std::pair<uint64_t, uint32_t> last{0, 0};
  for (const std::string& id : lot.event_ids) {
    auto it = events.find(id);
    if (it == events.end()) {
      return Status::Invalid(where + ": its history lists event " + id +
                             ", which is not in the bundle");
    }
    if (!listed.insert(id).second) return Status::Invalid(where + ": event " + id + " twice");
    std::pair<uint64_t, uint32_t> position{it->second.source->height,
                                           it->second.source->leaf_index};
    if (position < last) return Status::Invalid(where + ": its history is not in chain order");
    last = position;
    if (!Touches(g, g.derived.at(id), lot.lot_id)) {
      return Status::Invalid(where + ": its history lists event " + id +
                             ", which is not about this lot");
    }
  }
  if (listed.count(lot.created_by_event_id) == 0) {
    return Status::Invalid(where + ": its history leaves out the event that created it");
  }
  return Status::Ok();
}

}  // namespace

Status VerifyGraph(const ProofBundle& bundle, const CheckedEvents& events) {
  auto root = NormalizeLotId(bundle.lot_id);
  if (!root.ok() || *root != bundle.lot_id) {
    return Status::Invalid("lot " + bundle.lot_id + " is not a lot id in its normal form");
  }
  Graph g;
  for (const auto& [id, checked] : events) {
    auto d = Derive(checked);
    if (!d.ok()) return d.status().WithContext(EventLabel(checked.index, id));
    for (const auto& [child, parent] : d->packed) g.parents[child].insert(parent);
    g.derived.emplace(id, std::move(d).value());
  }
  std::set<std::string> bundle_lots;
  for (const ProofLot& lot : bundle.lots) {
    if (!bundle_lots.insert(lot.lot_id).second) {
      return Status::Invalid("lot " + lot.lot_id + " is listed twice in \"lots\"");
    }
  }
  if (bundle.traces.empty() || bundle.traces[0].direction != "back" ||
      (bundle.traces.size() == 2 && bundle.traces[1].direction != "forward")) {
    return Status::Invalid("traces: a back trace, then optionally a forward trace, is expected");
  }
  std::set<std::string> traced;
  for (const ProofTrace& trace : bundle.traces) {
    JEJAK_RETURN_IF_ERROR(CheckTrace(bundle, trace, g, bundle_lots));
    traced.insert(trace.lot_ids.begin(), trace.lot_ids.end());
  }
  for (const ProofLot& lot : bundle.lots) {
    if (traced.count(lot.lot_id) == 0) {
      return Status::Invalid("lot " + lot.lot_id + " is in \"lots\" but in no trace");
    }
    JEJAK_RETURN_IF_ERROR(CheckLot(lot, g, events));
  }
  return Status::Ok();
}

}  // namespace jejak::ledger::proof
