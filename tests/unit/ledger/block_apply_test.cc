// Applying blocks: order within a block, all-or-nothing failure, chain tip, determinism.
#include <gtest/gtest.h>

#include "node/ledger/keys.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kLot = "urn:jejak:lot:koperasi-gayo:h-001";

std::vector<v1::SignedEvent> SupplyChain(Events& ev) {
  return {Sign(kGayo, ev.Commission(kLot, 1000)),
          Sign(kGayo, ev.Commission("urn:jejak:lot:koperasi-gayo:h-002", 500)),
          Sign(kGayo, ev.Transform({{kLot, 1000}, {"urn:jejak:lot:koperasi-gayo:h-002", 500}},
                                   {{"urn:epc:class:lgtin:8990001.000002.G01", 1200}})),
          Sign(kGayo, ev.Pack("urn:epc:id:sscc:8990001.0000000001",
                              {"urn:jejak:lot:koperasi-gayo:h-002"})),  // consumed: invalid
          Sign(kGayo, ev.Ship("urn:epc:class:lgtin:8990001.000002.G01", kRoasterPgln))};
}

TEST(ApplyBlockTest, EventsSeeEarlierEventsOfTheSameBlock) {
  Ledger ledger(TestGenesis());
  MemoryStore store;
  Events ev;
  std::vector<v1::SignedEvent> events = SupplyChain(ev);
  events.erase(events.begin() + 3);
  v1::Block b1 = MakeBlock(1, nullptr, events);
  auto writes = ledger.ApplyBlock(store, b1);
  ASSERT_TRUE(writes.ok()) << writes.status().ToString();
  store.Apply(*writes);
  auto tip = ReadChainTip(store);
  ASSERT_TRUE(tip.ok());
  EXPECT_EQ(tip->height, 1u);
  EXPECT_EQ(tip->hash, BlockHash(b1.header()));
  auto lot = GetLot(store, "urn:epc:class:lgtin:8990001.000002.G01");
  ASSERT_TRUE(lot.ok() && lot->has_value());
  EXPECT_EQ((*lot)->in_transit().to_organization(), kRoaster);
  auto history = LotHistory(store, kLot);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].position().height(), 1u);
  EXPECT_EQ((*history)[1].position().index(), 2u);
  EXPECT_EQ((*history)[1].position().block_time_ms(), b1.header().time_ms());

  // The next block must follow this one.
  v1::Block b2 = MakeBlock(2, &b1, {Sign(kRoaster, ev.Receive("urn:epc:class:lgtin:8990001.000002.G01"))});
  EXPECT_FALSE(ledger.ApplyBlock(store, b1).ok());  // replaying block 1
  auto w2 = ledger.ApplyBlock(store, b2);
  ASSERT_TRUE(w2.ok()) << w2.status().ToString();
}

TEST(ApplyBlockTest, AnInvalidEventFailsTheBlockWithItsIndexAndChangesNothing) {
  Ledger ledger(TestGenesis());
  MemoryStore store;
  Events ev;
  v1::Block block = MakeBlock(1, nullptr, SupplyChain(ev));
  auto writes = ledger.ApplyBlock(store, block);
  ASSERT_FALSE(writes.ok());
  EXPECT_EQ(writes.status().code(), StatusCode::kInvalid);
  EXPECT_NE(writes.status().message().find("block 1: event 3: [lot-used-up] lot urn:jejak:lot:koperasi-gayo:h-002"),
            std::string::npos)
      << writes.status().message();
  EXPECT_EQ(store.Size(Table::kLots), 0u);
  EXPECT_EQ(store.Size(Table::kEvents), 0u);
}

TEST(ApplyBlockTest, HeaderMustMatchTheStateAndTheEvents) {
  Ledger ledger(TestGenesis());
  MemoryStore store;
  Events ev;
  v1::Block block = MakeBlock(1, nullptr, {Sign(kGayo, ev.Commission(kLot, 1))});
  v1::Block wrong_height = block;
  wrong_height.mutable_header()->set_height(2);
  EXPECT_NE(ledger.ApplyBlock(store, wrong_height).status().message().find("height must be 1"),
            std::string::npos);
  v1::Block wrong_root = block;
  wrong_root.mutable_header()->set_events_root(std::string(32, 'x'));
  EXPECT_NE(ledger.ApplyBlock(store, wrong_root).status().message().find("events root"),
            std::string::npos);
  v1::Block wrong_chain = block;
  wrong_chain.mutable_header()->set_chain_id("elsewhere");
  EXPECT_EQ(ledger.ApplyBlock(store, wrong_chain).status().code(), StatusCode::kInvalid);
}

TEST(ApplyBlockTest, DuplicateInOneBlockIsANoOp) {
  Ledger ledger(TestGenesis());
  MemoryStore store;
  Events ev;
  v1::SignedEvent e = Sign(kGayo, ev.Commission(kLot, 1));
  auto writes = ledger.ApplyBlock(store, MakeBlock(1, nullptr, {e, e}));
  ASSERT_TRUE(writes.ok()) << writes.status().ToString();
  store.Apply(*writes);
  EXPECT_EQ(LotHistory(store, kLot)->size(), 1u);
}

TEST(ApplyBlockTest, SameBlocksGiveIdenticalWriteSetsOnTwoStores) {
  Events ev;
  std::vector<v1::SignedEvent> all = SupplyChain(ev);
  all.erase(all.begin() + 3);
  std::vector<v1::Block> blocks;
  blocks.push_back(MakeBlock(1, nullptr, {all[0], all[1]}));
  blocks.push_back(MakeBlock(2, &blocks[0], {all[2]}));
  blocks.push_back(MakeBlock(3, &blocks[1], {all[3]}));
  Ledger a(TestGenesis()), b(TestGenesis());
  MemoryStore store_a, store_b;
  for (const v1::Block& block : blocks) {
    auto wa = a.ApplyBlock(store_a, block);
    auto wb = b.ApplyBlock(store_b, block);
    ASSERT_TRUE(wa.ok() && wb.ok()) << wa.status().ToString() << wb.status().ToString();
    EXPECT_EQ(wa->writes(), wb->writes());
    store_a.Apply(*wa);
    store_b.Apply(*wb);
  }
  EXPECT_TRUE(store_a == store_b);
  // Applying the block as a whole equals applying its events one by one.
  Ledger c(TestGenesis());
  MemoryStore store_c;
  for (const v1::Block& block : blocks) {
    for (int k = 0; k < block.events_size(); ++k) {
      auto w = c.ApplyEvent(store_c, block.events(k),
                            {block.header().height(), static_cast<uint32_t>(k), block.header().time_ms()});
      ASSERT_TRUE(w.ok());
      store_c.Apply(*w);
    }
    WriteSet tip;
    tip.Put(Table::kState, keys::LastHeightKey(), keys::EncodeU64(block.header().height()));
    tip.Put(Table::kState, keys::LastHashKey(), BlockHash(block.header()));
    store_c.Apply(tip);
  }
  EXPECT_TRUE(store_a == store_c);
}

// The daemon passes the ids it computed when each event arrived: the same WriteSets result, and
// a list that does not match the block is our own error, not the block's.
TEST(ApplyBlockTest, KnownEventIdsGiveTheSameWriteSets) {
  Events ev;
  std::vector<v1::SignedEvent> all = SupplyChain(ev);
  all.erase(all.begin() + 3);
  v1::Block block = MakeBlock(1, nullptr, all);
  std::vector<std::string> ids;
  for (const v1::SignedEvent& signed_event : all) {
    v1::Event event;
    ASSERT_TRUE(event.ParseFromString(signed_event.event_bytes()));
    ids.push_back(LedgerEventId(event).value());
  }
  Ledger ledger(TestGenesis());
  MemoryStore store;
  auto computed = ledger.ApplyBlock(store, block);
  auto known = ledger.ApplyBlock(store, block, ids);
  ASSERT_TRUE(computed.ok() && known.ok()) << computed.status().ToString() << known.status().ToString();
  EXPECT_EQ(computed->writes(), known->writes());
  auto one = ledger.ApplyEvent(store, all[0], {1, 0, block.header().time_ms()}, ids[0]);
  auto one_computed = ledger.ApplyEvent(store, all[0], {1, 0, block.header().time_ms()});
  ASSERT_TRUE(one.ok() && one_computed.ok());
  EXPECT_EQ(one->writes(), one_computed->writes());
  ids.pop_back();
  EXPECT_EQ(ledger.ApplyBlock(store, block, ids).status().code(), StatusCode::kInternal);

  // The daemon computes the id from the event as parsed, before ApplyEvent derives event_time_ms
  // from eventTime: a carried event_time_ms that disagrees must not change the id.
  v1::Event odd = ev.Commission("urn:jejak:lot:koperasi-gayo:h-ms", 10);
  odd.set_event_time_ms(1);
  v1::SignedEvent odd_signed = Sign(kGayo, odd);
  v1::Event parsed;
  ASSERT_TRUE(parsed.ParseFromString(odd_signed.event_bytes()));
  auto odd_known =
      ledger.ApplyEvent(store, odd_signed, {1, 0, ev.now_ms()}, LedgerEventId(parsed).value());
  auto odd_computed = ledger.ApplyEvent(store, odd_signed, {1, 0, ev.now_ms()});
  ASSERT_TRUE(odd_known.ok() && odd_computed.ok()) << odd_computed.status().ToString();
  EXPECT_EQ(odd_known->writes(), odd_computed->writes());
}

TEST(ApplyBlockTest, SkippingSignatureChecksIsAnOptionForBenchmarksOnly) {
  Events ev;
  v1::SignedEvent e = Sign(kGayo, ev.Commission(kLot, 1));
  e.set_signature(std::string(64, '\0'));
  MemoryStore store;
  EXPECT_EQ(Ledger(TestGenesis()).ApplyEvent(store, e, {1, 0, ev.now_ms()}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(Ledger(TestGenesis(), {.verify_signatures = false})
                  .ApplyEvent(store, e, {1, 0, ev.now_ms()})
                  .ok());
}

}  // namespace
}  // namespace jejak::ledger
