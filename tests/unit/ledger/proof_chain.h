// A certified chain in memory for the proof tests and bench: real blocks applied by the ledger,
// each with a commit certificate signed by real validator keys. No GoogleTest here, so the
// benchmark can use it too.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "consensus/sign_bytes.h"
#include "node/crypto/ed25519.h"
#include "node/ledger/block.h"
#include "node/ledger/chain_reader.h"
#include "node/ledger/ledger.h"
#include "node/ledger/memory_store.h"
#include "node/ledger/proof_builder.h"
#include "tests/unit/ledger/test_support.h"

namespace jejak::ledger::testing {

// A genesis of four validators (v1..v4, keys from seeds 101..104) over TestGenesis' members.
inline Genesis FourValidatorGenesis(const std::string& chain_id = "jejak-test-1") {
  Genesis g = TestGenesis();
  g.chain_id = chain_id;
  g.validators.clear();
  for (uint8_t i = 1; i <= 4; ++i) {
    g.validators.push_back({"v" + std::to_string(i), kGayo, KeyFromSeed(100 + i).public_key(),
                            "127.0.0.1:700" + std::to_string(i), std::string(32, char(i))});
  }
  return g;
}

// The private keys of FourValidatorGenesis' validators, in order.
inline std::vector<crypto::PrivateKey> ValidatorKeys() {
  std::vector<crypto::PrivateKey> keys;
  for (uint8_t i = 1; i <= 4; ++i) keys.push_back(KeyFromSeed(100 + i));
  return keys;
}

// The chain and its state: a ChainReader, as a node's store snapshot is.
class CertifiedChain final : public ChainReader {
 public:
  // `validator_keys` are the keys of genesis.validators sorted by id; the first `signers` of them
  // sign each certificate.
  CertifiedChain(Genesis genesis, std::vector<crypto::PrivateKey> validator_keys, size_t signers)
      : ledger_(genesis), genesis_(std::move(genesis)), keys_(std::move(validator_keys)),
        signers_(signers) {
    ids_.reserve(genesis_.validators.size());
    for (const Validator& v : genesis_.validators) ids_.push_back(v.id);
    std::sort(ids_.begin(), ids_.end());
  }

  // Commits the next block holding `events` (applied by the ledger rules) at `time_ms`.
  Status Commit(const std::vector<v1::SignedEvent>& events, int64_t time_ms) {
    v1::Block block;
    for (const v1::SignedEvent& e : events) *block.add_events() = e;
    v1::BlockHeader* h = block.mutable_header();
    h->set_chain_id(genesis_.chain_id);
    h->set_height(blocks_.size() + 1);
    h->set_time_ms(time_ms);
    if (!blocks_.empty()) h->set_previous_block_hash(BlockHash(blocks_.back().header()));
    h->set_event_count(static_cast<uint32_t>(events.size()));
    h->set_events_root(EventsRoot(block));
    h->set_validator_set_hash(ValidatorSetHash(genesis_.validators));
    h->set_proposer(ids_.front());
    auto writes = ledger_.ApplyBlock(store_, block);
    if (!writes.ok()) return writes.status();
    store_.Apply(*writes);
    v1::CommitCertificate cert;
    cert.set_height(h->height());
    cert.set_round(0);
    cert.set_block_hash(BlockHash(*h));
    std::string vote = consensus::VoteSignBytes(genesis_.chain_id, consensus::VoteType::kPrecommit,
                                                h->height(), 0, cert.block_hash());
    for (size_t i = 0; i < signers_ && i < keys_.size(); ++i) {
      v1::CommitSignature* s = cert.add_signatures();
      s->set_validator_id(ids_[i]);
      s->set_signature(keys_[i].Sign(vote));
    }
    blocks_.push_back(std::move(block));
    certificates_.push_back(std::move(cert));
    return Status::Ok();
  }

  Result<v1::Block> GetBlock(uint64_t height) const override {
    if (height == 0 || height > blocks_.size()) return Status::NotFound("no block");
    return blocks_[height - 1];
  }
  Result<v1::CommitCertificate> GetCertificate(uint64_t height) const override {
    if (height == 0 || height > certificates_.size()) return Status::NotFound("no certificate");
    return certificates_[height - 1];
  }

  uint64_t head_height() const override { return blocks_.size(); }
  Result<std::optional<std::string>> Get(Table table, std::string_view key) const override {
    return store_.Get(table, key);
  }
  Status Scan(Table table, std::string_view prefix, const ScanVisitor& visit) const override {
    return store_.Scan(table, prefix, visit);
  }

  const Genesis& genesis() const { return genesis_; }
  const MemoryStore& state() const { return store_; }
  uint64_t height() const { return blocks_.size(); }

 private:
  Ledger ledger_;
  Genesis genesis_;
  std::vector<crypto::PrivateKey> keys_;
  std::vector<std::string> ids_;
  size_t signers_;
  MemoryStore store_;
  std::vector<v1::Block> blocks_;
  std::vector<v1::CommitCertificate> certificates_;
};

}  // namespace jejak::ledger::testing
