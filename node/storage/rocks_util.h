// Internal to node/storage: the RocksDB edge (status mapping, options, key encodings).
#pragma once

#include <rocksdb/options.h>
#include <rocksdb/status.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "node/base/status.h"
#include "node/ledger/state_store.h"
#include "node/storage/store.h"

namespace jejak::storage::internal {

// Column families in the order they are opened; handles_ in Store is indexed by this order.
// RocksDB always has "default"; the store keeps nothing in it.
enum FamilyIndex : int {
  kDefaultFamily = 0,
  kBlocksFamily = 1,
  kCertificatesFamily = 2,
  kFirstTableFamily = 3,  // ledger::Table t lives at kFirstTableFamily + int(t)
  kMetaFamily = kFirstTableFamily + ledger::kTableCount,
  kFamilyCount,
};
const std::array<std::string, kFamilyCount>& FamilyNames();

// Meta keys owned by the store itself.
inline constexpr std::string_view kReservedMetaPrefix = "store/";
inline constexpr std::string_view kChainIdKey = "store/chain_id";
inline constexpr std::string_view kFormatVersionKey = "store/format_version";
inline constexpr std::string_view kHeadHeightKey = "store/head_height";
inline constexpr std::string_view kGenesisHashKey = "store/genesis_hash";
// 2: quantities are exact decimals (int64 millionths) in events and lot records, not doubles.
inline constexpr std::string_view kFormatVersion = "2";

// 8-byte big-endian, so that byte order is height order.
std::string EncodeHeight(uint64_t height);
std::optional<uint64_t> DecodeHeight(std::string_view bytes);

// The smallest key greater than every key starting with `prefix`; nullopt when there is none
// (empty prefix, or all 0xff bytes).
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

// Maps a failed RocksDB status to ours, naming `what` was being done.
Status FromRocks(const rocksdb::Status& status, const std::string& what);

rocksdb::DBOptions MakeDbOptions(const StoreOptions& options);
rocksdb::ColumnFamilyOptions MakeFamilyOptions(const StoreOptions& options,
                                               const std::shared_ptr<rocksdb::Cache>& cache);

}  // namespace jejak::storage::internal
