#include "node/storage/wal_framing.h"

#include <algorithm>
#include <array>
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

uint8_t Byte(std::string_view bytes, size_t at) { return static_cast<uint8_t>(bytes[at]); }

uint32_t Fixed32(std::string_view bytes, size_t at) {
  return Byte(bytes, at) | (Byte(bytes, at + 1) << 8) | (Byte(bytes, at + 2) << 16) |
         (static_cast<uint32_t>(Byte(bytes, at + 3)) << 24);
}

// CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), the checksum of RocksDB's log records,
// kept as the raw register (not inverted) so it can be extended a byte at a time.
class Crc32c {
 public:
  void Add(uint8_t byte) { state_ = Table()[(state_ ^ byte) & 0xff] ^ (state_ >> 8); }
  void Add(std::string_view bytes) {
    for (char c : bytes) Add(static_cast<uint8_t>(c));
  }
  uint32_t value() const { return ~state_; }

 private:
  static const std::array<uint32_t, 256>& Table() {
    static const std::array<uint32_t, 256> table = [] {
      std::array<uint32_t, 256> t{};
      for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        t[i] = c;
      }
      return t;
    }();
    return table;
  }
  uint32_t state_ = ~0u;
};

// RocksDB stores checksums masked (util/crc32c.h), since CRCs of data holding CRCs are weak.
uint32_t Unmask(uint32_t masked) {
  const uint32_t rotated = masked - 0xa282ead8u;
  return (rotated >> 17) | (rotated << 15);
}

// The record at `offset` claims more bytes than the file holds. A torn write looks like that; so
// does a complete record whose length field was damaged, and then its checksum matches a shorter
// payload. The chance that a torn record matches by accident is at most 32 KiB / 2^32.
bool ChecksumMatchesAShorterPayload(std::string_view log, size_t offset, size_t header) {
  const uint32_t expected = Unmask(Fixed32(log, offset));
  Crc32c crc;
  crc.Add(log.substr(offset + 6, header - 6));  // the type, and the log number of recyclable types
  for (size_t at = offset + header;; ++at) {
    if (crc.value() == expected) return true;
    if (at == log.size()) return false;
    crc.Add(Byte(log, at));
  }
}

bool AllZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

std::string At(size_t offset) { return "at byte " + std::to_string(offset); }

}  // namespace

LogFraming ReadLogFraming(std::string_view log) {
  const size_t size = log.size();
  size_t offset = 0;
  size_t record_start = 0;  // where the logical record being read began
  bool in_fragments = false;
  const auto torn_from = [&](size_t end) {
    return LogFraming{.torn_tail_bytes = in_fragments ? end - record_start : 0, .damage = {}};
  };
  while (offset < size) {
    const size_t block_left = kBlockSize - offset % kBlockSize;
    if (block_left < kHeaderSize) {  // zero padding at the end of a block
      offset += block_left;
      continue;
    }
    if (AllZero(log.substr(offset))) return torn_from(offset);  // space never written
    if (size - offset < kHeaderSize) return {.torn_tail_bytes = size - (in_fragments ? record_start : offset), .damage = {}};
    const size_t length = Byte(log, offset + 4) | (Byte(log, offset + 5) << 8);
    const uint8_t type = Byte(log, offset + 6);
    if (type == kZeroType && length == 0) {
      return {.torn_tail_bytes = 0,
              .damage = "a zeroed record header " + At(offset) +
                        " with data after it (RocksDB's recovery would skip the rest of its 32 KiB block)"};
    }
    const size_t header = IsRecyclable(type) ? kRecyclableHeaderSize : kHeaderSize;
    if (header + length > block_left) {
      return {.torn_tail_bytes = 0,
              .damage = "a damaged length field " + At(offset) + ": the record claims " + std::to_string(length) +
                        " bytes, more than its 32 KiB block holds"};
    }
    if (offset + header + length > size) {
      if (ChecksumMatchesAShorterPayload(log, offset, header)) {
        return {.torn_tail_bytes = 0,
                .damage = "a damaged length field " + At(offset) + ": the record claims " + std::to_string(length) +
                          " bytes, more than the file holds, but its checksum matches a shorter record "
                          "(RocksDB's recovery would drop it and everything after it as a torn write)"};
      }
      return {.torn_tail_bytes = size - (in_fragments ? record_start : offset), .damage = {}};
    }
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
  return torn_from(size);
}

LogsFraming ReadLogsFraming(const std::string& dir) {
  std::vector<std::filesystem::path> logs;
  std::error_code error;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".log") logs.push_back(it->path());
  }
  std::sort(logs.begin(), logs.end());
  LogsFraming out;
  for (const std::filesystem::path& path : logs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) continue;  // unreadable: the open reports it
    const LogFraming framing = ReadLogFraming(bytes);
    const std::string name = path.filename().string();
    if (!framing.damage.empty()) out.damage.push_back("its write-ahead log " + name + " has " + framing.damage);
    if (framing.torn_tail_bytes == 0) continue;
    out.torn_tail_notes.push_back(
        "recovery: the write-ahead log " + name + " in " + dir + " ends with an incomplete record (" +
        std::to_string(framing.torn_tail_bytes) +
        " bytes, a write cut short by a crash); it was dropped. It was never acknowledged: every "
        "commit is synced before it is reported");
  }
  return out;
}

}  // namespace jejak::storage::internal
