// jejak::storage: the node's durable state in one RocksDB.
//
// What it offers:
//   Store::Open(dir, options)   create (only in a new or empty directory) or open the database of
//                                one chain; refuses another chain's or genesis's, and a damaged one
//   CommitBlock(block, cert, ws) block + certificate + the ledger's WriteSet + new head height in
//   ONE
//                                synced WriteBatch: after a crash either all of it is there or none
//   head_height(), GetBlock(h), GetCertificate(h)
//   Get / Scan                   ledger::StateReader over the ledger tables (one column family
//   each); GetMany (one MultiGet) and ScanMany (one iterator for many prefixes) for batched reads GetMeta / PutMetaSynced      node metadata and the consensus safety record (synced single
//   write) Snapshot()                   a consistent StateReader at one height, for queries during
//   commits
//
// Column families: "blocks" and "certificates" (key: 8-byte big-endian height), one per
// ledger::Table named by TableName(), and "meta". Meta keys starting with "store/" belong to the
// store itself (chain id, format version, head height) and cannot be written through PutMetaSynced.
//
// Concurrency: every read (Get, Scan, GetBlock, GetMeta, head_height, Snapshot) and PutMetaSynced
// may run on any thread at any time, also during a commit; RocksDB makes them safe. CommitBlock
// calls must be serialised by the caller (the node's single apply loop): the head check and the
// write are not atomic together. A concurrent CommitBlock is detected and refused with INTERNAL.
// The head height advances only after the batch is durable, so a reader that sees head h finds
// block h and its certificate.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jejak/v1/block.pb.h"
#include "node/base/status.h"
#include "node/ledger/chain_reader.h"
#include "node/ledger/state_store.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Snapshot;
}  // namespace rocksdb

namespace jejak::storage {

// Defaults are sized for a cheap laptop (4 GB RAM, one SSD) serving a small cooperative network:
// with the figures below RocksDB itself stays under ~100 MB of RAM.
struct StoreOptions {
  // Required. Stored at first open; opening with another chain id is refused.
  std::string chain_id;
  // SHA-256 of the genesis (ledger::GenesisHash). Stored at first open; opening with another one
  // is refused, naming both. Empty: not recorded nor checked (tests of the store alone).
  std::string genesis_hash;
  // When false, opening a directory without a database fails with NOT_FOUND. Even when true, a
  // database is created only in a new or empty directory, never over files that are there.
  bool create_if_missing = true;
  // Repair (jejakd --repair): open a database whose write-ahead log is damaged by keeping every
  // write before the damage and dropping the rest (RocksDB point-in-time recovery). Without it
  // such a database is refused (CORRUPTION).
  bool salvage_damaged_log = false;
  // One LRU block cache shared by every column family.
  size_t block_cache_bytes = 32u << 20;  // 32 MiB
  // Memtable size of each column family (2 per family at most, see max_write_buffer_number).
  size_t write_buffer_bytes = 8u << 20;  // 8 MiB
  // Cap on all memtables together, whatever the number of column families.
  size_t total_write_buffer_bytes = 48u << 20;  // 48 MiB
  // Table files kept open (each costs a file descriptor and its index in memory).
  int max_open_files = 256;
  // Flush and compaction threads; the laptop has few cores and runs the consensus too.
  int max_background_jobs = 2;
  // CommitBlock refuses a batch above this size (RESOURCE_EXHAUSTED): it would stall every reader.
  size_t max_commit_bytes = 256u << 20;  // 256 MiB
};

class StoreSnapshot;

class Store final : public ledger::ChainReader {
 public:
  // Errors: INVALID (empty chain id; database of another chain or genesis), NOT_FOUND (no database
  // and !create_if_missing), CORRUPTION (missing or unknown column families, unreadable metadata,
  // a damaged write-ahead log, files but no database),
  // UNAVAILABLE (another process, or another Store in this one, holds the database), IO_ERROR.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const StoreOptions& options);
  ~Store() override;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& chain_id() const { return chain_id_; }
  const std::string& dir() const { return dir_; }
  // What Open did beyond opening (a repair, a genesis hash recorded for an older store): the node
  // logs each loudly.
  const std::vector<std::string>& open_notes() const { return open_notes_; }
  // True when this Open created the database (the directory was new or empty).
  bool created() const { return created_; }

  // Persists one committed block. INVALID, with nothing written, when the block's height is not
  // head_height() + 1, its chain id is not this store's, or the certificate is for another height.
  // The caller has already checked the certificate and computed the WriteSet (storage does not
  // interpret either). Returns only when the batch is on disk (fsync).
  Status CommitBlock(const v1::Block& block, const v1::CommitCertificate& certificate,
                     const ledger::WriteSet& writes);

  // Height of the last committed block; 0 (genesis) for a new store.
  uint64_t head_height() const override { return head_height_.load(std::memory_order_acquire); }
  // NOT_FOUND for height 0 or past the head; CORRUPTION when the stored bytes do not parse.
  Result<v1::Block> GetBlock(uint64_t height) const override;
  Result<v1::CommitCertificate> GetCertificate(uint64_t height) const override;

  // ledger::StateReader, reading the latest committed state.
  Result<std::optional<std::string>> Get(ledger::Table table, std::string_view key) const override;
  Status Scan(ledger::Table table, std::string_view prefix,
              const ledger::ScanVisitor& visit) const override;
  // One RocksDB MultiGet; one iterator for all the prefixes.
  Result<std::vector<std::optional<std::string>>> GetMany(
      ledger::Table table, std::span<const std::string> keys) const override;
  Status ScanMany(ledger::Table table, std::span<const std::string> prefixes,
                  const ledger::MultiScanVisitor& visit) const override;

  // Node metadata (e.g. "consensus/safety"). std::nullopt when absent.
  Result<std::optional<std::string>> GetMeta(std::string_view key) const;
  // A single synced write: durable when this returns OK. INVALID for an empty key or a key in the
  // store's own "store/" namespace.
  Status PutMetaSynced(std::string_view key, std::string_view value);

  // A read-only view of the state as of the current head, unaffected by later commits. It must not
  // outlive this Store.
  Result<std::unique_ptr<StoreSnapshot>> Snapshot() const;

 private:
  friend class StoreSnapshot;
  Store(std::string dir, const StoreOptions& options, rocksdb::DB* db,
        std::vector<rocksdb::ColumnFamilyHandle*> handles);

  Status InitMeta();
  Status CheckGenesisHash();
  Result<uint64_t> ReadHeadHeight(const rocksdb::Snapshot* snapshot) const;
  // A block or certificate at or below `head`, read at `snapshot` (nullptr: the latest).
  Result<v1::Block> ReadBlock(uint64_t height, uint64_t head, const rocksdb::Snapshot* snapshot) const;
  Result<v1::CommitCertificate> ReadCertificate(uint64_t height, uint64_t head,
                                                const rocksdb::Snapshot* snapshot) const;
  Status CheckCommit(const v1::Block& block, const v1::CommitCertificate& certificate) const;
  Status WriteCommit(const v1::Block& block, const v1::CommitCertificate& certificate,
                     const ledger::WriteSet& writes);
  rocksdb::ColumnFamilyHandle* TableFamily(ledger::Table table) const;
  Result<std::optional<std::string>> ReadRaw(rocksdb::ColumnFamilyHandle* family,
                                             std::string_view key,
                                             const rocksdb::Snapshot* snapshot) const;
  Status ScanRaw(rocksdb::ColumnFamilyHandle* family, std::string_view prefix,
                 const ledger::ScanVisitor& visit, const rocksdb::Snapshot* snapshot) const;
  Result<std::vector<std::optional<std::string>>> MultiReadRaw(
      rocksdb::ColumnFamilyHandle* family, std::span<const std::string> keys,
      const rocksdb::Snapshot* snapshot) const;
  Status ScanManyRaw(rocksdb::ColumnFamilyHandle* family, std::span<const std::string> prefixes,
                     const ledger::MultiScanVisitor& visit,
                     const rocksdb::Snapshot* snapshot) const;

  std::string dir_;
  std::string chain_id_;
  std::string genesis_hash_;
  std::vector<std::string> open_notes_;
  bool created_ = false;
  size_t max_commit_bytes_;
  rocksdb::DB* db_;                                    // owned; closed in the destructor
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; indexed by the FamilyIndex order
  std::atomic<uint64_t> head_height_{0};
  std::atomic<bool> writing_{false};  // detects writes the caller failed to serialise
};

// A consistent point-in-time view of the chain (RocksDB snapshot): all reads see the same height.
class StoreSnapshot final : public ledger::ChainReader {
 public:
  ~StoreSnapshot() override;
  StoreSnapshot(const StoreSnapshot&) = delete;
  StoreSnapshot& operator=(const StoreSnapshot&) = delete;

  uint64_t head_height() const override { return head_height_; }
  Result<v1::Block> GetBlock(uint64_t height) const override;
  Result<v1::CommitCertificate> GetCertificate(uint64_t height) const override;
  Result<std::optional<std::string>> Get(ledger::Table table, std::string_view key) const override;
  Status Scan(ledger::Table table, std::string_view prefix,
              const ledger::ScanVisitor& visit) const override;
  Result<std::vector<std::optional<std::string>>> GetMany(
      ledger::Table table, std::span<const std::string> keys) const override;
  Status ScanMany(ledger::Table table, std::span<const std::string> prefixes,
                  const ledger::MultiScanVisitor& visit) const override;

 private:
  friend class Store;
  StoreSnapshot(const Store* store, const rocksdb::Snapshot* snapshot, uint64_t head_height)
      : store_(store), snapshot_(snapshot), head_height_(head_height) {}
  const Store* store_;
  const rocksdb::Snapshot* snapshot_;
  uint64_t head_height_;
};

}  // namespace jejak::storage
