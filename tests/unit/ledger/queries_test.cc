// Traces over graphs with diamonds and a packing cycle; history order; bounds.
#include <gtest/gtest.h>

#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

std::vector<std::string> NodeIds(const TraceGraph& g) {
  std::vector<std::string> out;
  for (const TraceNode& n : g.nodes) out.push_back(n.lot.lot_id());
  return out;
}

// a -> b, a -> c, b + c -> d (a diamond), d -> e.
class DiamondTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Events& ev = chain_.events();
    chain_.MustApply(kGayo, ev.Commission(L("a"), 100));
    chain_.MustApply(kGayo, ev.Transform({{L("a"), 50}}, {{L("b"), 50}}));
    chain_.MustApply(kGayo, ev.Transform({{L("a"), 50}}, {{L("c"), 50}}));
    chain_.MustApply(kGayo, ev.Transform({{L("b"), 50}, {L("c"), 50}}, {{L("d"), 100}}));
    chain_.MustApply(kGayo, ev.Transform({{L("d"), 100}}, {{L("e"), 90}}));
  }
  static std::string L(const std::string& s) { return "urn:jejak:lot:koperasi-gayo:" + s; }
  Chain chain_;
};

TEST_F(DiamondTest, TraceBackVisitsEachLotOnce) {
  auto g = TraceBack(chain_.store(), L("e"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(NodeIds(*g), (std::vector<std::string>{L("e"), L("d"), L("b"), L("c"), L("a")}));
  EXPECT_EQ(g->edges.size(), 5u);  // e<-d, d<-b, d<-c, b<-a, c<-a
  EXPECT_EQ(g->root_lot, L("e"));
  for (const TraceEdge& e : g->edges) EXPECT_FALSE(e.event_id.empty());
}

TEST_F(DiamondTest, TraceForwardFindsEveryDescendantForARecall) {
  chain_.MustApply(kAuditor, chain_.events().Observe(L("a"), "recalled"));
  auto g = TraceForward(chain_.store(), L("a"));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(NodeIds(*g), (std::vector<std::string>{L("a"), L("b"), L("c"), L("d"), L("e")}));
  EXPECT_EQ(g->nodes[0].lot.disposition(), "recalled");
  auto leaf = TraceForward(chain_.store(), L("e"));
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ(leaf->nodes.size(), 1u);
  EXPECT_TRUE(leaf->edges.empty());
}

TEST_F(DiamondTest, BoundsAndUnknownLots) {
  // e has exactly 4 ancestors and a has exactly 4 descendants: the bound excludes the root.
  auto exact = TraceBack(chain_.store(), L("e"), 4);
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_EQ(exact->nodes.size(), 5u);
  EXPECT_TRUE(TraceForward(chain_.store(), L("a"), 4).ok());
  auto bounded = TraceBack(chain_.store(), L("e"), 3);
  EXPECT_EQ(bounded.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(bounded.status().message().find("more than 3 other lots"), std::string::npos);
  EXPECT_EQ(TraceForward(chain_.store(), L("a"), 3).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(TraceBack(chain_.store(), L("a"), 0).ok());  // an origin has no ancestors
  EXPECT_EQ(TraceBack(chain_.store(), L("b"), 0).status().code(), StatusCode::kResourceExhausted);
  static_assert(kDefaultMaxTraceLinkedLots >= 10000, "issue #6: 10,000 ancestors must be traced");
  EXPECT_EQ(TraceBack(chain_.store(), L("zz")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(LotHistory(chain_.store(), L("zz")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(TraceBack(chain_.store(), "").status().code(), StatusCode::kInvalid);
  auto history = LotHistory(chain_.store(), L("a"));
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);  // commissioned, then two transformations, in commit order
  EXPECT_LT((*history)[1].position().index(), (*history)[2].position().index());
  EXPECT_EQ(LotHistory(chain_.store(), L("a"), 2).status().code(), StatusCode::kResourceExhausted);
}

// Counts the reads a query makes, answering from another reader.
class CountingReader : public StateReader {
 public:
  explicit CountingReader(const StateReader& inner) : inner_(inner) {}
  Result<std::optional<std::string>> Get(Table table, std::string_view key) const override {
    ++gets;
    return inner_.Get(table, key);
  }
  Status Scan(Table table, std::string_view prefix, const ScanVisitor& visit) const override {
    ++scans;
    return inner_.Scan(table, prefix, visit);
  }
  Result<std::vector<std::optional<std::string>>> GetMany(
      Table table, std::span<const std::string> keys) const override {
    ++batches;
    return StateReader::GetMany(table, keys);  // the default, in terms of Get
  }
  Status ScanMany(Table table, std::span<const std::string> prefixes,
                  const MultiScanVisitor& visit) const override {
    ++batches;
    return StateReader::ScanMany(table, prefixes, visit);
  }
  mutable int gets = 0, scans = 0, batches = 0;

 private:
  const StateReader& inner_;
};

TEST_F(DiamondTest, TracesReadOneBatchPerKindOfRecordAndLevel) {
  CountingReader reader(chain_.store());
  auto g = TraceBack(reader, L("e"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(NodeIds(*g), (std::vector<std::string>{L("e"), L("d"), L("b"), L("c"), L("a")}));
  // Levels e | d | b c | a: lot records, certificates and links, one batch each per level.
  EXPECT_EQ(reader.batches, 4 * 3);
  EXPECT_EQ(reader.gets, 5);       // the defaults underneath: one Get per lot
  EXPECT_EQ(reader.scans, 2 * 5);  // and a Scan per lot for certificates and for links
  const std::vector<std::string> ids = {g->edges[0].event_id, "no-such-event",
                                        g->nodes[4].lot.created_by_event_id()};
  auto events = GetEvents(reader, ids);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0]->event_id(), ids[0]);
  EXPECT_FALSE((*events)[1].has_value());
  EXPECT_EQ((*events)[2]->event_id(), ids[2]);
  EXPECT_EQ(reader.batches, 4 * 3 + 1);
}

TEST(QueriesTest, APackingCycleCannotLoop) {
  // Pack x into y, unpack, pack y into x: links x -> y and y -> x both remain in history.
  Chain chain;
  const std::string x = "urn:epc:id:sscc:8990001.0000000011";
  const std::string y = "urn:epc:id:sscc:8990001.0000000022";
  chain.MustApply(kGayo, chain.events().CommissionInstance(x));
  chain.MustApply(kGayo, chain.events().CommissionInstance(y));
  chain.MustApply(kGayo, chain.events().Pack(y, {x}));
  chain.MustApply(kGayo, chain.events().Unpack(y, {x}));
  chain.MustApply(kGayo, chain.events().Pack(x, {y}));
  auto back = TraceBack(chain.store(), x);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(NodeIds(*back), (std::vector<std::string>{x, y}));
  EXPECT_EQ(back->edges.size(), 2u);
  auto forward = TraceForward(chain.store(), y);
  ASSERT_TRUE(forward.ok());
  EXPECT_EQ(forward->nodes.size(), 2u);
}

}  // namespace
}  // namespace jejak::ledger
