// Ledger apply rate over a MemoryStore, for blocks of 1, 100 and 1000 events.
//
// Events are signed before timing starts. "rules only" uses a Ledger with
// LedgerOptions::verify_signatures = false (events pre-verified, as a node that checked them on
// admission would have them); "with signatures" verifies every signature too. ApplyBlock's time
// includes the header check (events root). Half of each block commissions new lots, the other
// half ships them. Prints figures; asserts nothing.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "node/crypto/ed25519.h"
#include "node/ledger/block.h"
#include "node/ledger/ledger.h"
#include "node/ledger/memory_store.h"

namespace jejak::ledger {
namespace {

constexpr const char* kChain = "jejak-bench-1";

Genesis BenchGenesis(const crypto::PrivateKey& gayo, const crypto::PrivateKey& roaster) {
  Genesis g;
  g.chain_id = kChain;
  g.organisations.push_back({"koperasi-gayo", "Koperasi Gayo", {Role::kProducer, Role::kProcessor},
                             {OrgPartyId("koperasi-gayo")}, {{"clerk", gayo.public_key(), true}}});
  g.organisations.push_back({"roaster-bandung", "Roaster", {Role::kProcessor},
                             {OrgPartyId("roaster-bandung")}, {{"clerk", roaster.public_key(), true}}});
  g.validators.push_back({"v1", "koperasi-gayo", roaster.public_key(), "127.0.0.1:7001",
                          std::string(32, '\x01')});
  return g;
}

v1::Event MakeEvent(int64_t time_ms) {
  v1::Event e;
  e.set_event_time("2026-03-01T08:00:00.000Z");
  e.set_event_time_ms(time_ms);
  e.set_event_time_zone_offset("+07:00");
  e.set_type(v1::OBJECT_EVENT);
  return e;
}

// `count` events: count/2 commissionings, then a shipment of each new lot (count 1: one commission).
std::vector<v1::SignedEvent> MakeEvents(const crypto::PrivateKey& key, int first_lot, int count) {
  std::vector<v1::SignedEvent> out;
  int lots = count == 1 ? 1 : count / 2;
  for (int i = 0; i < lots; ++i) {
    v1::Event e = MakeEvent(1772352000000 + first_lot + i);
    e.set_action(v1::ADD);
    e.set_biz_step("commissioning");
    auto* q = e.add_quantity_list();
    q->set_epc_class("urn:jejak:lot:koperasi-gayo:b-" + std::to_string(first_lot + i));
    q->set_quantity_micros(60'000'000);
    q->set_uom("KGM");
    out.push_back(*SignEvent(key, kChain, e));
  }
  for (int i = 0; i < count - lots; ++i) {
    v1::Event e = MakeEvent(1772352000000 + first_lot + i);
    e.set_action(v1::OBSERVE);
    e.set_biz_step("shipping");
    e.add_epc_list("urn:jejak:lot:koperasi-gayo:b-" + std::to_string(first_lot + i));
    auto* d = e.add_destination_list();
    d->set_type("possessing_party");
    d->set_id(OrgPartyId("roaster-bandung"));
    out.push_back(*SignEvent(key, kChain, e));
  }
  return out;
}

void Run(const Genesis& genesis, const crypto::PrivateKey& key, int block_events, bool verify) {
  const int total_events = block_events == 1 ? 200 : 2000;
  const int blocks = total_events / block_events;
  std::vector<v1::Block> chain;
  for (int b = 0; b < blocks; ++b) {
    v1::Block block;
    for (auto& e : MakeEvents(key, b * block_events, block_events)) *block.add_events() = e;
    v1::BlockHeader* h = block.mutable_header();
    h->set_chain_id(kChain);
    h->set_height(b + 1);
    h->set_time_ms(1772352000000 + static_cast<int64_t>(b) * 1000);  // events say 2026-03-01T08:00Z
    if (b > 0) h->set_previous_block_hash(BlockHash(chain.back().header()));
    h->set_event_count(block.events_size());
    h->set_events_root(EventsRoot(block));
    chain.push_back(std::move(block));
  }
  Ledger ledger(genesis, {.verify_signatures = verify});
  MemoryStore store;
  auto start = std::chrono::steady_clock::now();
  for (const v1::Block& block : chain) {
    auto writes = ledger.ApplyBlock(store, block);
    if (!writes.ok()) {
      std::printf("apply failed: %s\n", writes.status().ToString().c_str());
      return;
    }
    store.Apply(*writes);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("block of %4d events, %-15s: %5d blocks, %8.0f events/s, %8.3f ms/block\n",
              block_events, verify ? "with signatures" : "rules only", blocks,
              blocks * block_events / secs, secs * 1000 / blocks);
}

}  // namespace
}  // namespace jejak::ledger

int main() {
  using namespace jejak;  // NOLINT
  auto gayo = crypto::PrivateKey::FromSeed(std::string(32, '\x01'));
  auto roaster = crypto::PrivateKey::FromSeed(std::string(32, '\x02'));
  if (!gayo.ok() || !roaster.ok()) return 1;
  ledger::Genesis genesis = ledger::BenchGenesis(*gayo, *roaster);
  for (int size : {1, 100, 1000}) {
    for (bool verify : {false, true}) ledger::Run(genesis, *gayo, size, verify);
  }
  return 0;
}
