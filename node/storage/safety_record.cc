#include "node/storage/safety_record.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "jejak/v1/consensus.pb.h"
#include "node/crypto/sha256.h"
#include "node/ledger/consensus_codec.h"

namespace jejak::storage {
namespace {

constexpr size_t kMaxRecordFileBytes = 16u << 20;  // a record holds a few votes and two values

consensus::Value FromProto(const v1::ConsensusValue& value) { return {value.id(), value.bytes()}; }

std::optional<consensus::Vote> FromProto(const v1::VoteProto& vote) {
  if (vote.type() != static_cast<uint32_t>(consensus::VoteType::kPrevote) &&
      vote.type() != static_cast<uint32_t>(consensus::VoteType::kPrecommit)) {
    return std::nullopt;
  }
  return consensus::Vote{static_cast<consensus::VoteType>(vote.type()), vote.height(), vote.round(),
                         vote.value_id(), vote.validator(), vote.signature()};
}

std::string Encode(const consensus::SafetyRecord& record) {
  v1::SafetyRecordProto proto;
  proto.set_height(record.height);
  proto.set_round(record.round);
  proto.set_step(static_cast<uint32_t>(record.step));
  proto.set_value_id(record.value_id);
  proto.set_signature(record.signature);
  proto.set_locked_round(record.locked_round);
  ledger::EncodeValue(record.locked_value, proto.mutable_locked_value());
  proto.set_valid_round(record.valid_round);
  ledger::EncodeValue(record.valid_value, proto.mutable_valid_value());
  if (record.round_prevote) ledger::EncodeVote(*record.round_prevote, proto.mutable_round_prevote());
  for (const consensus::Vote& vote : record.valid_polka) ledger::EncodeVote(vote, proto.add_valid_polka());
  for (const consensus::Vote& vote : record.round_change_precommits) {
    ledger::EncodeVote(vote, proto.add_round_change_precommits());
  }
  return proto.SerializeAsString();
}

Result<consensus::SafetyRecord> Decode(const std::string& bytes, const std::string& where) {
  v1::SafetyRecordProto proto;
  if (!proto.ParseFromString(bytes) || proto.step() > 2) {
    return Status::Corruption(where + ": the consensus safety record does not parse");
  }
  consensus::SafetyRecord record;
  record.height = proto.height();
  record.round = proto.round();
  record.step = static_cast<consensus::RoundStep>(proto.step());
  record.value_id = proto.value_id();
  record.signature = proto.signature();
  record.locked_round = proto.locked_round();
  record.locked_value = FromProto(proto.locked_value());
  record.valid_round = proto.valid_round();
  record.valid_value = FromProto(proto.valid_value());
  const auto corrupt = Status::Corruption(where + ": a vote in the consensus safety record is corrupt");
  if (proto.has_round_prevote()) {
    record.round_prevote = FromProto(proto.round_prevote());
    if (!record.round_prevote) return corrupt;
  }
  for (const v1::VoteProto& stored : proto.valid_polka()) {
    std::optional<consensus::Vote> vote = FromProto(stored);
    if (!vote) return corrupt;
    record.valid_polka.push_back(std::move(*vote));
  }
  for (const v1::VoteProto& stored : proto.round_change_precommits()) {
    std::optional<consensus::Vote> vote = FromProto(stored);
    if (!vote) return corrupt;
    record.round_change_precommits.push_back(std::move(*vote));
  }
  return record;
}

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

Status WriteAllAndSync(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Errno("writing", path);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return Errno("syncing", path);
  return Status::Ok();
}

// The rename is durable only once the directory entry is.
Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("opening the directory", dir);
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return Errno("syncing the directory", dir);
  return Status::Ok();
}

}  // namespace

std::string SafetyRecordPath(const std::string& node_key_path) {
  return (std::filesystem::path(node_key_path).parent_path() / kSafetyRecordFileName).string();
}

Status SaveSafetyRecord(const std::string& path, const consensus::SafetyRecord& record) {
  const std::string payload = Encode(record);
  const std::string bytes = std::string(kSafetyRecordMagic) + crypto::Sha256(payload) + payload;
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("creating", temp);
  Status written = WriteAllAndSync(fd, bytes, temp);
  if (::close(fd) != 0 && written.ok()) written = Errno("closing", temp);
  if (!written.ok()) return written;
  if (::rename(temp.c_str(), path.c_str()) != 0) return Errno("renaming " + temp + " to", path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  return SyncDirectory(dir.empty() ? "." : dir);
}

Result<std::optional<consensus::SafetyRecord>> LoadSafetyRecord(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<consensus::SafetyRecord>();
    return Errno("opening", path);
  }
  std::string bytes;
  char buffer[65536];
  Status read_status;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      read_status = Errno("reading", path);
      break;
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
    if (bytes.size() > kMaxRecordFileBytes) {
      read_status = Status::Corruption(path + ": larger than any consensus safety record");
      break;
    }
  }
  ::close(fd);
  if (!read_status.ok()) return read_status;
  const std::string magic = kSafetyRecordMagic;
  if (bytes.compare(0, magic.size(), magic) != 0) {
    return Status::Corruption(path + ": not a consensus safety record of version 1 (it should begin with '" +
                              magic.substr(0, magic.size() - 1) + "')");
  }
  if (bytes.size() < magic.size() + crypto::kSha256Bytes) {
    return Status::Corruption(path + ": the consensus safety record is cut short");
  }
  const std::string checksum = bytes.substr(magic.size(), crypto::kSha256Bytes);
  const std::string payload = bytes.substr(magic.size() + crypto::kSha256Bytes);
  if (crypto::Sha256(payload) != checksum) {
    return Status::Corruption(path + ": the consensus safety record fails its checksum (damaged)");
  }
  Result<consensus::SafetyRecord> record = Decode(payload, path);
  if (!record.ok()) return record.status();
  return std::optional<consensus::SafetyRecord>(std::move(*record));
}

Status CreateEmptySafetyRecord(const std::string& node_key_path) {
  return SaveSafetyRecord(SafetyRecordPath(node_key_path), consensus::SafetyRecord{});
}

Result<int> LockSafetyRecord(const std::string& path) {
  const std::string lock_path = path + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("opening", lock_path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return Status::Invalid("another process holds " + lock_path +
                                        ": a second jejakd with this node key would sign twice");
    }
    errno = error;
    return Errno("locking", lock_path);
  }
  return fd;
}

}  // namespace jejak::storage
