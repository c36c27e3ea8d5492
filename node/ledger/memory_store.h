// State held in memory: one ordered map per table. For tests, benchmarks and offline tools.
#pragma once

#include <array>
#include <map>
#include <string>

#include "node/ledger/state_store.h"

namespace jejak::ledger {

class MemoryStore : public StateReader {
 public:
  Result<std::optional<std::string>> Get(Table table, std::string_view key) const override;
  Status Scan(Table table, std::string_view prefix, const ScanVisitor& visit) const override;

  // Applies every write of `writes` (a nullopt value deletes the key).
  void Apply(const WriteSet& writes);
  size_t Size(Table table) const;
  bool operator==(const MemoryStore& other) const { return tables_ == other.tables_; }

 private:
  std::array<std::map<std::string, std::string, std::less<>>, kTableCount> tables_;
};

}  // namespace jejak::ledger
