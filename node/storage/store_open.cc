// Opening a Store: column families, chain identity, head height.
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "node/base/assert.h"
#include "node/storage/rocks_util.h"
#include "node/storage/store.h"
#include "node/storage/wal_framing.h"

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

// The names in `dir` (sorted; lost+found, which a file system's root has, left out); empty when
// the directory does not exist.
Result<std::vector<std::string>> EntriesOf(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code error;
  if (!std::filesystem::exists(dir, error)) return names;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name != "lost+found") names.push_back(std::move(name));
  }
  if (error) return Status::IoError("cannot list the directory " + dir + ": " + error.message());
  std::sort(names.begin(), names.end());
  return names;
}

std::string NameSome(const std::vector<std::string>& names, size_t at_most = 8) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < at_most; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > at_most) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

// A database is created only where nothing is: files without a CURRENT are a database that lost
// files (creating one over them would delete its tables and start a new chain) or someone else's.
Status CheckNothingThere(const std::string& dir) {
  Result<std::vector<std::string>> entries = EntriesOf(dir);
  if (!entries.ok()) return entries.status();
  if (entries->empty()) return Status::Ok();
  return Status::Corruption(
      "the data directory " + dir + " holds files (" + NameSome(*entries) +
      ") but no database: RocksDB's CURRENT file is missing. Either the database lost files or the "
      "directory belongs to something else; a database is created only in a new or empty "
      "directory, never over existing files, so nothing was changed");
}

// The write-ahead logs of a database that RocksDB found damaged, to name them in the error.
std::string WriteAheadLogs(const std::string& dir) {
  Result<std::vector<std::string>> entries = EntriesOf(dir);
  if (!entries.ok()) return "";
  std::vector<std::string> logs;
  for (const std::string& name : *entries) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0) logs.push_back(name);
  }
  return NameSome(logs);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

Status DamagedDatabase(const std::string& dir, const rocksdb::Status& status) {
  const std::string logs = WriteAheadLogs(dir);
  return Status::Corruption("the database at " + dir + " is damaged: " + status.ToString() +
                            (logs.empty() ? "" : " (its write-ahead log: " + logs + ")") +
                            ". Committed blocks may be in the damaged part, so it was not opened");
}

Status DamagedLog(const std::string& dir, const std::vector<std::string>& damage) {
  std::string what;
  for (const std::string& sentence : damage) what += (what.empty() ? "" : "; ") + sentence;
  return Status::Corruption("the database at " + dir + " is damaged: " + what +
                            ". Committed blocks may be in the damaged part, so it was not opened");
}

}  // namespace

Store::Store(std::string dir, const StoreOptions& options, rocksdb::DB* db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : dir_(std::move(dir)),
      chain_id_(options.chain_id),
      genesis_hash_(options.genesis_hash),
      max_commit_bytes_(options.max_commit_bytes),
      db_(db),
      handles_(std::move(handles)) {
  JEJAK_ASSERT(handles_.size() == static_cast<size_t>(kFamilyCount), "a handle for every column family");
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
  std::vector<std::string> torn_tails;
  if (*exists) {
    JEJAK_RETURN_IF_ERROR(CheckFamilies(dir, families));
    // Read before RocksDB recovers (and may delete) the logs; torn tails are reported only if the
    // open succeeds. A repair opens past the damage on purpose.
    internal::LogsFraming framing = internal::ReadLogsFraming(dir);
    if (!framing.damage.empty() && !options.salvage_damaged_log) return DamagedLog(dir, framing.damage);
    torn_tails = std::move(framing.torn_tail_notes);
  } else if (!options.create_if_missing) {
    return Status::NotFound("there is no database at " + dir + " and creating one was not asked");
  } else {
    JEJAK_RETURN_IF_ERROR(CheckNothingThere(dir));
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
  if (s.IsCorruption()) return DamagedDatabase(dir, s);
  if (!s.ok()) return internal::FromRocks(s, "opening the database at " + dir);

  std::unique_ptr<Store> store(new Store(dir, options, db, std::move(handles)));
  store->created_ = !*exists;
  store->open_notes_ = std::move(torn_tails);
  JEJAK_RETURN_IF_ERROR(store->InitMeta());
  if (options.salvage_damaged_log) {
    store->open_notes_.push_back(
        "repair: opened " + dir + " with point-in-time recovery: every write before any damage in the write-ahead log "
        "was kept and everything after it dropped; the chain here now ends at height " +
        std::to_string(store->head_height()) + ", and later blocks must come back by block sync");
  }
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
    if (!genesis_hash_.empty()) batch.Put(meta, internal::kGenesisHashKey, genesis_hash_);
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
  JEJAK_RETURN_IF_ERROR(CheckGenesisHash());
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

// A chain is its genesis: the same chain id with another genesis (an organisation added, a key
// changed) would judge the stored blocks by other rules.
Status Store::CheckGenesisHash() {
  if (genesis_hash_.empty()) return Status::Ok();
  rocksdb::ColumnFamilyHandle* meta = handles_[internal::kMetaFamily];
  Result<std::optional<std::string>> stored = ReadRaw(meta, internal::kGenesisHashKey, nullptr);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    if (**stored == genesis_hash_) return Status::Ok();
    return Status::Invalid("the genesis does not match the chain in " + dir_ + ": the chain was started with genesis " +
                           Hex(**stored) + ", the genesis given now hashes to " + Hex(genesis_hash_) +
                           ". Use the genesis file the chain was started with");
  }
  // A store written before the genesis hash was recorded: from now on it is.
  rocksdb::WriteOptions sync;
  sync.sync = true;
  JEJAK_RETURN_IF_ERROR(internal::FromRocks(db_->Put(sync, meta, internal::kGenesisHashKey, genesis_hash_),
                                            "recording the genesis hash in " + dir_));
  open_notes_.push_back("the store at " + dir_ + " had no genesis hash recorded; recorded " + Hex(genesis_hash_) +
                        " (the genesis given now): later starts with another genesis are refused");
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
