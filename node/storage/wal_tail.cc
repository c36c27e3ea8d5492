#include "node/storage/wal_tail.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace jejak::storage::internal {
namespace {

constexpr size_t kBlockSize = 32768;
constexpr size_t kHeaderSize = 7;
constexpr size_t kRecyclableHeaderSize = 11;
enum RecordType : uint8_t {
  kZeroType = 0,
  kFullType = 1,
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
  kRecyclableFullType = 5,
  kRecyclableFirstType = 6,
  kRecyclableMiddleType = 7,
  kRecyclableLastType = 8,
};

bool IsRecyclable(uint8_t type) { return type >= kRecyclableFullType && type <= kRecyclableLastType; }

}  // namespace

size_t TornTailBytes(const std::string& log) {
  const size_t size = log.size();
  size_t offset = 0;
  size_t record_start = 0;  // where the logical record being read began
  bool in_fragments = false;
  while (offset < size) {
    const size_t block_left = kBlockSize - offset % kBlockSize;
    if (block_left < kHeaderSize) {  // zero padding at the end of a block
      offset += block_left;
      continue;
    }
    if (size - offset < kHeaderSize) return size - (in_fragments ? record_start : offset);
    const auto length = static_cast<size_t>(static_cast<uint8_t>(log[offset + 4]) |
                                            (static_cast<uint8_t>(log[offset + 5]) << 8));
    const auto type = static_cast<uint8_t>(log[offset + 6]);
    if (type == kZeroType && length == 0) {  // preallocated space: the reader skips the block
      offset += block_left;
      continue;
    }
    const size_t header = IsRecyclable(type) ? kRecyclableHeaderSize : kHeaderSize;
    if (offset + header + length > size) return size - (in_fragments ? record_start : offset);
    switch (type) {
      case kFullType:
      case kRecyclableFullType:
      case kLastType:
      case kRecyclableLastType:
        in_fragments = false;
        break;
      case kFirstType:
      case kRecyclableFirstType:
        in_fragments = true;
        record_start = offset;
        break;
      default:  // middle fragments and RocksDB's own metadata records
        break;
    }
    offset += header + length;
  }
  return in_fragments ? size - record_start : 0;
}

std::vector<std::string> DescribeTornLogTails(const std::string& dir) {
  std::vector<std::filesystem::path> logs;
  std::error_code error;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".log") logs.push_back(it->path());
  }
  std::sort(logs.begin(), logs.end());
  std::vector<std::string> notes;
  for (const std::filesystem::path& path : logs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) continue;  // unreadable: the open reports it
    const size_t torn = TornTailBytes(bytes);
    if (torn == 0) continue;
    notes.push_back("recovery: the write-ahead log " + path.filename().string() + " in " + dir +
                    " ends with an incomplete record (" + std::to_string(torn) +
                    " bytes, a write cut short by a crash); it was dropped. It was never acknowledged: every "
                    "commit is synced before it is reported");
  }
  return notes;
}

}  // namespace jejak::storage::internal
