#include <gtest/gtest.h>

#include "node/ledger/keys.h"
#include "node/ledger/memory_store.h"
#include "node/ledger/overlay.h"

namespace jejak::ledger {
namespace {

std::vector<std::pair<std::string, std::string>> ScanAll(const StateReader& r, Table t,
                                                         std::string_view prefix,
                                                         size_t limit = 1000) {
  std::vector<std::pair<std::string, std::string>> out;
  Status s = r.Scan(t, prefix, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return out.size() < limit;
  });
  EXPECT_TRUE(s.ok());
  return out;
}

TEST(KeysTest, LotHistoryKeysSortChronologically) {
  std::string a = keys::LotEventKey("lot", {1, 5});
  std::string b = keys::LotEventKey("lot", {1, 256});
  std::string c = keys::LotEventKey("lot", {2, 0});
  std::string d = keys::LotEventKey("lot", {256, 0});
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_LT(c, d);
  EXPECT_EQ(a.substr(0, 4), keys::LotEventsPrefix("lot"));
  // A lot whose id extends another's is not inside its prefix.
  EXPECT_NE(keys::LotEventKey("lot2", {1, 0}).substr(0, 4), keys::LotEventsPrefix("lot"));
}

TEST(KeysTest, LinkAndPackKeysGiveBackTheOtherLot) {
  std::string k = keys::LotLinkKey("a", keys::LinkDirection::kParent, "b:c");
  EXPECT_EQ(k.substr(0, keys::LotLinksPrefix("a", keys::LinkDirection::kParent).size()),
            keys::LotLinksPrefix("a", keys::LinkDirection::kParent));
  EXPECT_EQ(keys::LotLinkOther(k, "a"), "b:c");
  EXPECT_NE(keys::LotLinksPrefix("a", keys::LinkDirection::kParent),
            keys::LotLinksPrefix("a", keys::LinkDirection::kChild));
  EXPECT_EQ(keys::PackedChildOf(keys::PackedChildKey("pallet", "sack"), "pallet"), "sack");
  EXPECT_EQ(keys::DecodeU64(keys::EncodeU64(0x0102030405060708ULL)), 0x0102030405060708ULL);
  EXPECT_FALSE(keys::DecodeU64("short").has_value());
}

TEST(MemoryStoreTest, GetScanApply) {
  MemoryStore store;
  WriteSet w;
  w.Put(Table::kLots, "b", "2");
  w.Put(Table::kLots, "a", "1");
  w.Put(Table::kLots, "ab", "3");
  w.Put(Table::kEvents, "a", "other table");
  store.Apply(w);
  EXPECT_EQ(store.Get(Table::kLots, "a")->value(), "1");
  EXPECT_FALSE(store.Get(Table::kLots, "zz")->has_value());
  auto all = ScanAll(store, Table::kLots, "a");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].first, "a");
  EXPECT_EQ(all[1].first, "ab");
  EXPECT_EQ(ScanAll(store, Table::kLots, "", 2).size(), 2u);  // stops when asked
  WriteSet d;
  d.Delete(Table::kLots, "a");
  store.Apply(d);
  EXPECT_FALSE(store.Get(Table::kLots, "a")->has_value());
  EXPECT_EQ(store.Size(Table::kLots), 2u);
}

TEST(OverlayTest, ReadsSeePendingWritesAndDeletes) {
  MemoryStore base;
  WriteSet w;
  for (std::string k : {"p1", "p3", "p5", "q1"}) w.Put(Table::kState, k, "base-" + k);
  base.Apply(w);
  WriteSet pending;
  pending.Put(Table::kState, "p0", "new-p0");
  pending.Put(Table::kState, "p3", "new-p3");
  pending.Delete(Table::kState, "p5");
  pending.Put(Table::kState, "p9", "new-p9");
  pending.Put(Table::kLots, "p2", "other table");
  OverlayReader overlay(base, pending);
  EXPECT_EQ(overlay.Get(Table::kState, "p3")->value(), "new-p3");
  EXPECT_FALSE(overlay.Get(Table::kState, "p5")->has_value());
  EXPECT_EQ(overlay.Get(Table::kState, "p1")->value(), "base-p1");
  auto all = ScanAll(overlay, Table::kState, "p");
  std::vector<std::pair<std::string, std::string>> want = {
      {"p0", "new-p0"}, {"p1", "base-p1"}, {"p3", "new-p3"}, {"p9", "new-p9"}};
  EXPECT_EQ(all, want);
  auto first_two = ScanAll(overlay, Table::kState, "p", 2);
  EXPECT_EQ(first_two.size(), 2u);
  EXPECT_EQ(ScanAll(overlay, Table::kState, "q").size(), 1u);
  // The overlay equals applying the pending writes.
  MemoryStore applied = base;
  applied.Apply(pending);
  EXPECT_EQ(ScanAll(applied, Table::kState, ""), ScanAll(overlay, Table::kState, ""));
}

}  // namespace
}  // namespace jejak::ledger
