#include "node/ledger/overlay.h"

namespace jejak::ledger {

Result<std::optional<std::string>> OverlayReader::Get(Table table, std::string_view key) const {
  auto it = pending_.writes().find({table, std::string(key)});
  if (it != pending_.writes().end()) return it->second;
  return base_.Get(table, key);
}

Status OverlayReader::Scan(Table table, std::string_view prefix, const ScanVisitor& visit) const {
  const auto& writes = pending_.writes();
  auto it = writes.lower_bound({table, std::string(prefix)});
  auto in_range = [&](decltype(it) i) {
    return i != writes.end() && i->first.first == table &&
           std::string_view(i->first.second).substr(0, prefix.size()) == prefix;
  };
  bool stopped = false;
  // Emits pending entries (skipping deletes) whose key sorts before `limit` (all, if none).
  auto flush_before = [&](const std::string_view* limit) {
    while (!stopped && in_range(it) && (limit == nullptr || it->first.second < *limit)) {
      if (it->second && !visit(it->first.second, *it->second)) stopped = true;
      ++it;
    }
  };
  Status status = base_.Scan(table, prefix, [&](std::string_view key, std::string_view value) {
    flush_before(&key);
    if (stopped) return false;
    if (in_range(it) && it->first.second == key) {  // pending write replaces the base entry
      if (it->second && !visit(key, *it->second)) stopped = true;
      ++it;
      return !stopped;
    }
    if (!visit(key, value)) stopped = true;
    return !stopped;
  });
  JEJAK_RETURN_IF_ERROR(status);
  flush_before(nullptr);
  return Status::Ok();
}

}  // namespace jejak::ledger
