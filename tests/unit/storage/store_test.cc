// Store: commit and read back, refusals, scans, reopen, and the ways opening can fail.
#include "node/storage/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "node/storage/rocks_util.h"
#include "tests/unit/storage/store_test_util.h"

namespace jejak::storage {
namespace {

using ledger::Table;
using ledger::WriteSet;
using namespace testing_util;

std::unique_ptr<Store> OpenOrDie(const std::string& dir, const StoreOptions& options) {
  Result<std::unique_ptr<Store>> store = Store::Open(dir, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::optional<std::string> GetOrDie(const ledger::StateReader& reader, Table table,
                                    const std::string& key) {
  Result<std::optional<std::string>> value = reader.Get(table, key);
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  return value.ok() ? *value : std::nullopt;
}

std::vector<std::string> ScanKeys(const ledger::StateReader& reader, Table table,
                                  std::string_view prefix, size_t stop_after = SIZE_MAX) {
  std::vector<std::string> keys;
  Status status = reader.Scan(table, prefix, [&](std::string_view key, std::string_view) {
    keys.emplace_back(key);
    return keys.size() < stop_after;
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return keys;
}

TEST(StoreTest, NewStoreIsEmptyAtGenesis) {
  TempDir tmp;
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->head_height(), 0u);
  EXPECT_EQ(store->chain_id(), kChain);
  EXPECT_EQ(store->GetBlock(0).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->GetBlock(1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->GetCertificate(1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GetOrDie(*store, Table::kLots, "lot"), std::nullopt);
  EXPECT_TRUE(ScanKeys(*store, Table::kEvents, "").empty());
}

TEST(StoreTest, CommitsAndReadsBackBlocksCertificatesAndWrites) {
  TempDir tmp;
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  for (uint64_t h = 1; h <= 3; ++h) {
    ASSERT_TRUE(store->CommitBlock(MakeBlock(h, 3), MakeCertificate(h), WritesForHeight(h)).ok());
    EXPECT_EQ(store->head_height(), h);
  }
  for (uint64_t h = 1; h <= 3; ++h) {
    Result<v1::Block> block = store->GetBlock(h);
    ASSERT_TRUE(block.ok()) << block.status().ToString();
    EXPECT_EQ(block->SerializeAsString(), MakeBlock(h, 3).SerializeAsString());
    Result<v1::CommitCertificate> cert = store->GetCertificate(h);
    ASSERT_TRUE(cert.ok()) << cert.status().ToString();
    EXPECT_EQ(cert->SerializeAsString(), MakeCertificate(h).SerializeAsString());
    for (int i = 0; i < EventKeysAt(h); ++i) {
      EXPECT_EQ(GetOrDie(*store, Table::kEvents, EventKey(h, i)), EventValue(h, i));
    }
  }
  // Block 3 deleted tmp/2 and overwrote "last".
  EXPECT_EQ(GetOrDie(*store, Table::kLots, "tmp/" + Padded(2)), std::nullopt);
  EXPECT_EQ(GetOrDie(*store, Table::kLots, "tmp/" + Padded(3)), "x");
  EXPECT_EQ(GetOrDie(*store, Table::kState, "last"), "3");
  // Tables are separate: the same key in another table is absent.
  EXPECT_EQ(GetOrDie(*store, Table::kLotEvents, "last"), std::nullopt);
  Result<v1::Block> past = store->GetBlock(4);
  EXPECT_EQ(past.status().code(), StatusCode::kNotFound);
  EXPECT_NE(past.status().message().find("head is at 3"), std::string::npos);
  EXPECT_EQ(store->GetCertificate(4).status().code(), StatusCode::kNotFound);
}

TEST(StoreTest, EmptyWriteSetStillCommitsTheBlock) {
  TempDir tmp;
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CommitBlock(MakeBlock(1, 0), MakeCertificate(1), WriteSet()).ok());
  EXPECT_EQ(store->head_height(), 1u);
  EXPECT_TRUE(store->GetBlock(1).ok());
}

void ExpectRefusedAndNothingWritten(Store& store, const v1::Block& block,
                                    const v1::CommitCertificate& cert, const std::string& words) {
  WriteSet writes;
  writes.Put(Table::kLots, "refused", "value");
  writes.Delete(Table::kState, "last");
  Status status = store.CommitBlock(block, cert, writes);
  EXPECT_EQ(status.code(), StatusCode::kInvalid) << status.ToString();
  EXPECT_NE(status.message().find(words), std::string::npos) << status.message();
  EXPECT_EQ(store.head_height(), 1u);
  EXPECT_EQ(GetOrDie(store, Table::kLots, "refused"), std::nullopt);
  EXPECT_EQ(GetOrDie(store, Table::kState, "last"), "1");
  EXPECT_EQ(store.GetBlock(2).status().code(), StatusCode::kNotFound);
}

TEST(StoreTest, RefusesWrongHeightChainOrCertificateAndWritesNothing) {
  TempDir tmp;
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CommitBlock(MakeBlock(1), MakeCertificate(1), WritesForHeight(1)).ok());
  ExpectRefusedAndNothingWritten(*store, MakeBlock(1), MakeCertificate(1), "must be at height 2");
  ExpectRefusedAndNothingWritten(*store, MakeBlock(3), MakeCertificate(3), "must be at height 2");
  ExpectRefusedAndNothingWritten(*store, MakeBlock(0), MakeCertificate(0), "must be at height 2");
  ExpectRefusedAndNothingWritten(*store, MakeBlock(2, 1, "other-chain"), MakeCertificate(2),
                                 "other-chain");
  ExpectRefusedAndNothingWritten(*store, MakeBlock(2), MakeCertificate(3),
                                 "certificate is for height 3");
  // The store still accepts the right block afterwards.
  EXPECT_TRUE(store->CommitBlock(MakeBlock(2), MakeCertificate(2), WritesForHeight(2)).ok());
}

TEST(StoreTest, RefusesABatchAboveTheSizeLimit) {
  TempDir tmp;
  StoreOptions options = SmallOptions();
  options.max_commit_bytes = 4096;
  auto store = OpenOrDie(tmp.db(), options);
  ASSERT_NE(store, nullptr);
  WriteSet big;
  big.Put(Table::kEvents, "big", std::string(5000, 'b'));
  Status status = store->CommitBlock(MakeBlock(1), MakeCertificate(1), big);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted) << status.ToString();
  EXPECT_EQ(store->head_height(), 0u);
  EXPECT_EQ(GetOrDie(*store, Table::kEvents, "big"), std::nullopt);
  EXPECT_TRUE(store->CommitBlock(MakeBlock(1), MakeCertificate(1), WritesForHeight(1)).ok());
}

TEST(StoreTest, ScanIsAscendingAndBoundedByThePrefix) {
  TempDir tmp;
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  const std::vector<std::string> keys = {
      "b",    "ab",           "a",     "abc", std::string("ab\0", 3), "ab\xff", "ab\xff\xff", "ac",
      "\xff", "\xff\xff\x01", "aa\xff"};
  WriteSet first;
  WriteSet second;
  for (size_t i = 0; i < keys.size(); ++i)
    (i % 2 ? first : second).Put(Table::kLotLinks, keys[i], "v");
  second.Put(Table::kLotEvents, "ab-in-another-table", "v");
  ASSERT_TRUE(store->CommitBlock(MakeBlock(1), MakeCertificate(1), first).ok());
  ASSERT_TRUE(store->CommitBlock(MakeBlock(2), MakeCertificate(2), second).ok());

  using V = std::vector<std::string>;
  EXPECT_EQ(ScanKeys(*store, Table::kLotLinks, "ab"),
            (V{"ab", std::string("ab\0", 3), "abc", "ab\xff", "ab\xff\xff"}));
  EXPECT_EQ(ScanKeys(*store, Table::kLotLinks, "ab\xff"), (V{"ab\xff", "ab\xff\xff"}));
  EXPECT_EQ(ScanKeys(*store, Table::kLotLinks, "\xff"), (V{"\xff", "\xff\xff\x01"}));
  EXPECT_EQ(ScanKeys(*store, Table::kLotLinks, "aa"), (V{"aa\xff"}));
  EXPECT_EQ(ScanKeys(*store, Table::kLotLinks, "abcd"), V{});
  EXPECT_EQ(ScanKeys(*store, Table::kLotLinks, "c"), V{});
  V all = ScanKeys(*store, Table::kLotLinks, "");
  V sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(all, sorted);
  EXPECT_EQ(ScanKeys(*store, Table::kLotLinks, "a", 2), (V{"a", "aa\xff"}));
  EXPECT_EQ(ScanKeys(*store, Table::kLotEvents, ""), (V{"ab-in-another-table"}));
}

TEST(StoreTest, ReopenRestoresEverything) {
  TempDir tmp;
  {
    auto store = OpenOrDie(tmp.db(), SmallOptions());
    ASSERT_NE(store, nullptr);
    for (uint64_t h = 1; h <= 5; ++h) {
      ASSERT_TRUE(store->CommitBlock(MakeBlock(h, 2), MakeCertificate(h), WritesForHeight(h)).ok());
    }
    ASSERT_TRUE(store->PutMetaSynced("consensus/safety", "vote 5/0/precommit").ok());
  }
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->head_height(), 5u);
  for (uint64_t h = 1; h <= 5; ++h) {
    Result<v1::Block> block = store->GetBlock(h);
    ASSERT_TRUE(block.ok()) << block.status().ToString();
    EXPECT_EQ(block->SerializeAsString(), MakeBlock(h, 2).SerializeAsString());
    ASSERT_TRUE(store->GetCertificate(h).ok());
    EXPECT_EQ(GetOrDie(*store, Table::kEvents, EventKey(h, 0)), EventValue(h, 0));
  }
  EXPECT_EQ(ScanKeys(*store, Table::kLots, "tmp/"), (std::vector<std::string>{"tmp/" + Padded(5)}));
  Result<std::optional<std::string>> safety = store->GetMeta("consensus/safety");
  ASSERT_TRUE(safety.ok());
  EXPECT_EQ(*safety, "vote 5/0/precommit");
  EXPECT_TRUE(store->CommitBlock(MakeBlock(6), MakeCertificate(6), WritesForHeight(6)).ok());
}

TEST(StoreTest, MetaRoundTripAndReservedKeys) {
  TempDir tmp;
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  Result<std::optional<std::string>> absent = store->GetMeta("consensus/safety");
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(*absent, std::nullopt);
  ASSERT_TRUE(store->PutMetaSynced("consensus/safety", "a").ok());
  ASSERT_TRUE(store->PutMetaSynced("consensus/safety", "b").ok());
  EXPECT_EQ(*store->GetMeta("consensus/safety"), "b");
  Status reserved = store->PutMetaSynced("store/head_height", "x");
  EXPECT_EQ(reserved.code(), StatusCode::kInvalid);
  EXPECT_NE(reserved.message().find("reserved"), std::string::npos);
  EXPECT_EQ(store->PutMetaSynced("", "x").code(), StatusCode::kInvalid);
  EXPECT_EQ(*store->GetMeta("store/chain_id"), kChain);
  EXPECT_EQ(store->head_height(), 0u);
}

TEST(StoreTest, SnapshotKeepsItsHeightWhileCommitsGoOn) {
  TempDir tmp;
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CommitBlock(MakeBlock(1), MakeCertificate(1), WritesForHeight(1)).ok());
  Result<std::unique_ptr<StoreSnapshot>> snapshot = store->Snapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  ASSERT_TRUE(store->CommitBlock(MakeBlock(2), MakeCertificate(2), WritesForHeight(2)).ok());
  const StoreSnapshot& old = **snapshot;
  EXPECT_EQ(old.head_height(), 1u);
  EXPECT_EQ(GetOrDie(old, Table::kState, "last"), "1");
  EXPECT_EQ(GetOrDie(old, Table::kEvents, EventKey(2, 0)), std::nullopt);
  EXPECT_EQ(ScanKeys(old, Table::kLots, "tmp/"), (std::vector<std::string>{"tmp/" + Padded(1)}));
  EXPECT_EQ(GetOrDie(*store, Table::kState, "last"), "2");
}

TEST(StoreTest, ReadersDuringCommitsSeeWholeBlocks) {
  TempDir tmp;
  auto store = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(store, nullptr);
  constexpr uint64_t kBlocks = 60;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::thread reader([&] {
    while (!done.load()) {
      const uint64_t head = store->head_height();
      if (head == 0) continue;
      if (!store->GetBlock(head).ok() || !store->GetCertificate(head).ok()) ++failures;
      Result<std::optional<std::string>> key = store->Get(Table::kEvents, EventKey(head, 0));
      if (!key.ok() || *key != EventValue(head, 0)) ++failures;
    }
  });
  for (uint64_t h = 1; h <= kBlocks; ++h) {
    ASSERT_TRUE(store->CommitBlock(MakeBlock(h), MakeCertificate(h), WritesForHeight(h)).ok());
  }
  done = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
}

// --- Opening failures ---

TEST(StoreOpenTest, RefusesAnEmptyChainId) {
  TempDir tmp;
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions(""));
  EXPECT_EQ(store.status().code(), StatusCode::kInvalid);
  EXPECT_NE(store.status().message().find("chain id"), std::string::npos);
}

TEST(StoreOpenTest, MissingDatabaseIsNotFoundWhenCreationIsOff) {
  TempDir tmp;
  StoreOptions options = SmallOptions();
  options.create_if_missing = false;
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), options);
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound) << store.status().ToString();
  EXPECT_NE(store.status().message().find(tmp.db()), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(tmp.db()));
  // With creation on it is created; then creation off finds it.
  { EXPECT_NE(OpenOrDie(tmp.db(), SmallOptions()), nullptr); }
  EXPECT_NE(OpenOrDie(tmp.db(), options), nullptr);
}

TEST(StoreOpenTest, CreatesMissingParentDirectories) {
  TempDir tmp;
  const std::string nested = tmp.path() + "/data/node-1/db";
  EXPECT_NE(OpenOrDie(nested, SmallOptions()), nullptr);
  EXPECT_TRUE(std::filesystem::exists(nested + "/CURRENT"));
}

TEST(StoreOpenTest, ReportsADirectoryThatCannotBeCreated) {
  TempDir tmp;
  const std::string file = tmp.path() + "/a-file";
  std::FILE* f = std::fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  Result<std::unique_ptr<Store>> store = Store::Open(file + "/db", SmallOptions());
  EXPECT_EQ(store.status().code(), StatusCode::kIoError) << store.status().ToString();
  EXPECT_NE(store.status().message().find(file), std::string::npos);
}

TEST(StoreOpenTest, RefusesTheDatabaseOfAnotherChain) {
  TempDir tmp;
  {
    auto store = OpenOrDie(tmp.db(), SmallOptions("chain-a"));
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(
        store->CommitBlock(MakeBlock(1, 1, "chain-a"), MakeCertificate(1), WriteSet()).ok());
  }
  Result<std::unique_ptr<Store>> other = Store::Open(tmp.db(), SmallOptions("chain-b"));
  EXPECT_EQ(other.status().code(), StatusCode::kInvalid);
  EXPECT_NE(other.status().message().find("belongs to chain 'chain-a', not to chain 'chain-b'"),
            std::string::npos)
      << other.status().message();
  // The refusal changed nothing.
  auto again = OpenOrDie(tmp.db(), SmallOptions("chain-a"));
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->head_height(), 1u);
}

TEST(StoreOpenTest, RefusesASecondOpenOfTheSameDatabase) {
  TempDir tmp;
  auto first = OpenOrDie(tmp.db(), SmallOptions());
  ASSERT_NE(first, nullptr);
  Result<std::unique_ptr<Store>> second = Store::Open(tmp.db(), SmallOptions());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable) << second.status().ToString();
  EXPECT_NE(second.status().message().find("in use"), std::string::npos);
}

// Opens the directory with plain RocksDB, with the given families, to damage it on purpose.
void WithRawDb(
    const std::string& dir, const std::vector<std::string>& families,
    const std::function<void(rocksdb::DB*, std::vector<rocksdb::ColumnFamilyHandle*>&)>& body) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : families) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, descriptors, &handles, &db);
  ASSERT_TRUE(s.ok()) << s.ToString();
  body(db, handles);
  for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  ASSERT_TRUE(db->Close().ok());
  delete db;
}

std::vector<std::string> AllFamilies() {
  const auto& names = internal::FamilyNames();
  return {names.begin(), names.end()};
}

TEST(StoreOpenTest, RefusesADatabaseWithMissingColumnFamilies) {
  TempDir tmp;
  WithRawDb(tmp.db(), {"default", "blocks"}, [](auto*, auto&) {});
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("no column family 'certificates'"), std::string::npos)
      << store.status().message();
}

TEST(StoreOpenTest, RefusesADatabaseWithUnknownColumnFamilies) {
  TempDir tmp;
  std::vector<std::string> families = AllFamilies();
  families.push_back("surprise");
  WithRawDb(tmp.db(), families, [](auto*, auto&) {});
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("unknown column family 'surprise'"), std::string::npos)
      << store.status().message();
}

TEST(StoreOpenTest, RefusesAnUnknownFormatVersion) {
  TempDir tmp;
  { ASSERT_NE(OpenOrDie(tmp.db(), SmallOptions()), nullptr); }
  WithRawDb(tmp.db(), AllFamilies(), [](rocksdb::DB* db, auto& handles) {
    ASSERT_TRUE(db->Put({}, handles[internal::kMetaFamily], "store/format_version", "99").ok());
  });
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalid);
  EXPECT_NE(store.status().message().find("format '99'"), std::string::npos)
      << store.status().message();
}

TEST(StoreOpenTest, ReportsADamagedHeadBlockAsCorruption) {
  TempDir tmp;
  {
    auto store = OpenOrDie(tmp.db(), SmallOptions());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CommitBlock(MakeBlock(1), MakeCertificate(1), WriteSet()).ok());
  }
  WithRawDb(tmp.db(), AllFamilies(), [](rocksdb::DB* db, auto& handles) {
    ASSERT_TRUE(db->Put({}, handles[internal::kBlocksFamily], internal::EncodeHeight(1),
                        "\xff\xff not a block")
                    .ok());
  });
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("block 1 does not parse"), std::string::npos)
      << store.status().message();
}

TEST(StoreEncodingTest, HeightsSortInByteOrderAndPrefixSuccessor) {
  EXPECT_LT(internal::EncodeHeight(255), internal::EncodeHeight(256));
  EXPECT_LT(internal::EncodeHeight(1), internal::EncodeHeight(UINT64_MAX));
  EXPECT_EQ(internal::DecodeHeight(internal::EncodeHeight(0x0102030405060708)),
            0x0102030405060708u);
  EXPECT_EQ(internal::DecodeHeight("short"), std::nullopt);
  EXPECT_EQ(internal::PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(internal::PrefixSuccessor("a\xff\xff"), "b");
  EXPECT_EQ(internal::PrefixSuccessor("\xff\xff"), std::nullopt);
  EXPECT_EQ(internal::PrefixSuccessor(""), std::nullopt);
}

}  // namespace
}  // namespace jejak::storage
