// A StateReader that sees pending writes on top of another reader: event k of a block is checked
// against the state after events 0..k-1 without writing anything.
#pragma once

#include "node/ledger/state_store.h"

namespace jejak::ledger {

class OverlayReader : public StateReader {
 public:
  // Both must outlive the overlay; `pending` may keep changing between calls.
  OverlayReader(const StateReader& base, const WriteSet& pending) : base_(base), pending_(pending) {}

  Result<std::optional<std::string>> Get(Table table, std::string_view key) const override;
  // Merges the base's entries with the pending ones in key order; a pending delete hides the key.
  Status Scan(Table table, std::string_view prefix, const ScanVisitor& visit) const override;

 private:
  const StateReader& base_;
  const WriteSet& pending_;
};

}  // namespace jejak::ledger
