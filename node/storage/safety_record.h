// The consensus safety record: what this validator last signed (and its locks), which it must
// never contradict. It lives in its own file beside the node key (<dir of node_key>/safety_record),
// apart from the data directory, so that wiping or restoring the data cannot make the validator
// forget what it signed (issue 12: a validator whose data was wiped and resynced double-voted).
//
// File format (version 1):  "jejak-safety-record/v1\n"  32-byte SHA-256 of the payload  payload
// where the payload is a SafetyRecordProto. Written atomically: a temporary file is written and
// fsynced, renamed over the record, and the directory fsynced; Save returns only then, and the
// node sends no vote before it has.
#pragma once

#include <optional>
#include <string>

#include "consensus/types.h"
#include "node/base/status.h"

namespace jejak::storage {

inline constexpr const char* kSafetyRecordFileName = "safety_record";
inline constexpr const char* kSafetyRecordMagic = "jejak-safety-record/v1\n";

// <directory of node_key_path>/safety_record.
std::string SafetyRecordPath(const std::string& node_key_path);

// Durable when it returns OK. IO_ERROR names the file and the failing step.
Status SaveSafetyRecord(const std::string& path, const consensus::SafetyRecord& record);
// nullopt when there is no file. CORRUPTION (naming the file) for a file that fails its checksum,
// has another version or does not parse: never guessed at.
Result<std::optional<consensus::SafetyRecord>> LoadSafetyRecord(const std::string& path);

// Writes the record of a validator that has signed nothing yet: `jejak init` and `jejak testnet`
// do, beside each new node key. A validator of several that finds no record at start sits out
// (see Node), so a home rebuilt around a restored key cannot sign again what it signed before.
Status CreateEmptySafetyRecord(const std::string& node_key_path);

// An exclusive lock on <path>.lock held while the returned descriptor is open (flock): two
// processes with one node key would both sign. FAILED_PRECONDITION when another holds it.
Result<int> LockSafetyRecord(const std::string& path);

}  // namespace jejak::storage
