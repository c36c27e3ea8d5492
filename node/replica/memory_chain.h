// A committed chain held in memory: the replica's ChainAccess for the simulator and tests (a
// node uses its RocksDB store). Single-threaded: its snapshot is a view of the live chain, which
// only the caller can change.
#pragma once

#include <memory>
#include <vector>

#include "node/ledger/memory_store.h"
#include "node/replica/replica.h"

namespace jejak::replica {

class MemoryChain final : public ChainAccess, public ledger::ChainReader {
 public:
  explicit MemoryChain(std::string chain_id) : chain_id_(std::move(chain_id)) {}

  // Appends a block at head + 1 with its certificate and the state writes it makes, as
  // storage::Store::CommitBlock does (Invalid for a block that does not follow the head).
  Status Commit(const v1::Block& block, const v1::CommitCertificate& certificate, const ledger::WriteSet& writes);
  const ledger::MemoryStore& state() const { return state_; }

  // ChainAccess
  const ledger::ChainReader& Current() const override { return *this; }
  Result<std::unique_ptr<ledger::ChainReader>> Snapshot() const override;

  // ChainReader
  uint64_t head_height() const override { return blocks_.size(); }
  Result<v1::Block> GetBlock(uint64_t height) const override;
  Result<v1::CommitCertificate> GetCertificate(uint64_t height) const override;
  Result<std::optional<std::string>> Get(ledger::Table table, std::string_view key) const override {
    return state_.Get(table, key);
  }
  Status Scan(ledger::Table table, std::string_view prefix, const ledger::ScanVisitor& visit) const override {
    return state_.Scan(table, prefix, visit);
  }

 private:
  std::string chain_id_;
  std::vector<v1::Block> blocks_;
  std::vector<v1::CommitCertificate> certificates_;
  ledger::MemoryStore state_;
};

}  // namespace jejak::replica
