// Reading the chain: committed blocks with their certificates, and the state after them. The
// ledger module does not link storage: storage::Store and its snapshots implement these, tests
// use memory.
#pragma once

#include <cstdint>

#include "jejak/v1/block.pb.h"
#include "node/base/status.h"
#include "node/ledger/state_store.h"

namespace jejak::ledger {

// Committed blocks and their commit certificates by height (NotFound past the head).
class BlockReader {
 public:
  virtual ~BlockReader() = default;
  virtual Result<v1::Block> GetBlock(uint64_t height) const = 0;
  virtual Result<v1::CommitCertificate> GetCertificate(uint64_t height) const = 0;
};

// The chain at one head: blocks 1..head_height() and the state after the last of them, read at
// the same point (a store snapshot), so a query or a proof never mixes two heights.
class ChainReader : public StateReader, public BlockReader {
 public:
  virtual uint64_t head_height() const = 0;
};

}  // namespace jejak::ledger
