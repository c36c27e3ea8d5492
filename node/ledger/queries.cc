#include "node/ledger/queries.h"

#include <algorithm>
#include <unordered_set>
#include <span>

#include "node/ledger/certificate.h"
#include "node/ledger/keys.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger {
namespace {

template <typename Message>
Result<std::optional<Message>> GetRecord(const StateReader& state, Table table,
                                         const std::string& key, const char* what) {
  auto raw = state.Get(table, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<Message>();
  Message message;
  if (!message.ParseFromString(**raw)) {
    return Status::Corruption(std::string("the stored record of ") + what + " " + key +
                              " cannot be read");
  }
  return std::optional<Message>(std::move(message));
}

// The reads of one chunk of a breadth-first level (at most kMaxReadBatch lots), made in three
// batched calls instead of three calls per lot: the lot records, their certificates, their links.
struct ChunkReads {
  std::vector<std::optional<std::string>> records;
  std::vector<std::vector<std::string>> certificates;                    // raw records
  std::vector<std::vector<std::pair<std::string, std::string>>> links;  // other lot, raw link
};

Result<ChunkReads> ReadChunk(const StateReader& state, std::span<const std::string> lots,
                             keys::LinkDirection direction) {
  ChunkReads reads;
  std::vector<std::string> batch;
  batch.reserve(lots.size());
  for (const std::string& lot : lots) batch.push_back(keys::LotKey(lot));
  auto records = state.GetMany(Table::kLots, batch);
  if (!records.ok()) return records.status();
  reads.records = std::move(records).value();

  batch.clear();
  for (const std::string& lot : lots) batch.push_back(keys::CertificatesPrefix(lot));
  reads.certificates.resize(lots.size());
  JEJAK_RETURN_IF_ERROR(state.ScanMany(Table::kState, batch,
                                       [&](size_t i, std::string_view, std::string_view value) {
    reads.certificates[i].emplace_back(value);
    return reads.certificates[i].size() < kMaxCertificatesPerLot ? ScanNext::kContinue
                                                                 : ScanNext::kNextPrefix;
  }));

  batch.clear();
  for (const std::string& lot : lots) batch.push_back(keys::LotLinksPrefix(lot, direction));
  reads.links.resize(lots.size());
  JEJAK_RETURN_IF_ERROR(state.ScanMany(Table::kLotLinks, batch,
                                       [&](size_t i, std::string_view key, std::string_view value) {
    reads.links[i].emplace_back(key.substr(batch[i].size()), value);
    return ScanNext::kContinue;
  }));
  return reads;
}

struct TraceWalk {
  const std::string& root;
  size_t max_linked_lots;
  keys::LinkDirection direction;
  TraceGraph graph;
  std::unordered_set<std::string> seen;  // membership only, never iterated into the answer
  std::vector<std::string> next_level;
};

// Adds one lot of a chunk to the graph, in the order a lot-by-lot walk would: its node, then its
// edges, queuing lots not seen before for the next level.
Status AddLot(TraceWalk& walk, const std::string& lot_id, ChunkReads& reads, size_t i) {
  if (!reads.records[i].has_value()) {
    if (lot_id == walk.root) return Status::NotFound("lot " + lot_id + " is not on this ledger");
    return Status::Corruption("lot " + lot_id + " is linked but has no record");
  }
  TraceNode node;
  if (!node.lot.ParseFromString(*reads.records[i])) {
    return Status::Corruption("the stored record of lot " + keys::LotKey(lot_id) +
                              " cannot be read");
  }
  for (const std::string& raw : reads.certificates[i]) {
    v1::CertificateRecord cert;
    if (!cert.ParseFromString(raw)) {
      return Status::Corruption("a stored certificate of lot " + lot_id + " cannot be read");
    }
    node.certificates.push_back(std::move(cert));
  }
  walk.graph.nodes.push_back(std::move(node));
  const bool back = walk.direction == keys::LinkDirection::kParent;
  for (auto& [other, raw] : reads.links[i]) {
    v1::LotLink link;
    if (!link.ParseFromString(raw)) {
      return Status::Corruption("a stored link of lot " + lot_id + " cannot be read");
    }
    walk.graph.edges.push_back({back ? other : lot_id, back ? lot_id : other, link.event_id(),
                                link.kind()});
    if (walk.seen.insert(other).second) {
      if (walk.seen.size() - 1 > walk.max_linked_lots) {  // the root is in seen but is not linked
        return Status::ResourceExhausted("the trace of lot " + walk.root + " reaches more than " +
                                         std::to_string(walk.max_linked_lots) +
                                         " other lots; stopped there");
      }
      walk.next_level.push_back(std::move(other));
    }
  }
  return Status::Ok();
}

// Breadth-first, one level at a time, so that each level's reads are batched; the nodes and edges
// come out in the same order as a lot-by-lot walk of a queue.
Result<TraceGraph> Trace(const StateReader& state, std::string_view raw_lot, size_t max_linked_lots,
                         keys::LinkDirection direction) {
  auto root = NormalizeLotId(raw_lot);
  if (!root.ok()) return root.status();
  TraceWalk walk{*root, max_linked_lots, direction, {}, {*root}, {}};
  walk.seen.reserve(std::min<size_t>(max_linked_lots, kDefaultMaxTraceLinkedLots) + 1);
  walk.graph.root_lot = *root;
  std::vector<std::string> level{*root};
  while (!level.empty()) {
    walk.next_level.clear();
    for (size_t start = 0; start < level.size(); start += kMaxReadBatch) {
      const size_t count = std::min(kMaxReadBatch, level.size() - start);
      std::span<const std::string> chunk(level.data() + start, count);
      auto reads = ReadChunk(state, chunk, direction);
      if (!reads.ok()) return reads.status();
      for (size_t i = 0; i < count; ++i) JEJAK_RETURN_IF_ERROR(AddLot(walk, chunk[i], *reads, i));
    }
    level.swap(walk.next_level);
  }
  return std::move(walk.graph);
}

}  // namespace

Result<std::optional<v1::LotRecord>> GetLot(const StateReader& state, std::string_view lot_id) {
  return GetRecord<v1::LotRecord>(state, Table::kLots, keys::LotKey(lot_id), "lot");
}

Result<std::optional<v1::EventRecord>> GetEvent(const StateReader& state,
                                                std::string_view event_id) {
  return GetRecord<v1::EventRecord>(state, Table::kEvents, keys::EventKey(event_id), "event");
}

Result<std::vector<std::optional<v1::EventRecord>>> GetEvents(
    const StateReader& state, std::span<const std::string> event_ids) {
  std::vector<std::optional<v1::EventRecord>> out;
  out.reserve(event_ids.size());
  std::vector<std::string> batch;
  for (size_t start = 0; start < event_ids.size(); start += kMaxReadBatch) {
    const size_t count = std::min(kMaxReadBatch, event_ids.size() - start);
    batch.clear();
    for (size_t i = start; i < start + count; ++i) batch.push_back(keys::EventKey(event_ids[i]));
    auto raw = state.GetMany(Table::kEvents, batch);
    if (!raw.ok()) return raw.status();
    for (size_t i = 0; i < count; ++i) {
      if (!(*raw)[i].has_value()) {
        out.emplace_back();
        continue;
      }
      v1::EventRecord record;
      if (!record.ParseFromString(*(*raw)[i])) {
        return Status::Corruption("the stored record of event " + batch[i] + " cannot be read");
      }
      out.emplace_back(std::move(record));
    }
  }
  return out;
}

Result<std::vector<v1::EventRecord>> LotHistory(const StateReader& state, std::string_view raw_lot,
                                                size_t max_events) {
  auto lot_id = NormalizeLotId(raw_lot);
  if (!lot_id.ok()) return lot_id.status();
  auto lot = GetLot(state, *lot_id);
  if (!lot.ok()) return lot.status();
  if (!lot->has_value()) return Status::NotFound("lot " + *lot_id + " is not on this ledger");
  std::vector<std::string> ids;
  JEJAK_RETURN_IF_ERROR(state.Scan(Table::kLotEvents, keys::LotEventsPrefix(*lot_id),
                                   [&](std::string_view, std::string_view value) {
    ids.emplace_back(value);
    return ids.size() <= max_events;
  }));
  if (ids.size() > max_events) {
    return Status::ResourceExhausted("lot " + *lot_id + " has more than " +
                                     std::to_string(max_events) + " events");
  }
  auto records = GetEvents(state, ids);
  if (!records.ok()) return records.status();
  std::vector<v1::EventRecord> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!(*records)[i].has_value()) {
      return Status::Corruption("lot " + *lot_id + " lists event " + ids[i] + ", which is missing");
    }
    out.push_back(std::move(*(*records)[i]));
  }
  return out;
}

Result<TraceGraph> TraceBack(const StateReader& state, std::string_view lot_id,
                             size_t max_linked_lots) {
  return Trace(state, lot_id, max_linked_lots, keys::LinkDirection::kParent);
}

Result<TraceGraph> TraceForward(const StateReader& state, std::string_view lot_id,
                                size_t max_linked_lots) {
  return Trace(state, lot_id, max_linked_lots, keys::LinkDirection::kChild);
}

}  // namespace jejak::ledger
