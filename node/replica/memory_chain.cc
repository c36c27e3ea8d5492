#include "node/replica/memory_chain.h"

namespace jejak::replica {
namespace {

// The live chain seen through a ChainReader of its own (MemoryChain is single-threaded).
class View final : public ledger::ChainReader {
 public:
  explicit View(const ledger::ChainReader& chain) : chain_(chain) {}
  uint64_t head_height() const override { return chain_.head_height(); }
  Result<v1::Block> GetBlock(uint64_t height) const override { return chain_.GetBlock(height); }
  Result<v1::CommitCertificate> GetCertificate(uint64_t height) const override {
    return chain_.GetCertificate(height);
  }
  Result<std::optional<std::string>> Get(ledger::Table table, std::string_view key) const override {
    return chain_.Get(table, key);
  }
  Status Scan(ledger::Table table, std::string_view prefix, const ledger::ScanVisitor& visit) const override {
    return chain_.Scan(table, prefix, visit);
  }

 private:
  const ledger::ChainReader& chain_;
};

}  // namespace

Status MemoryChain::Commit(const v1::Block& block, const v1::CommitCertificate& certificate,
                           const ledger::WriteSet& writes) {
  const uint64_t height = block.header().height();
  if (height != head_height() + 1 || certificate.height() != height || block.header().chain_id() != chain_id_) {
    return Status::Invalid("block " + std::to_string(height) + " of chain '" + block.header().chain_id() +
                           "' does not follow the head " + std::to_string(head_height()) + " of chain '" + chain_id_ +
                           "'");
  }
  state_.Apply(writes);
  blocks_.push_back(block);
  certificates_.push_back(certificate);
  return Status::Ok();
}

Result<std::unique_ptr<ledger::ChainReader>> MemoryChain::Snapshot() const {
  return std::unique_ptr<ledger::ChainReader>(std::make_unique<View>(*this));
}

Result<v1::Block> MemoryChain::GetBlock(uint64_t height) const {
  if (height == 0 || height > blocks_.size()) return Status::NotFound("no block " + std::to_string(height));
  return blocks_[height - 1];
}

Result<v1::CommitCertificate> MemoryChain::GetCertificate(uint64_t height) const {
  if (height == 0 || height > certificates_.size()) {
    return Status::NotFound("no certificate for block " + std::to_string(height));
  }
  return certificates_[height - 1];
}

}  // namespace jejak::replica
