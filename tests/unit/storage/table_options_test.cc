// The table layout that keeps deep traces fast: partitioned index and filters, within the cache.
#include <gtest/gtest.h>
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <rocksdb/table_properties.h>

#include <cstdio>
#include <memory>
#include <string>

#include "node/storage/rocks_util.h"
#include "store_test_util.h"

namespace jejak::storage {
namespace {

TEST(TableOptionsTest, IndexAndFiltersArePartitionedAndCountAgainstTheCache) {
  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(1 << 20);
  rocksdb::ColumnFamilyOptions family = internal::MakeFamilyOptions(StoreOptions(), cache);
  auto* table = family.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->index_type, rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch);
  EXPECT_TRUE(table->partition_filters);
  EXPECT_NE(table->filter_policy, nullptr);
  EXPECT_TRUE(table->cache_index_and_filter_blocks);
  EXPECT_TRUE(table->pin_top_level_index_and_filter);
  EXPECT_EQ(table->block_cache, cache);  // the one bounded cache, not a private one
}

// A table file big enough for several index partitions is written with them and reads back.
TEST(TableOptionsTest, AFlushedTableHasSeveralIndexPartitions) {
  testing_util::TempDir dir;
  rocksdb::Options options(
      internal::MakeDbOptions(StoreOptions()),
      internal::MakeFamilyOptions(StoreOptions(), rocksdb::NewLRUCache(1 << 20)));
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir.db(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  constexpr int kKeys = 20000;
  for (int i = 0; i < kKeys; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "urn:jejak:lot:t:%08d", i);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, std::string(100, 'v')).ok());
  }
  ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
  rocksdb::TablePropertiesCollection tables;
  ASSERT_TRUE(db->GetPropertiesOfAllTables(&tables).ok());
  ASSERT_FALSE(tables.empty());
  for (const auto& [file, props] : tables) {
    EXPECT_GT(props->index_partitions, 1u) << file;
    EXPECT_GT(props->top_level_index_size, 0u) << file;
  }
  std::string value;
  EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), "urn:jejak:lot:t:00012345", &value).ok());
  EXPECT_EQ(value.size(), 100u);
  EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), "urn:jejak:lot:t:99999999", &value).IsNotFound());
  ASSERT_TRUE(db->Close().ok());
}

}  // namespace
}  // namespace jejak::storage
