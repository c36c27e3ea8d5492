// The ledger's view of its state: a few ordered key-value tables.
//
// The ledger rules read state through StateReader and describe every change as a WriteSet; they never
// write anything themselves. node/storage implements StateReader over RocksDB (one column family per
// table) and writes a block together with its WriteSet in one synced WriteBatch. MemoryStore (in
// memory_store.h) implements the same interface for tests and for the offline tools.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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

class StateReader {
 public:
  virtual ~StateReader() = default;
  // The value under `key`, std::nullopt if there is none; a failed Result only for I/O or corruption.
  virtual Result<std::optional<std::string>> Get(Table table, std::string_view key) const = 0;
  // Visits every entry whose key starts with `prefix`, in ascending byte order of the key, until
  // `visit` returns false.
  virtual Status Scan(Table table, std::string_view prefix, const ScanVisitor& visit) const = 0;
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
