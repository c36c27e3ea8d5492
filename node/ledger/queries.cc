#include "node/ledger/queries.h"

#include <deque>
#include <set>

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

Result<std::vector<v1::CertificateRecord>> Certificates(const StateReader& state,
                                                        const std::string& lot_id) {
  std::vector<v1::CertificateRecord> out;
  Status failure;
  JEJAK_RETURN_IF_ERROR(state.Scan(Table::kState, keys::CertificatesPrefix(lot_id),
                                   [&](std::string_view, std::string_view value) {
    v1::CertificateRecord cert;
    if (!cert.ParseFromString(std::string(value))) {
      failure = Status::Corruption("a stored certificate of lot " + lot_id + " cannot be read");
      return false;
    }
    out.push_back(std::move(cert));
    return out.size() < kMaxCertificatesPerLot;
  }));
  JEJAK_RETURN_IF_ERROR(failure);
  return out;
}

Result<TraceGraph> Trace(const StateReader& state, std::string_view raw_lot, size_t max_linked_lots,
                         keys::LinkDirection direction) {
  auto root = NormalizeLotId(raw_lot);
  if (!root.ok()) return root.status();
  TraceGraph graph;
  graph.root_lot = *root;
  std::deque<std::string> queue{*root};
  std::set<std::string> seen{*root};
  Status failure;
  while (!queue.empty()) {
    std::string lot_id = std::move(queue.front());
    queue.pop_front();
    auto lot = GetLot(state, lot_id);
    if (!lot.ok()) return lot.status();
    if (!lot->has_value()) {
      if (lot_id == *root) return Status::NotFound("lot " + lot_id + " is not on this ledger");
      return Status::Corruption("lot " + lot_id + " is linked but has no record");
    }
    auto certs = Certificates(state, lot_id);
    if (!certs.ok()) return certs.status();
    graph.nodes.push_back({std::move(**lot), std::move(certs).value()});
    std::string prefix = keys::LotLinksPrefix(lot_id, direction);
    JEJAK_RETURN_IF_ERROR(state.Scan(Table::kLotLinks, prefix,
                                     [&](std::string_view key, std::string_view value) {
      std::string other(key.substr(prefix.size()));
      v1::LotLink link;
      if (!link.ParseFromString(std::string(value))) {
        failure = Status::Corruption("a stored link of lot " + lot_id + " cannot be read");
        return false;
      }
      bool back = direction == keys::LinkDirection::kParent;
      graph.edges.push_back({back ? other : lot_id, back ? lot_id : other, link.event_id(),
                             link.kind()});
      if (seen.insert(other).second) {
        if (seen.size() - 1 > max_linked_lots) {  // the root is in seen but is not linked
          failure = Status::ResourceExhausted("the trace of lot " + *root + " reaches more than " +
                                              std::to_string(max_linked_lots) +
                                              " other lots; stopped there");
          return false;
        }
        queue.push_back(std::move(other));
      }
      return true;
    }));
    JEJAK_RETURN_IF_ERROR(failure);
  }
  return graph;
}

}  // namespace

Result<std::optional<v1::LotRecord>> GetLot(const StateReader& state, std::string_view lot_id) {
  return GetRecord<v1::LotRecord>(state, Table::kLots, keys::LotKey(lot_id), "lot");
}

Result<std::optional<v1::EventRecord>> GetEvent(const StateReader& state,
                                                std::string_view event_id) {
  return GetRecord<v1::EventRecord>(state, Table::kEvents, keys::EventKey(event_id), "event");
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
  std::vector<v1::EventRecord> out;
  for (const std::string& id : ids) {
    auto record = GetEvent(state, id);
    if (!record.ok()) return record.status();
    if (!record->has_value()) {
      return Status::Corruption("lot " + *lot_id + " lists event " + id + ", which is missing");
    }
    out.push_back(std::move(**record));
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
