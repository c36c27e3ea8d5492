// Helpers shared by the storage tests: a temporary directory and deterministic blocks.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "jejak/v1/block.pb.h"
#include "node/ledger/state_store.h"
#include "node/storage/store.h"
#include "tests/support/temp_dir.h"

namespace jejak::storage::testing_util {

inline constexpr char kChain[] = "jejak-test-chain";

// A fresh directory (removed with everything in it) with the store's place in it.
class TempDir : public jejak::testing::TempDir {
 public:
  std::string db() const { return path() + "/db"; }
};

inline StoreOptions SmallOptions(const std::string& chain_id = kChain) {
  StoreOptions options;
  options.chain_id = chain_id;
  options.block_cache_bytes = 4u << 20;
  options.write_buffer_bytes = 1u << 20;
  options.total_write_buffer_bytes = 8u << 20;
  return options;
}

inline std::string Padded(uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(n));
  return buf;
}

inline v1::Block MakeBlock(uint64_t height, int event_count = 1,
                           const std::string& chain_id = kChain) {
  v1::Block block;
  block.mutable_header()->set_chain_id(chain_id);
  block.mutable_header()->set_height(height);
  block.mutable_header()->set_time_ms(1700000000000 + static_cast<int64_t>(height));
  block.mutable_header()->set_proposer("validator-" + std::to_string(height % 4));
  block.mutable_header()->set_event_count(static_cast<uint32_t>(event_count));
  for (int i = 0; i < event_count; ++i) {
    v1::SignedEvent* event = block.add_events();
    event->set_event_bytes("event " + std::to_string(height) + "/" + std::to_string(i));
    event->set_signer_key_id("key-" + std::to_string(i));
    event->set_signature(std::string(64, static_cast<char>('a' + i % 26)));
  }
  return block;
}

inline v1::CommitCertificate MakeCertificate(uint64_t height) {
  v1::CommitCertificate certificate;
  certificate.set_height(height);
  certificate.set_round(static_cast<uint32_t>(height % 3));
  certificate.set_block_hash(std::string(32, static_cast<char>(height & 0xff)));
  v1::CommitSignature* signature = certificate.add_signatures();
  signature->set_validator_id("validator-0");
  signature->set_signature(std::string(64, 's'));
  return certificate;
}

// The crash test's deterministic writes for one height: events keyed by height, one overwritten
// "last" key, and a "tmp/<height>" key that replaces the previous height's (a delete).
inline int EventKeysAt(uint64_t height) { return 1 + static_cast<int>(height % 4); }
inline std::string EventKey(uint64_t height, int i) {
  return "h/" + Padded(height) + "/" + std::to_string(i);
}
inline std::string EventValue(uint64_t height, int i) {
  return "value of " + std::to_string(height) + "/" + std::to_string(i);
}
inline ledger::WriteSet WritesForHeight(uint64_t height) {
  ledger::WriteSet writes;
  for (int i = 0; i < EventKeysAt(height); ++i) {
    writes.Put(ledger::Table::kEvents, EventKey(height, i), EventValue(height, i));
  }
  writes.Put(ledger::Table::kState, "last", std::to_string(height));
  writes.Put(ledger::Table::kLots, "tmp/" + Padded(height), "x");
  if (height > 1) writes.Delete(ledger::Table::kLots, "tmp/" + Padded(height - 1));
  return writes;
}

}  // namespace jejak::storage::testing_util
