// Committing blocks and reading them back; the StateReader over the ledger tables.
#include "node/storage/store.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include "node/base/assert.h"
#include "node/storage/rocks_util.h"

namespace jejak::storage {

using internal::EncodeHeight;
using internal::FromRocks;

Status Store::CommitBlock(const v1::Block& block, const v1::CommitCertificate& certificate,
                          const ledger::WriteSet& writes) {
  const bool already_writing = writing_.exchange(true, std::memory_order_acq_rel);
  JEJAK_ASSERT(!already_writing, "CommitBlock calls must be serialised by the caller");
  Status status = CheckCommit(block, certificate);
  if (status.ok()) status = WriteCommit(block, certificate, writes);
  writing_.store(false, std::memory_order_release);
  return status;
}

Status Store::CheckCommit(const v1::Block& block, const v1::CommitCertificate& certificate) const {
  const uint64_t height = block.header().height();
  const uint64_t head = head_height();
  if (height != head + 1) {
    return Status::Invalid("block height " + std::to_string(height) + " does not follow the head " +
                           std::to_string(head) + ": the next block must be at height " +
                           std::to_string(head + 1));
  }
  if (block.header().chain_id() != chain_id_) {
    return Status::Invalid("block " + std::to_string(height) + " is for chain '" +
                           block.header().chain_id() + "', this store holds chain '" + chain_id_ +
                           "'");
  }
  if (certificate.height() != height) {
    return Status::Invalid("the commit certificate is for height " +
                           std::to_string(certificate.height()) + " but the block is at height " +
                           std::to_string(height));
  }
  return Status::Ok();
}

Status Store::WriteCommit(const v1::Block& block, const v1::CommitCertificate& certificate,
                          const ledger::WriteSet& writes) {
  const uint64_t height = block.header().height();
  const std::string what = "committing block " + std::to_string(height);
  std::string block_bytes;
  std::string certificate_bytes;
  if (!block.SerializeToString(&block_bytes) ||
      !certificate.SerializeToString(&certificate_bytes)) {
    return Status::Internal(what + ": the block or its certificate could not be serialised");
  }
  rocksdb::WriteBatch batch;
  const std::string height_key = EncodeHeight(height);
  JEJAK_RETURN_IF_ERROR(
      FromRocks(batch.Put(handles_[internal::kBlocksFamily], height_key, block_bytes), what));
  JEJAK_RETURN_IF_ERROR(FromRocks(
      batch.Put(handles_[internal::kCertificatesFamily], height_key, certificate_bytes), what));
  for (const auto& [key, value] : writes.writes()) {
    rocksdb::ColumnFamilyHandle* family = TableFamily(key.first);
    if (family == nullptr) {
      return Status::Internal(what + ": the write set names unknown table " +
                              std::to_string(static_cast<int>(key.first)));
    }
    rocksdb::Status s =
        value ? batch.Put(family, key.second, *value) : batch.Delete(family, key.second);
    JEJAK_RETURN_IF_ERROR(FromRocks(s, what));
    if (batch.GetDataSize() > max_commit_bytes_) break;  // refused just below
  }
  JEJAK_RETURN_IF_ERROR(FromRocks(
      batch.Put(handles_[internal::kMetaFamily], internal::kHeadHeightKey, height_key), what));
  if (batch.GetDataSize() > max_commit_bytes_) {
    return Status::ResourceExhausted(what + ": its batch exceeds the limit of " +
                                     std::to_string(max_commit_bytes_) + " bytes");
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  JEJAK_RETURN_IF_ERROR(FromRocks(db_->Write(sync, &batch), what));
  head_height_.store(height, std::memory_order_release);
  return Status::Ok();
}

namespace {

template <typename Message>
Result<Message> ParseStored(const Result<std::optional<std::string>>& raw, const char* kind,
                            uint64_t height, uint64_t head) {
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) {
    return Status::Corruption(std::string(kind) + " " + std::to_string(height) +
                              " is missing although the head is at " + std::to_string(head));
  }
  Message message;
  if (!message.ParseFromString(**raw)) {
    return Status::Corruption("the stored " + std::string(kind) + " " + std::to_string(height) +
                              " does not parse");
  }
  return message;
}

Status CheckHeight(uint64_t height, uint64_t head, const char* kind) {
  if (height == 0 || height > head) {
    return Status::NotFound("there is no " + std::string(kind) + " at height " +
                            std::to_string(height) + ": the head is at " + std::to_string(head));
  }
  return Status::Ok();
}

}  // namespace

Result<v1::Block> Store::ReadBlock(uint64_t height, uint64_t head,
                                  const rocksdb::Snapshot* snapshot) const {
  JEJAK_RETURN_IF_ERROR(CheckHeight(height, head, "block"));
  return ParseStored<v1::Block>(
      ReadRaw(handles_[internal::kBlocksFamily], EncodeHeight(height), snapshot), "block", height,
      head);
}

Result<v1::CommitCertificate> Store::ReadCertificate(uint64_t height, uint64_t head,
                                                     const rocksdb::Snapshot* snapshot) const {
  JEJAK_RETURN_IF_ERROR(CheckHeight(height, head, "certificate"));
  return ParseStored<v1::CommitCertificate>(
      ReadRaw(handles_[internal::kCertificatesFamily], EncodeHeight(height), snapshot),
      "certificate", height, head);
}

Result<v1::Block> Store::GetBlock(uint64_t height) const {
  return ReadBlock(height, head_height(), nullptr);
}

Result<v1::CommitCertificate> Store::GetCertificate(uint64_t height) const {
  return ReadCertificate(height, head_height(), nullptr);
}

rocksdb::ColumnFamilyHandle* Store::TableFamily(ledger::Table table) const {
  const int index = static_cast<int>(table);
  if (index < 0 || index >= ledger::kTableCount) return nullptr;
  return handles_[internal::kFirstTableFamily + index];
}

Result<std::optional<std::string>> Store::Get(ledger::Table table, std::string_view key) const {
  rocksdb::ColumnFamilyHandle* family = TableFamily(table);
  if (family == nullptr) {
    return Status::Internal("Get on unknown table " + std::to_string(static_cast<int>(table)));
  }
  return ReadRaw(family, key, nullptr);
}

Status Store::Scan(ledger::Table table, std::string_view prefix,
                   const ledger::ScanVisitor& visit) const {
  rocksdb::ColumnFamilyHandle* family = TableFamily(table);
  if (family == nullptr) {
    return Status::Internal("Scan on unknown table " + std::to_string(static_cast<int>(table)));
  }
  return ScanRaw(family, prefix, visit, nullptr);
}

Result<std::vector<std::optional<std::string>>> Store::GetMany(
    ledger::Table table, std::span<const std::string> keys) const {
  rocksdb::ColumnFamilyHandle* family = TableFamily(table);
  if (family == nullptr) {
    return Status::Internal("GetMany on unknown table " + std::to_string(static_cast<int>(table)));
  }
  return MultiReadRaw(family, keys, nullptr);
}

Status Store::ScanMany(ledger::Table table, std::span<const std::string> prefixes,
                       const ledger::MultiScanVisitor& visit) const {
  rocksdb::ColumnFamilyHandle* family = TableFamily(table);
  if (family == nullptr) {
    return Status::Internal("ScanMany on unknown table " + std::to_string(static_cast<int>(table)));
  }
  return ScanManyRaw(family, prefixes, visit, nullptr);
}

Result<std::optional<std::string>> Store::GetMeta(std::string_view key) const {
  return ReadRaw(handles_[internal::kMetaFamily], key, nullptr);
}

Status Store::PutMetaSynced(std::string_view key, std::string_view value) {
  if (key.empty()) return Status::Invalid("a metadata key must not be empty");
  if (key.starts_with(internal::kReservedMetaPrefix)) {
    return Status::Invalid("metadata key '" + std::string(key) + "' is reserved for the store");
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(db_->Put(sync, handles_[internal::kMetaFamily], key, value),
                   "writing metadata '" + std::string(key) + "'");
}

Result<std::optional<std::string>> Store::ReadRaw(rocksdb::ColumnFamilyHandle* family,
                                                  std::string_view key,
                                                  const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(read, family, key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "reading from " + family->GetName());
  return std::optional<std::string>(value.ToString());
}

Status Store::ScanRaw(rocksdb::ColumnFamilyHandle* family, std::string_view prefix,
                      const ledger::ScanVisitor& visit, const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  // The bound lets RocksDB stop at the end of the prefix instead of reading the next block.
  const std::optional<std::string> bound = internal::PrefixSuccessor(prefix);
  rocksdb::Slice bound_slice;
  if (bound) {
    bound_slice = rocksdb::Slice(*bound);
    read.iterate_upper_bound = &bound_slice;
  }
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    if (!key.starts_with(prefix)) break;
    if (!visit(key, std::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), "scanning " + family->GetName());
}

namespace {

// Seeks cost a binary search in every table file of the family; a few Next steps are far cheaper.
constexpr int kMaxStepsBeforeSeek = 8;

// Moves `it` to the first key >= `prefix`. `previous` is the prefix scanned before (nullptr for
// none), and prefix >= *previous. Unless `previous` is a prefix of `prefix` (its scan may have
// gone past keys of `prefix`), every key the scan of `previous` passed is below `prefix`, so the
// iterator is at or before the wanted position and may step forward instead of seeking.
void PositionAt(rocksdb::Iterator& it, const std::string& prefix, const std::string* previous) {
  if (previous == nullptr || prefix.starts_with(*previous) || !it.status().ok()) {
    it.Seek(prefix);
    return;
  }
  const rocksdb::Slice target(prefix);
  for (int step = 0; step < kMaxStepsBeforeSeek; ++step) {
    if (!it.Valid() || it.key().compare(target) >= 0) return;  // invalid: no key at or after
    it.Next();
  }
  if (it.Valid() && it.key().compare(target) < 0) it.Seek(target);
}

}  // namespace

Result<std::vector<std::optional<std::string>>> Store::MultiReadRaw(
    rocksdb::ColumnFamilyHandle* family, std::span<const std::string> keys,
    const rocksdb::Snapshot* snapshot) const {
  JEJAK_RETURN_IF_ERROR(ledger::CheckReadBatch(keys.size(), "GetMany"));
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  // One batched lookup: RocksDB sorts the keys and shares index, filter and block reads among them.
  db_->MultiGet(read, family, slices.size(), slices.data(), values.data(), statuses.data());
  std::vector<std::optional<std::string>> out;
  out.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      out.emplace_back();
      continue;
    }
    if (!statuses[i].ok()) return FromRocks(statuses[i], "reading from " + family->GetName());
    out.emplace_back(values[i].ToString());
  }
  return out;
}

Status Store::ScanManyRaw(rocksdb::ColumnFamilyHandle* family,
                          std::span<const std::string> prefixes,
                          const ledger::MultiScanVisitor& visit,
                          const rocksdb::Snapshot* snapshot) const {
  JEJAK_RETURN_IF_ERROR(ledger::CheckReadBatch(prefixes.size(), "ScanMany"));
  if (prefixes.empty()) return Status::Ok();
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  // No upper bound: one bound cannot serve many prefixes, so each scan stops at the first key
  // outside its prefix instead. One iterator walks forward through the sorted prefixes: it is built
  // once, not once per prefix, and it reaches a nearby prefix by stepping, not seeking.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family));
  const std::string* previous = nullptr;
  for (size_t i : ledger::ScanOrder(prefixes)) {
    const std::string& prefix = prefixes[i];
    PositionAt(*it, prefix, previous);
    previous = &prefix;
    ledger::ScanNext next = ledger::ScanNext::kContinue;
    for (; it->Valid(); it->Next()) {
      const std::string_view key(it->key().data(), it->key().size());
      if (!key.starts_with(prefix)) break;
      next = visit(i, key, std::string_view(it->value().data(), it->value().size()));
      if (next != ledger::ScanNext::kContinue) break;
    }
    JEJAK_RETURN_IF_ERROR(FromRocks(it->status(), "scanning " + family->GetName()));
    if (next == ledger::ScanNext::kStop) break;
  }
  return Status::Ok();
}

Result<std::unique_ptr<StoreSnapshot>> Store::Snapshot() const {
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  // Read the head under the snapshot itself, so height and state agree exactly.
  Result<uint64_t> head = ReadHeadHeight(snapshot);
  if (!head.ok()) {
    db_->ReleaseSnapshot(snapshot);
    return head.status();
  }
  return std::unique_ptr<StoreSnapshot>(new StoreSnapshot(this, snapshot, *head));
}

StoreSnapshot::~StoreSnapshot() { store_->db_->ReleaseSnapshot(snapshot_); }

Result<v1::Block> StoreSnapshot::GetBlock(uint64_t height) const {
  return store_->ReadBlock(height, head_height_, snapshot_);
}

Result<v1::CommitCertificate> StoreSnapshot::GetCertificate(uint64_t height) const {
  return store_->ReadCertificate(height, head_height_, snapshot_);
}

Result<std::optional<std::string>> StoreSnapshot::Get(ledger::Table table,
                                                      std::string_view key) const {
  rocksdb::ColumnFamilyHandle* family = store_->TableFamily(table);
  if (family == nullptr) {
    return Status::Internal("Get on unknown table " + std::to_string(static_cast<int>(table)));
  }
  return store_->ReadRaw(family, key, snapshot_);
}

Status StoreSnapshot::Scan(ledger::Table table, std::string_view prefix,
                           const ledger::ScanVisitor& visit) const {
  rocksdb::ColumnFamilyHandle* family = store_->TableFamily(table);
  if (family == nullptr) {
    return Status::Internal("Scan on unknown table " + std::to_string(static_cast<int>(table)));
  }
  return store_->ScanRaw(family, prefix, visit, snapshot_);
}


Result<std::vector<std::optional<std::string>>> StoreSnapshot::GetMany(
    ledger::Table table, std::span<const std::string> keys) const {
  rocksdb::ColumnFamilyHandle* family = store_->TableFamily(table);
  if (family == nullptr) {
    return Status::Internal("GetMany on unknown table " + std::to_string(static_cast<int>(table)));
  }
  return store_->MultiReadRaw(family, keys, snapshot_);
}

Status StoreSnapshot::ScanMany(ledger::Table table, std::span<const std::string> prefixes,
                               const ledger::MultiScanVisitor& visit) const {
  rocksdb::ColumnFamilyHandle* family = store_->TableFamily(table);
  if (family == nullptr) {
    return Status::Internal("ScanMany on unknown table " + std::to_string(static_cast<int>(table)));
  }
  return store_->ScanManyRaw(family, prefixes, visit, snapshot_);
}

}  // namespace jejak::storage
