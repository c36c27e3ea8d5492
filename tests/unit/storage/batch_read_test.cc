// Batched reads (GetMany, ScanMany): the Store's and StoreSnapshot's overrides give exactly the
// answers of the StateReader defaults (Get / Scan one at a time), over table files and memtables
// together; bounds; snapshots; and a wide trace over each reader comes out identical.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jejak/v1/ledger_state.pb.h"
#include "node/ledger/keys.h"
#include "node/ledger/memory_store.h"
#include "node/ledger/queries.h"
#include "node/storage/store.h"
#include "tests/unit/storage/store_test_util.h"

namespace jejak::storage {
namespace {

using ledger::ScanNext;
using ledger::Table;
using ledger::WriteSet;
using namespace testing_util;

// Forwards Get and Scan only, so GetMany and ScanMany are the StateReader defaults.
class PlainReader : public ledger::StateReader {
 public:
  explicit PlainReader(const ledger::StateReader& inner) : inner_(inner) {}
  Result<std::optional<std::string>> Get(Table table, std::string_view key) const override {
    return inner_.Get(table, key);
  }
  Status Scan(Table table, std::string_view prefix,
              const ledger::ScanVisitor& visit) const override {
    return inner_.Scan(table, prefix, visit);
  }

 private:
  const ledger::StateReader& inner_;
};

using Visit = std::pair<size_t, std::string>;  // prefix index, key

// Every visit of a ScanMany; the visitor ends a prefix after `per_prefix` keys and the whole call
// after `total` keys.
std::vector<Visit> ScanManyVisits(const ledger::StateReader& reader, Table table,
                                  const std::vector<std::string>& prefixes,
                                  size_t per_prefix = SIZE_MAX, size_t total = SIZE_MAX) {
  std::vector<Visit> visits;
  std::vector<size_t> counts(prefixes.size());
  Status status = reader.ScanMany(table, prefixes, [&](size_t i, std::string_view key,
                                                       std::string_view value) {
    EXPECT_EQ(value, "v:" + std::string(key));
    visits.emplace_back(i, std::string(key));
    if (visits.size() >= total) return ScanNext::kStop;
    return ++counts[i] < per_prefix ? ScanNext::kContinue : ScanNext::kNextPrefix;
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return visits;
}

std::vector<std::optional<std::string>> GetManyOrDie(const ledger::StateReader& reader, Table table,
                                                     const std::vector<std::string>& keys) {
  auto values = reader.GetMany(table, keys);
  EXPECT_TRUE(values.ok()) << values.status().ToString();
  return values.ok() ? *values : std::vector<std::optional<std::string>>{};
}

class BatchReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    // Tricky keys (NULs, 0xff, keys that are prefixes of others) plus runs of close keys with
    // gaps, so that ScanMany both steps and seeks.
    keys_ = {"a",  "aa\xff",   "ab", std::string("ab\0", 3), "abc", "ab\xff", "ab\xff\xff", "ac",
             "b",  "\xff",     "\xff\xff\x01"};
    for (int i = 0; i < 600; i += 1 + i % 7) keys_.push_back("k/" + Padded(i));
    // Half the keys go to table files (the reopen flushes them), half stay in the memtable.
    WriteSet first, second;
    for (size_t i = 0; i < keys_.size(); ++i) {
      (i % 2 ? first : second).Put(Table::kLotLinks, keys_[i], "v:" + keys_[i]);
    }
    first.Put(Table::kLots, "ab", "v:ab");  // another table: never seen by lot_links reads
    ASSERT_TRUE(store_->CommitBlock(MakeBlock(1), MakeCertificate(1), first).ok());
    store_.reset();
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->CommitBlock(MakeBlock(2), MakeCertificate(2), second).ok());
    std::sort(keys_.begin(), keys_.end());
  }
  std::unique_ptr<Store> Open() {
    auto store = Store::Open(tmp_.db(), SmallOptions());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  // Prefixes in no particular order: present, absent, overlapping, repeated, empty.
  std::vector<std::string> Prefixes() const {
    std::vector<std::string> prefixes = {"ab", "k/" + Padded(3), "zz", "a",  "ab\xff", "ab",
                                         "",   "k/" + Padded(599), "\xff", "aa", "k/0000000000000000001"};
    for (int i = 597; i >= 0; i -= 1 + i % 11) prefixes.push_back("k/" + Padded(i));
    return prefixes;
  }

  TempDir tmp_;
  std::unique_ptr<Store> store_;
  std::vector<std::string> keys_;
};

TEST_F(BatchReadTest, GetManyAnswersLikeGetInTheOrderAsked) {
  std::vector<std::string> keys = {"ab", "missing", "a", "ab", std::string("ab\0", 3), ""};
  for (int i = 0; i < 600; i += 5) keys.push_back("k/" + Padded(i));
  const auto values = GetManyOrDie(*store_, Table::kLotLinks, keys);
  ASSERT_EQ(values.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool present = std::binary_search(keys_.begin(), keys_.end(), keys[i]);
    EXPECT_EQ(values[i], present ? std::optional<std::string>("v:" + keys[i]) : std::nullopt)
        << "key " << i;
  }
  EXPECT_EQ(values, GetManyOrDie(PlainReader(*store_), Table::kLotLinks, keys));
  EXPECT_EQ(GetManyOrDie(*store_, Table::kLots, {"ab", "a"}),
            (std::vector<std::optional<std::string>>{"v:ab", std::nullopt}));
  EXPECT_TRUE(GetManyOrDie(*store_, Table::kLotLinks, {}).empty());
}

TEST_F(BatchReadTest, ScanManyVisitsEachPrefixInByteOrderLikeScan) {
  const std::vector<std::string> prefixes = Prefixes();
  // Expected: each prefix's keys, the prefixes taken in ascending order (ties as given).
  std::vector<Visit> expected;
  for (size_t i : ledger::ScanOrder(prefixes)) {
    for (const std::string& key : keys_) {
      if (key.starts_with(prefixes[i])) expected.emplace_back(i, key);
    }
  }
  EXPECT_EQ(ScanManyVisits(*store_, Table::kLotLinks, prefixes), expected);
  EXPECT_EQ(ScanManyVisits(PlainReader(*store_), Table::kLotLinks, prefixes), expected);
  EXPECT_EQ(ScanManyVisits(*store_, Table::kLots, {"a", "ab", "b"}),
            (std::vector<Visit>{{0, "ab"}, {1, "ab"}}));
  EXPECT_TRUE(ScanManyVisits(*store_, Table::kLotLinks, {}).empty());
}

TEST_F(BatchReadTest, ScanManyVisitorEndsAPrefixOrTheCall) {
  const std::vector<std::string> prefixes = Prefixes();
  const auto store_one = ScanManyVisits(*store_, Table::kLotLinks, prefixes, 1);
  EXPECT_EQ(store_one, ScanManyVisits(PlainReader(*store_), Table::kLotLinks, prefixes, 1));
  std::vector<Visit> first_keys;  // the first key of each non-empty prefix, in scan order
  for (size_t i : ledger::ScanOrder(prefixes)) {
    auto it = std::lower_bound(keys_.begin(), keys_.end(), prefixes[i]);
    if (it != keys_.end() && it->starts_with(prefixes[i])) first_keys.emplace_back(i, *it);
  }
  EXPECT_EQ(store_one, first_keys);
  const auto stopped = ScanManyVisits(*store_, Table::kLotLinks, prefixes, 3, 10);
  ASSERT_EQ(stopped.size(), 10u);
  EXPECT_EQ(stopped, ScanManyVisits(PlainReader(*store_), Table::kLotLinks, prefixes, 3, 10));
  EXPECT_EQ(stopped[0], (Visit{6, "a"}));  // "" sorts first and ends after 3 keys
  EXPECT_EQ(stopped[3], (Visit{3, "a"}));
}

TEST_F(BatchReadTest, BatchesAreBounded) {
  std::vector<std::string> too_many(ledger::kMaxReadBatch + 1, "a");
  std::vector<std::string> just_enough(ledger::kMaxReadBatch, "a");
  auto noop = [](size_t, std::string_view, std::string_view) { return ScanNext::kContinue; };
  auto snapshot = store_->Snapshot();
  ASSERT_TRUE(snapshot.ok());
  PlainReader plain(*store_);
  for (const ledger::StateReader* reader :
       {static_cast<const ledger::StateReader*>(store_.get()),
        static_cast<const ledger::StateReader*>(snapshot->get()),
        static_cast<const ledger::StateReader*>(&plain)}) {
    auto values = reader->GetMany(Table::kLotLinks, too_many);
    EXPECT_EQ(values.status().code(), StatusCode::kInvalid);
    EXPECT_NE(values.status().message().find("at most 1024"), std::string::npos)
        << values.status().ToString();
    EXPECT_EQ(reader->ScanMany(Table::kLotLinks, too_many, noop).code(), StatusCode::kInvalid);
    EXPECT_TRUE(reader->GetMany(Table::kLotLinks, just_enough).ok());
    EXPECT_TRUE(reader->ScanMany(Table::kLotLinks, just_enough, noop).ok());
  }
}

TEST_F(BatchReadTest, ASnapshotDoesNotSeeLaterWrites) {
  auto snapshot = store_->Snapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  WriteSet later;
  later.Put(Table::kLotLinks, "ab-later", "v:ab-later");
  later.Delete(Table::kLotLinks, "abc");
  later.Put(Table::kLotLinks, "a", "v:a");  // rewritten, same value
  ASSERT_TRUE(store_->CommitBlock(MakeBlock(3), MakeCertificate(3), later).ok());
  const std::vector<std::string> keys = {"abc", "ab-later"};
  EXPECT_EQ(GetManyOrDie(**snapshot, Table::kLotLinks, keys),
            (std::vector<std::optional<std::string>>{"v:abc", std::nullopt}));
  EXPECT_EQ(GetManyOrDie(*store_, Table::kLotLinks, keys),
            (std::vector<std::optional<std::string>>{std::nullopt, "v:ab-later"}));
  using V = std::vector<Visit>;
  const std::vector<std::string> prefixes = {"abc", "ab-"};
  EXPECT_EQ(ScanManyVisits(**snapshot, Table::kLotLinks, prefixes), (V{{0, "abc"}}));
  EXPECT_EQ(ScanManyVisits(*store_, Table::kLotLinks, prefixes), (V{{1, "ab-later"}}));
}

// A graph wider than one read batch: root <- 1,500 parents, each with its own grandparent, and
// every tenth parent also linked to parent 0 (a diamond). Written as raw records.
std::string Lot(const char* kind, int i) {
  char id[64];
  std::snprintf(id, sizeof id, "urn:jejak:lot:gayo:%s%d", kind, i);
  return id;
}

WriteSet WideGraph(int parents) {
  WriteSet writes;
  auto put_lot = [&](const std::string& id) {
    v1::LotRecord lot;
    lot.set_lot_id(id);
    lot.set_created_by_event_id("made " + id);
    writes.Put(Table::kLots, ledger::keys::LotKey(id), lot.SerializeAsString());
  };
  auto link = [&](const std::string& child, const std::string& parent) {
    v1::LotLink l;
    l.set_event_id("event " + parent + " > " + child);
    l.set_kind("transformation");
    writes.Put(Table::kLotLinks,
               ledger::keys::LotLinkKey(child, ledger::keys::LinkDirection::kParent, parent),
               l.SerializeAsString());
    writes.Put(Table::kLotLinks,
               ledger::keys::LotLinkKey(parent, ledger::keys::LinkDirection::kChild, child),
               l.SerializeAsString());
  };
  const std::string root = Lot("root", 0);
  put_lot(root);
  for (int i = 0; i < parents; ++i) {
    put_lot(Lot("p", i));
    put_lot(Lot("g", i));
    link(root, Lot("p", i));
    link(Lot("p", i), Lot("g", i));
    if (i % 10 == 9) link(Lot("p", i), Lot("p", 0));
  }
  v1::CertificateRecord cert;
  cert.set_document_hash("ab12");
  cert.set_scheme("organic");
  writes.Put(Table::kState, ledger::keys::CertificateKey(Lot("g", 7), "ab12"),
             cert.SerializeAsString());
  return writes;
}

std::vector<std::string> Summary(const ledger::TraceGraph& graph) {
  std::vector<std::string> out;
  for (const auto& node : graph.nodes) {
    out.push_back(node.lot.lot_id() + " certs " + std::to_string(node.certificates.size()));
  }
  for (const auto& edge : graph.edges) out.push_back(edge.from_lot + " > " + edge.to_lot);
  return out;
}

TEST(BatchTraceTest, AWideTraceIsTheSameOverEveryReader) {
  constexpr int kParents = 1500;
  static_assert(kParents > static_cast<int>(ledger::kMaxReadBatch));
  const WriteSet graph = WideGraph(kParents);
  ledger::MemoryStore memory;
  memory.Apply(graph);
  TempDir tmp;
  auto store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->CommitBlock(MakeBlock(1), MakeCertificate(1), graph).ok());
  auto snapshot = (*store)->Snapshot();
  ASSERT_TRUE(snapshot.ok());

  const std::string root = Lot("root", 0);
  auto expected = ledger::TraceBack(memory, root);
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  const std::vector<std::string> want = Summary(*expected);
  ASSERT_EQ(expected->nodes.size(), 1u + 2 * kParents);
  ASSERT_EQ(expected->edges.size(), 2u * kParents + kParents / 10);
  // Breadth-first, each lot's links in key order: parents p0, p1, p10, p100, ... then the
  // grandparents in the order their children were visited.
  EXPECT_EQ(want[1], Lot("p", 0) + " certs 0");
  EXPECT_EQ(want[2], Lot("p", 1) + " certs 0");
  EXPECT_EQ(want[3], Lot("p", 10) + " certs 0");
  EXPECT_EQ(want[1 + kParents], Lot("g", 0) + " certs 0");
  EXPECT_EQ(want[2 + kParents], Lot("g", 1) + " certs 0");
  EXPECT_NE(std::find(want.begin(), want.end(), Lot("g", 7) + " certs 1"), want.end());

  for (const ledger::StateReader* reader :
       {static_cast<const ledger::StateReader*>(store->get()),
        static_cast<const ledger::StateReader*>(snapshot->get())}) {
    auto got = ledger::TraceBack(*reader, root);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(Summary(*got), want);
    auto forward = ledger::TraceForward(*reader, Lot("g", 0));
    auto forward_memory = ledger::TraceForward(memory, Lot("g", 0));
    ASSERT_TRUE(forward.ok() && forward_memory.ok());
    EXPECT_EQ(Summary(*forward), Summary(*forward_memory));
    // 2 * kParents - 1: reached in the second read batch of the last level.
    EXPECT_TRUE(ledger::TraceBack(*reader, root, 2 * kParents).ok());
    auto bounded = ledger::TraceBack(*reader, root, 2 * kParents - 1);
    EXPECT_EQ(bounded.status().code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(ledger::TraceBack(*reader, root, 1200).status().code(),
              StatusCode::kResourceExhausted);
  }
}

TEST(BatchTraceTest, GetEventsKeepsTheOrderAndReportsMissingOnes) {
  ledger::MemoryStore memory;
  WriteSet writes;
  for (int i = 0; i < 1100; ++i) {
    v1::EventRecord record;
    record.set_event_id("e" + std::to_string(i));
    writes.Put(Table::kEvents, ledger::keys::EventKey("e" + std::to_string(i)),
               record.SerializeAsString());
  }
  writes.Put(Table::kEvents, ledger::keys::EventKey("broken"), "\xff\xff not a record");
  memory.Apply(writes);
  TempDir tmp;
  auto store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->CommitBlock(MakeBlock(1), MakeCertificate(1), writes).ok());
  std::vector<std::string> ids;
  for (int i = 1099; i >= 0; i -= 1) ids.push_back("e" + std::to_string(i));
  ids.insert(ids.begin() + 1050, "nope");
  for (const ledger::StateReader* reader :
       {static_cast<const ledger::StateReader*>(&memory),
        static_cast<const ledger::StateReader*>(store->get())}) {
    auto events = ledger::GetEvents(*reader, ids);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    ASSERT_EQ(events->size(), ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == "nope") {
        EXPECT_FALSE((*events)[i].has_value());
      } else {
        ASSERT_TRUE((*events)[i].has_value()) << ids[i];
        EXPECT_EQ((*events)[i]->event_id(), ids[i]);
      }
    }
    auto broken = ledger::GetEvents(*reader, std::vector<std::string>{"e1", "broken"});
    EXPECT_EQ(broken.status().code(), StatusCode::kCorruption);
  }
}

}  // namespace
}  // namespace jejak::storage
