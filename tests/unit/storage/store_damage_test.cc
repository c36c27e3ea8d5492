// A damaged database is refused, never silently shortened or replaced (issue 12): a byte flipped
// in RocksDB's write-ahead log, a missing CURRENT file, another genesis. Real RocksDB, real files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "node/storage/store.h"
#include "tests/unit/storage/store_test_util.h"

namespace jejak::storage {
namespace {

namespace fs = std::filesystem;
using namespace testing_util;

constexpr uint64_t kBlocks = 10;

// Commits blocks 1..kBlocks (each synced before CommitBlock returns: "acknowledged") and closes.
// The blocks are small, so they stay in the write-ahead log (no memtable flush).
void CommitBlocks(const std::string& dir, const StoreOptions& options = SmallOptions()) {
  Result<std::unique_ptr<Store>> store = Store::Open(dir, options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (uint64_t h = 1; h <= kBlocks; ++h) {
    ASSERT_TRUE((*store)->CommitBlock(MakeBlock(h, 2), MakeCertificate(h), WritesForHeight(h)).ok());
  }
}

std::vector<fs::path> FilesEndingIn(const std::string& dir, const std::string& suffix) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The newest write-ahead log, which holds the committed blocks.
fs::path NewestLog(const std::string& dir) {
  std::vector<fs::path> logs = FilesEndingIn(dir, ".log");
  EXPECT_FALSE(logs.empty()) << "no write-ahead log in " << dir;
  return logs.empty() ? fs::path() : logs.back();
}

void FlipByte(const fs::path& file, uint64_t offset) {
  std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(stream.good()) << file;
  stream.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  stream.read(&byte, 1);
  byte = static_cast<char>(byte ^ 0x5a);
  stream.seekp(static_cast<std::streamoff>(offset));
  stream.write(&byte, 1);
  ASSERT_TRUE(stream.good());
}

// The offsets of the physical records' headers in a write-ahead log (RocksDB's log format: 32 KiB
// blocks; a 7-byte header of checksum 4, length 2 little-endian, type 1, then the payload).
std::vector<uint64_t> RecordHeaderOffsets(const fs::path& log) {
  std::ifstream in(log, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<uint64_t> offsets;
  size_t offset = 0;
  while (offset + 7 <= bytes.size()) {
    const size_t block_left = 32768 - offset % 32768;
    if (block_left < 7) {
      offset += block_left;
      continue;
    }
    const size_t length = static_cast<uint8_t>(bytes[offset + 4]) | (static_cast<uint8_t>(bytes[offset + 5]) << 8);
    offsets.push_back(offset);
    offset += 7 + length;
  }
  return offsets;
}

void OverwriteBytes(const fs::path& file, uint64_t offset, const std::string& bytes) {
  std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(stream.good()) << file;
  stream.seekp(static_cast<std::streamoff>(offset));
  stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(stream.good());
}

// Adds `more` to the length field of the record whose header is at `offset`.
void LengthenRecord(const fs::path& log, uint64_t offset, size_t more) {
  std::ifstream in(log, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset + 4));
  unsigned char field[2] = {0, 0};
  in.read(reinterpret_cast<char*>(field), 2);
  const size_t length = field[0] | (field[1] << 8);
  const size_t lengthened = length + more;
  OverwriteBytes(log, offset + 4, std::string{static_cast<char>(lengthened & 0xff), static_cast<char>(lengthened >> 8)});
}

void ExpectRefusedNaming(const Result<std::unique_ptr<Store>>& store, const fs::path& log, const std::string& what) {
  ASSERT_FALSE(store.ok()) << "opened at height " << (*store)->head_height()
                           << ": acknowledged blocks were dropped without a word";
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find(log.filename().string()), std::string::npos) << store.status().message();
  EXPECT_NE(store.status().message().find(what), std::string::npos) << store.status().message();
}

TEST(StoreDamageTest, ByteFlippedInTheMiddleOfTheLogIsRefusedNotTruncated) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  ASSERT_GT(fs::file_size(log), 1000u);
  FlipByte(log, fs::file_size(log) / 2);

  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_FALSE(store.ok()) << "opened at height " << (*store)->head_height()
                           << ": acknowledged blocks were dropped without a word";
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find(log.filename().string()), std::string::npos)
      << "the message names the write-ahead log: " << store.status().message();
  EXPECT_NE(store.status().message().find("damaged"), std::string::npos) << store.status().message();
}

TEST(StoreDamageTest, ByteFlippedInTheLastRecordIsRefused) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  FlipByte(log, fs::file_size(log) - 20);  // inside the last batch: block 10, acknowledged

  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_FALSE(store.ok()) << "opened at height " << (*store)->head_height();
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
}

// RocksDB's reader takes a zeroed header for preallocated space and skips the rest of its 32 KiB
// block without a word: the records there (acknowledged blocks) would vanish.
TEST(StoreDamageTest, ZeroedRecordHeaderInTheMiddleOfTheLogIsRefused) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  const std::vector<uint64_t> headers = RecordHeaderOffsets(log);
  ASSERT_GE(headers.size(), kBlocks);
  OverwriteBytes(log, headers[headers.size() / 2], std::string(7, '\0'));

  ExpectRefusedNaming(Store::Open(tmp.db(), SmallOptions()), log, "zeroed record header");
}

// A length field damaged to claim more than the file holds makes the record look like a torn
// tail, which recovery drops with everything after it; its checksum still matches its real length.
TEST(StoreDamageTest, LengthFieldDamagedInTheMiddleOfTheLastLogBlockIsRefused) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  const std::vector<uint64_t> headers = RecordHeaderOffsets(log);
  ASSERT_GE(headers.size(), kBlocks);
  LengthenRecord(log, headers[headers.size() / 2], 8000);

  ExpectRefusedNaming(Store::Open(tmp.db(), SmallOptions()), log, "length field");
}

TEST(StoreDamageTest, LengthFieldOfTheLastRecordDamagedIsRefused) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  LengthenRecord(log, RecordHeaderOffsets(log).back(), 100);  // block 10: acknowledged

  ExpectRefusedNaming(Store::Open(tmp.db(), SmallOptions()), log, "length field");
}

// Zeros after the last record are space the file system gave the log before a crash: nothing in
// them was ever written, let alone acknowledged.
TEST(StoreDamageTest, ZerosAfterTheLastRecordAreNotDamage) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  const uint64_t size = fs::file_size(log);
  fs::resize_file(log, size + 5000);

  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->head_height(), kBlocks);
}

// A crash in the middle of writing a batch leaves a torn tail. That batch was never acknowledged
// (CommitBlock returns after the sync), so dropping it is correct and the store opens.
TEST(StoreDamageTest, TornTailOfTheLogIsDroppedAndTheRestKept) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  fs::resize_file(log, fs::file_size(log) - 30);  // block 10's batch is cut short

  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->head_height(), kBlocks - 1);
  EXPECT_TRUE((*store)->GetBlock(kBlocks - 1).ok());
  // The recovery is said, naming the log, for the node to log loudly.
  ASSERT_EQ((*store)->open_notes().size(), 1u);
  EXPECT_NE((*store)->open_notes()[0].find(log.filename().string() + " in " + tmp.db() + " ends with an incomplete record"),
            std::string::npos)
      << (*store)->open_notes()[0];
}

TEST(StoreDamageTest, IntactLogsGiveNoRecoveryNotes) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->head_height(), kBlocks);
  EXPECT_TRUE((*store)->open_notes().empty()) << (*store)->open_notes()[0];
}

// Repair (jejakd --repair): keep every block before the damage, say what was recovered; the node
// then fetches the rest by block sync. After it, the store opens normally again.
TEST(StoreDamageTest, SalvageKeepsTheBlocksBeforeTheDamageAndSaysSo) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  FlipByte(log, fs::file_size(log) / 2);

  StoreOptions salvage = SmallOptions();
  salvage.salvage_damaged_log = true;
  uint64_t salvaged_head = 0;
  {
    Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), salvage);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    salvaged_head = (*store)->head_height();
    EXPECT_GT(salvaged_head, 0u);
    EXPECT_LT(salvaged_head, kBlocks);
    for (uint64_t h = 1; h <= salvaged_head; ++h) EXPECT_TRUE((*store)->GetBlock(h).ok()) << h;
  }
  Result<std::unique_ptr<Store>> reopened = Store::Open(tmp.db(), SmallOptions());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->head_height(), salvaged_head);
}

TEST(StoreDamageTest, SalvagePastAZeroedHeaderKeepsWhatPrecedesIt) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  const fs::path log = NewestLog(tmp.db());
  const std::vector<uint64_t> headers = RecordHeaderOffsets(log);
  OverwriteBytes(log, headers[headers.size() / 2], std::string(7, '\0'));

  StoreOptions salvage = SmallOptions();
  salvage.salvage_damaged_log = true;
  uint64_t salvaged_head = 0;
  {
    Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), salvage);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    salvaged_head = (*store)->head_height();
    EXPECT_LT(salvaged_head, kBlocks);
    for (uint64_t h = 1; h <= salvaged_head; ++h) EXPECT_TRUE((*store)->GetBlock(h).ok()) << h;
  }
  Result<std::unique_ptr<Store>> reopened = Store::Open(tmp.db(), SmallOptions());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->head_height(), salvaged_head);
}

TEST(StoreDamageTest, DatabaseWithoutCurrentAndLogIsRefusedNotRecreated) {
  TempDir tmp;
  CommitBlocks(tmp.db());
  fs::remove(fs::path(tmp.db()) / "CURRENT");
  for (const fs::path& log : FilesEndingIn(tmp.db(), ".log")) fs::remove(log);
  const size_t files_before = std::distance(fs::directory_iterator(tmp.db()), fs::directory_iterator());

  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_FALSE(store.ok()) << "a new database was created over the old one's files, at height "
                           << (*store)->head_height();
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find("CURRENT"), std::string::npos) << store.status().message();
  // Nothing was deleted or added.
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.db()), fs::directory_iterator()),
            static_cast<std::ptrdiff_t>(files_before));
}

TEST(StoreDamageTest, DirectoryWithOtherFilesIsNotMadeADatabase) {
  TempDir tmp;
  fs::create_directories(tmp.db());
  std::ofstream(tmp.db() + "/notes.txt") << "someone else's file";
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find("notes.txt"), std::string::npos) << store.status().message();
}

TEST(StoreDamageTest, EmptyOrMissingDirectoryIsCreated) {
  TempDir tmp;
  fs::create_directories(tmp.db());
  EXPECT_TRUE(Store::Open(tmp.db(), SmallOptions()).ok());
  EXPECT_TRUE(Store::Open(tmp.path() + "/new/deeper", SmallOptions()).ok());
}

TEST(StoreDamageTest, AnotherGenesisIsRefusedNamingBothHashes) {
  TempDir tmp;
  StoreOptions first = SmallOptions();
  first.genesis_hash = std::string(32, '\x11');
  CommitBlocks(tmp.db(), first);

  StoreOptions other = SmallOptions();
  other.genesis_hash = std::string(32, '\x22');
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), other);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalid) << store.status().ToString();
  EXPECT_NE(store.status().message().find(std::string(64, '1')), std::string::npos) << store.status().message();
  EXPECT_NE(store.status().message().find(std::string(64, '2')), std::string::npos) << store.status().message();
  EXPECT_TRUE(Store::Open(tmp.db(), first).ok());
}

}  // namespace
}  // namespace jejak::storage
