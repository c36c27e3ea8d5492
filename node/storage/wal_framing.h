// Internal to node/storage: reads the record framing of RocksDB's write-ahead logs before the
// database is opened, for what recovery would otherwise do without a word (issue 12):
// - drop a torn tail: fine (never acknowledged: every commit is synced before it is), but said;
// - skip records behind damage that does not fail a checksum: refused.
//
// RocksDB's log format (db/log_format.h): 32 KiB blocks of physical records, each a 7-byte header
// (masked CRC32C 4, length 2 little-endian, type 1; 11 bytes with the log number for recyclable
// types) and its payload; a record never crosses a block; a logical record is one FULL record or
// FIRST, MIDDLE..., LAST fragments; block tails shorter than a header are zero padding.
// RocksDB's reader takes a header of zeros for preallocated space and skips the rest of its block,
// and takes a record that runs past the end of the file for a torn write: a zeroed header or a
// damaged length field in the middle of the log would lose committed blocks silently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jejak::storage::internal {

struct LogFraming {
  size_t torn_tail_bytes = 0;  // an incomplete last record: a write cut short by a crash
  std::string damage;          // framing no writer produces, what and where; empty when none
};

// One log's bytes. Zeros after the last record (space the file system gave the file before a
// crash) are neither torn nor damaged.
LogFraming ReadLogFraming(std::string_view log_bytes);

struct LogsFraming {
  std::vector<std::string> torn_tail_notes;  // one sentence per log that ends in a torn record
  std::vector<std::string> damage;           // one sentence per damaged log, naming it
};

// Every write-ahead log (*.log) in `dir`, in name order.
LogsFraming ReadLogsFraming(const std::string& dir);

}  // namespace jejak::storage::internal
