// The ledger's view of its state: a few ordered key-value tables.
//
// The ledger rules read state through StateReader and describe every change as a WriteSet; they never
// write anything themselves. node/storage implements StateReader over RocksDB (one column family per
// table) and writes a block together with its WriteSet in one synced WriteBatch. MemoryStore (in
// memory_store.h) implements the same interface for tests and for the offline tools.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "node/base/status.h"

namespace jejak::ledger {

// Key layouts are defined by the ledger (keys.h); storage only maps each table to a column family.
enum class Table : uint8_t {
  kEvents = 0,      // event id -> committed event record
  kLots = 1,        // lot id -> lot record
  kLotEvents = 2,   // lot id, position -> event id          (history of a lot, in commit order)
  kLotLinks = 3,    // lot id, direction, other lot -> link  (parents and children of a lot)
  kOrgEvents = 4,   // organisation id, position -> event id
  kState = 5,       // everything else the rules keep (aggregations, certificates, counters)
};
inline constexpr int kTableCount = 6;

const char* TableName(Table table);

using ScanVisitor = std::function<bool(std::string_view key, std::string_view value)>;

// Batched reads (GetMany, ScanMany) take at most this many keys or prefixes per call, so that one
// call's memory and time stay bounded; callers with more split them.
inline constexpr size_t kMaxReadBatch = 1024;

// What a ScanMany visitor wants next.
enum class ScanNext : uint8_t { kContinue, kNextPrefix, kStop };
// `prefix_index` is the position of the entry's prefix in the list given to ScanMany.
using MultiScanVisitor =
    std::function<ScanNext(size_t prefix_index, std::string_view key, std::string_view value)>;

class StateReader {
 public:
  virtual ~StateReader() = default;
  // The value under `key`, std::nullopt if there is none; a failed Result only for I/O or corruption.
  virtual Result<std::optional<std::string>> Get(Table table, std::string_view key) const = 0;
  // Visits every entry whose key starts with `prefix`, in ascending byte order of the key, until
  // `visit` returns false.
  virtual Status Scan(Table table, std::string_view prefix, const ScanVisitor& visit) const = 0;

  // The values of `keys` (at most kMaxReadBatch, else INVALID), in the order of `keys`; the same
  // answers as Get on each. Readers that can look many keys up at once (RocksDB's MultiGet)
  // override it; the default asks Get for each.
  virtual Result<std::vector<std::optional<std::string>>> GetMany(
      Table table, std::span<const std::string> keys) const;
  // Scan of each prefix (at most kMaxReadBatch, else INVALID) with one visitor, the prefixes taken
  // in ascending byte order (equal ones in the order given, see ScanOrder) so that a reader can
  // walk forward through the table: kNextPrefix ends the current prefix, kStop the whole call.
  // Overlapping and repeated prefixes are each scanned in full. Readers override it to reuse one
  // iterator across prefixes; the default calls Scan for each.
  virtual Status ScanMany(Table table, std::span<const std::string> prefixes,
                          const MultiScanVisitor& visit) const;
};

// The changes of one event or one block. Ordered, so that applying it is deterministic.
// A value of std::nullopt deletes the key.
class WriteSet {
 public:
  using Key = std::pair<Table, std::string>;
  void Put(Table table, std::string key, std::string value) {
    writes_[{table, std::move(key)}] = std::move(value);
  }
  void Delete(Table table, std::string key) { writes_[{table, std::move(key)}] = std::nullopt; }
  // Later writes win, as if `later` had been applied after this one.
  void Merge(const WriteSet& later) {
    for (const auto& [key, value] : later.writes_) writes_[key] = value;
  }
  const std::map<Key, std::optional<std::string>>& writes() const { return writes_; }
  bool empty() const { return writes_.empty(); }
  size_t size() const { return writes_.size(); }

 private:
  std::map<Key, std::optional<std::string>> writes_;
};

inline Status CheckReadBatch(size_t count, const char* what) {
  if (count <= kMaxReadBatch) return Status::Ok();
  return Status::Invalid(std::string(what) + " takes at most " + std::to_string(kMaxReadBatch) +
                         " at once, not " + std::to_string(count));
}

// The order in which ScanMany takes `prefixes`: indexes into it, ascending by prefix, stable.
inline std::vector<size_t> ScanOrder(std::span<const std::string> prefixes) {
  std::vector<size_t> order(prefixes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return prefixes[a] < prefixes[b]; });
  return order;
}

inline Result<std::vector<std::optional<std::string>>> StateReader::GetMany(
    Table table, std::span<const std::string> keys) const {
  JEJAK_RETURN_IF_ERROR(CheckReadBatch(keys.size(), "GetMany"));
  std::vector<std::optional<std::string>> values;
  values.reserve(keys.size());
  for (const std::string& key : keys) {
    auto value = Get(table, key);
    if (!value.ok()) return value.status();
    values.push_back(std::move(value).value());
  }
  return values;
}

inline Status StateReader::ScanMany(Table table, std::span<const std::string> prefixes,
                                    const MultiScanVisitor& visit) const {
  JEJAK_RETURN_IF_ERROR(CheckReadBatch(prefixes.size(), "ScanMany"));
  bool stop = false;
  for (size_t i : ScanOrder(prefixes)) {
    if (stop) break;
    JEJAK_RETURN_IF_ERROR(Scan(table, prefixes[i], [&](std::string_view key, std::string_view value) {
      const ScanNext next = visit(i, key, value);
      stop = next == ScanNext::kStop;
      return next == ScanNext::kContinue;
    }));
  }
  return Status::Ok();
}

inline const char* TableName(Table table) {
  switch (table) {
    case Table::kEvents: return "events";
    case Table::kLots: return "lots";
    case Table::kLotEvents: return "lot_events";
    case Table::kLotLinks: return "lot_links";
    case Table::kOrgEvents: return "org_events";
    case Table::kState: return "state";
  }
  return "unknown";
}

}  // namespace jejak::ledger
