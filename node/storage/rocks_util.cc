#include "node/storage/rocks_util.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>

namespace jejak::storage::internal {

const std::array<std::string, kFamilyCount>& FamilyNames() {
  static const std::array<std::string, kFamilyCount> names = [] {
    std::array<std::string, kFamilyCount> n;
    n[kDefaultFamily] = rocksdb::kDefaultColumnFamilyName;
    n[kBlocksFamily] = "blocks";
    n[kCertificatesFamily] = "certificates";
    for (int t = 0; t < ledger::kTableCount; ++t) {
      n[kFirstTableFamily + t] = ledger::TableName(static_cast<ledger::Table>(t));
    }
    n[kMetaFamily] = "meta";
    return n;
  }();
  return names;
}

std::string EncodeHeight(uint64_t height) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(height & 0xff);
    height >>= 8;
  }
  return out;
}

std::optional<uint64_t> DecodeHeight(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t height = 0;
  for (char c : bytes) height = (height << 8) | static_cast<uint8_t>(c);
  return height;
}

std::optional<std::string> PrefixSuccessor(std::string_view prefix) {
  std::string bound(prefix);
  while (!bound.empty()) {
    auto last = static_cast<uint8_t>(bound.back());
    if (last != 0xff) {
      bound.back() = static_cast<char>(last + 1);
      return bound;
    }
    bound.pop_back();  // "ab\xff" -> every key above "ab\xff..." starts with "ac"
  }
  return std::nullopt;
}

Status FromRocks(const rocksdb::Status& status, const std::string& what) {
  if (status.ok()) return Status::Ok();
  std::string msg = what + ": " + status.ToString();
  if (status.IsNotFound()) return Status::NotFound(msg);
  if (status.IsCorruption()) return Status::Corruption(msg);
  if (status.IsBusy() || status.IsTryAgain()) return Status::Unavailable(msg);
  if (status.IsIOError() || status.IsNoSpace()) {
    // RocksDB reports a held LOCK file as an I/O error; it is someone else using the database.
    if (status.ToString().find("lock") != std::string::npos ||
        status.ToString().find("LOCK") != std::string::npos) {
      return Status::Unavailable(what + ": the database is in use by another process or Store (" +
                                 status.ToString() + ")");
    }
    return Status::IoError(msg);
  }
  // InvalidArgument, NotSupported, ...: we called RocksDB wrongly.
  return Status::Internal(msg);
}

static rocksdb::CompressionType PickCompression() {
  const auto supported = rocksdb::GetSupportedCompressions();
  for (auto type : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    if (std::find(supported.begin(), supported.end(), type) != supported.end()) return type;
  }
  return rocksdb::kNoCompression;
}

rocksdb::DBOptions MakeDbOptions(const StoreOptions& options) {
  rocksdb::DBOptions db;
  // Store::Open creates only in a new or empty directory (and checks an existing one's families).
  db.create_if_missing = options.create_if_missing;
  db.create_missing_column_families = options.create_if_missing;
  db.paranoid_checks = true;
  db.max_open_files = options.max_open_files;
  db.max_background_jobs = options.max_background_jobs;
  // Every commit is synced before it is acknowledged, so a record cut short at the end of the
  // write-ahead log (a crash during the write) was never acknowledged: it is dropped. A record that
  // is there but fails its checksum, in the middle or at the end, may hold acknowledged blocks:
  // the open fails (CORRUPTION) instead of quietly stopping before it, as point-in-time recovery
  // would. Only an explicit repair salvages what precedes the damage (docs/design.md, "Durability").
  db.wal_recovery_mode = options.salvage_damaged_log
                             ? rocksdb::WALRecoveryMode::kPointInTimeRecovery
                             : rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // The MANIFEST records each closed log's synced size: a log that is missing or shorter at the
  // next open (damage in an older log, which the tail tolerance above would take for a torn tail)
  // fails the open.
  db.track_and_verify_wals_in_manifest = !options.salvage_damaged_log;
  // The meta family is written rarely; without a cap it would pin old WAL files forever.
  db.max_total_wal_size = 4 * options.total_write_buffer_bytes;
  db.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(options.total_write_buffer_bytes);
  // Bounded info log: 5 files of 1 MiB.
  db.max_log_file_size = 1u << 20;
  db.keep_log_file_num = 5;
  return db;
}

rocksdb::ColumnFamilyOptions MakeFamilyOptions(const StoreOptions& options,
                                               const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions family;
  family.write_buffer_size = options.write_buffer_bytes;
  family.max_write_buffer_number = 2;
  family.compression = PickCompression();
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Point lookups (lot by id, event by id) dominate; 10 bits/key gives ~1% false positives.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;  // index memory counts against the cache bound
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // A monolithic index of a large SST file is 0.5-1 MB; with it in a small cache, every point read
  // re-read and decompressed one (a deep trace took 17 s). Partitioned, only a small top level is
  // pinned and each read pulls in one 4 KiB partition, which stays cached (high priority).
  table.index_type = rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  table.pin_top_level_index_and_filter = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return family;
}

}  // namespace jejak::storage::internal
