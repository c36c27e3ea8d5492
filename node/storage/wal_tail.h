// Internal to node/storage: finds the write-ahead log records that recovery will drop as a torn
// tail, so that the store can say so (issue 12: log loudly whatever recovery is performed).
//
// RocksDB's log format (db/log_format.h): 32 KiB blocks of physical records, each a 7-byte header
// (checksum 4, length 2, type 1; 11 bytes with the log number for recyclable types) and its
// payload; a logical record is one FULL record or FIRST, MIDDLE..., LAST fragments; block tails
// shorter than a header are zero padding. With kTolerateCorruptedTailRecords a log that ends inside
// a record (a crash during the write) loses that record silently: it was never acknowledged,
// because every commit is synced before it is. Checksums are RocksDB's business, not checked here.
#pragma once

#include <string>
#include <vector>

namespace jejak::storage::internal {

// One sentence per write-ahead log in `dir` that ends inside a record ("000012.log ends with an
// incomplete record (123 bytes) ..."); empty when every log ends on a record boundary.
std::vector<std::string> DescribeTornLogTails(const std::string& dir);

// The same for one log's bytes: the size of the incomplete tail, 0 when there is none.
size_t TornTailBytes(const std::string& log_bytes);

}  // namespace jejak::storage::internal
