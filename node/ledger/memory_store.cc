#include "node/ledger/memory_store.h"

namespace jejak::ledger {

Result<std::optional<std::string>> MemoryStore::Get(Table table, std::string_view key) const {
  const auto& map = tables_[static_cast<size_t>(table)];
  auto it = map.find(key);
  if (it == map.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status MemoryStore::Scan(Table table, std::string_view prefix, const ScanVisitor& visit) const {
  const auto& map = tables_[static_cast<size_t>(table)];
  for (auto it = map.lower_bound(prefix); it != map.end(); ++it) {
    if (std::string_view(it->first).substr(0, prefix.size()) != prefix) break;
    if (!visit(it->first, it->second)) break;
  }
  return Status::Ok();
}

void MemoryStore::Apply(const WriteSet& writes) {
  for (const auto& [key, value] : writes.writes()) {
    auto& map = tables_[static_cast<size_t>(key.first)];
    if (value) {
      map.insert_or_assign(key.second, *value);
    } else {
      map.erase(key.second);
    }
  }
}

size_t MemoryStore::Size(Table table) const { return tables_[static_cast<size_t>(table)].size(); }

}  // namespace jejak::ledger
