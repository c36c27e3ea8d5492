#include "node/crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace jejak::crypto::internal {
namespace {

std::string Errno(int err) { return std::strerror(err); }

// RAII so that every early return closes the descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Close reporting errors (a failed close can mean lost data on some file systems).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("cannot write " + path + ": " + Errno(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Best effort: makes the new directory entry durable. Failure to open the directory is not an
// error for the key itself, which is already synced.
void SyncParentDir(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) (void)::fsync(fd.get());
}

Status WriteAndSync(int fd, std::string_view contents, mode_t mode, const std::string& path) {
  if (::fchmod(fd, mode) != 0) {
    return Status::IoError("cannot set mode of " + path + ": " + Errno(errno));
  }
  JEJAK_RETURN_IF_ERROR(WriteAll(fd, contents, path));
  if (::fsync(fd) != 0) return Status::IoError("cannot sync " + path + ": " + Errno(errno));
  return Status::Ok();
}

// Refuses group or other permission bits on a secret file, naming the mode and the remedy.
Status CheckOwnerOnly(const struct stat& st, const std::string& path) {
  const mode_t open_bits = st.st_mode & 077;
  if (open_bits == 0) return Status::Ok();
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return Status::Invalid("private key file " + path + " has mode " + mode + ": " +
                         ((open_bits & 044) != 0 ? "others may read it" : "others may change it") +
                         ", so it is not used. Make it its owner's alone (chmod 600 " + path +
                         "), and replace the key if someone else may have read it");
}

Result<std::string> ReadFile(const std::string& path, size_t max_bytes, bool secret) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::NotFound("file " + path + " does not exist");
    return Status::IoError("cannot open " + path + ": " + Errno(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Status::IoError("cannot stat " + path + ": " + Errno(errno));
  }
  if (!S_ISREG(st.st_mode)) return Status::Invalid(path + " is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return Status::Invalid("file " + path + " is " + std::to_string(st.st_size) +
                           " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  if (secret) JEJAK_RETURN_IF_ERROR(CheckOwnerOnly(st, path));
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::read(fd.get(), data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError("cannot read " + path + ": " + Errno(errno));
    if (n == 0) break;  // the file shrank under us; parse what is there
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return data;
}

}  // namespace

Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) {
  return ReadFile(path, max_bytes, /*secret=*/false);
}

Result<std::string> ReadSecretFile(const std::string& path, size_t max_bytes) {
  return ReadFile(path, max_bytes, /*secret=*/true);
}

Status WriteNewFile(const std::string& path, std::string_view contents, mode_t mode) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      return Status::AlreadyExists("refusing to overwrite existing file " + path);
    }
    return Status::IoError("cannot create " + path + ": " + Errno(errno));
  }
  Status status = WriteAndSync(fd.get(), contents, mode, path);
  if (status.ok() && fd.Close() != 0) {
    status = Status::IoError("cannot close " + path + ": " + Errno(errno));
  }
  if (!status.ok()) {
    ::unlink(path.c_str());  // a half-written key file must not be mistaken for a key
    return status;
  }
  SyncParentDir(path);
  return Status::Ok();
}

}  // namespace jejak::crypto::internal
