// Opening a Store: column families, chain identity, head height.
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cassert>
#include <filesystem>
#include <system_error>

#include "node/storage/rocks_util.h"
#include "node/storage/store.h"

namespace jejak::storage {
namespace {

using internal::FamilyNames;
using internal::kFamilyCount;

// An existing database must have exactly our families: a missing one means a damaged or foreign
// database, and RocksDB cannot open a database without naming all of its families.
Status CheckFamilies(const std::string& dir, const std::vector<std::string>& existing) {
  const auto& wanted = FamilyNames();
  for (const std::string& name : wanted) {
    if (std::find(existing.begin(), existing.end(), name) == existing.end()) {
      return Status::Corruption("database at " + dir + " has no column family '" + name +
                                "': it is not a Jejak store, or it is damaged");
    }
  }
  for (const std::string& name : existing) {
    if (std::find(wanted.begin(), wanted.end(), name) == wanted.end()) {
      return Status::Corruption("database at " + dir + " has an unknown column family '" + name +
                                "': it was written by another program or a newer version");
    }
  }
  return Status::Ok();
}

// Distinguishes "no database here" (no CURRENT file) from a database we must check.
Result<bool> DatabaseExists(const std::string& dir, std::vector<std::string>* families) {
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, families);
  if (s.ok()) return true;
  if (s.IsIOError() || s.IsNotFound() || s.IsPathNotFound()) return false;
  return internal::FromRocks(s, "listing the column families of " + dir);
}

}  // namespace

Store::Store(std::string dir, const StoreOptions& options, rocksdb::DB* db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : dir_(std::move(dir)),
      chain_id_(options.chain_id),
      max_commit_bytes_(options.max_commit_bytes),
      db_(db),
      handles_(std::move(handles)) {
  assert(handles_.size() == static_cast<size_t>(kFamilyCount));
}

Store::~Store() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    (void)db_->DestroyColumnFamilyHandle(handle);
  }
  // Every commit was synced, so nothing is lost if closing fails; there is no one to tell here.
  (void)db_->Close();
  delete db_;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  if (options.chain_id.empty()) return Status::Invalid("opening a store needs a chain id");
  if (dir.empty()) return Status::Invalid("opening a store needs a data directory");
  std::vector<std::string> families;
  Result<bool> exists = DatabaseExists(dir, &families);
  if (!exists.ok()) return exists.status();
  if (*exists) {
    JEJAK_RETURN_IF_ERROR(CheckFamilies(dir, families));
  } else if (!options.create_if_missing) {
    return Status::NotFound("there is no database at " + dir + " and creating one was not asked");
  } else {
    // RocksDB creates only the last path component; the node's data directory may be new too.
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
      return Status::IoError("cannot create the directory " + dir + ": " + error.message());
    }
  }

  rocksdb::ColumnFamilyOptions family_options =
      internal::MakeFamilyOptions(options, rocksdb::NewLRUCache(options.block_cache_bytes));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : FamilyNames()) descriptors.emplace_back(name, family_options);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(internal::MakeDbOptions(options), dir, descriptors, &handles, &db);
  if (!s.ok()) return internal::FromRocks(s, "opening the database at " + dir);

  std::unique_ptr<Store> store(new Store(dir, options, db, std::move(handles)));
  JEJAK_RETURN_IF_ERROR(store->InitMeta());
  return store;
}

// First open records the chain id, format and head 0 in one synced batch; later opens check them.
Status Store::InitMeta() {
  rocksdb::ColumnFamilyHandle* meta = handles_[internal::kMetaFamily];
  Result<std::optional<std::string>> stored_chain = ReadRaw(meta, internal::kChainIdKey, nullptr);
  if (!stored_chain.ok()) return stored_chain.status();
  if (!stored_chain->has_value()) {
    Result<std::optional<std::string>> head = ReadRaw(meta, internal::kHeadHeightKey, nullptr);
    if (!head.ok()) return head.status();
    if (head->has_value()) {
      return Status::Corruption("database at " + dir_ + " has a head height but no chain id");
    }
    rocksdb::WriteBatch batch;
    batch.Put(meta, internal::kChainIdKey, chain_id_);
    batch.Put(meta, internal::kFormatVersionKey, internal::kFormatVersion);
    batch.Put(meta, internal::kHeadHeightKey, internal::EncodeHeight(0));
    rocksdb::WriteOptions sync;
    sync.sync = true;
    return internal::FromRocks(db_->Write(sync, &batch), "initialising the store at " + dir_);
  }
  if (**stored_chain != chain_id_) {
    return Status::Invalid("database at " + dir_ + " belongs to chain '" + **stored_chain +
                           "', not to chain '" + chain_id_ + "'");
  }
  Result<std::optional<std::string>> format = ReadRaw(meta, internal::kFormatVersionKey, nullptr);
  if (!format.ok()) return format.status();
  if (!format->has_value() || **format != internal::kFormatVersion) {
    return Status::Invalid("database at " + dir_ + " has store format '" +
                           format->value_or("(none)") + "'; this program reads format '" +
                           std::string(internal::kFormatVersion) + "'");
  }
  Result<uint64_t> head = ReadHeadHeight(nullptr);
  if (!head.ok()) return head.status();
  head_height_.store(*head, std::memory_order_release);
  if (*head > 0) {
    // The head batch wrote the block too; its absence means the files were tampered with.
    Result<v1::Block> block = GetBlock(*head);
    if (!block.ok()) return block.status().WithContext("checking the head block at open");
  }
  return Status::Ok();
}

Result<uint64_t> Store::ReadHeadHeight(const rocksdb::Snapshot* snapshot) const {
  Result<std::optional<std::string>> raw =
      ReadRaw(handles_[internal::kMetaFamily], internal::kHeadHeightKey, snapshot);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return Status::Corruption("store at " + dir_ + " has no head height");
  std::optional<uint64_t> head = internal::DecodeHeight(**raw);
  if (!head) return Status::Corruption("store at " + dir_ + " has a malformed head height");
  return *head;
}

}  // namespace jejak::storage
