#include "cli/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace jejak::cli {
namespace {

std::string Reason(int error_number) { return std::strerror(error_number); }

// Writes all of `bytes` to `fd`; false with errno set on failure.
bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Status WriteOutputFile(const std::string& path, std::string_view bytes, bool overwrite) {
  namespace fs = std::filesystem;
  if (path.empty()) return Status::Invalid("--out names no file");
  std::error_code error;
  if (fs::is_directory(path, error)) {
    return Status::Invalid("cannot write " + path + ": it is a directory");
  }
  if (!overwrite && fs::exists(path, error)) {
    return Status::AlreadyExists(path + " already exists: choose another --out or add --force");
  }
  // Beside the target, so the final rename stays on one file system.
  std::string temp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Invalid("cannot write " + path + ": " + Reason(errno));
  bool written = WriteAll(fd, bytes);
  int write_errno = errno;
  if (::close(fd) != 0 && written) {
    written = false;
    write_errno = errno;
  }
  if (!written) {
    ::unlink(temp.c_str());
    return Status::IoError("writing " + path + " failed: " + Reason(write_errno));
  }
  // link() refuses an existing target atomically; rename() replaces it (--force).
  int moved = overwrite ? ::rename(temp.c_str(), path.c_str()) : ::link(temp.c_str(), path.c_str());
  int move_errno = errno;
  if (!overwrite || moved != 0) ::unlink(temp.c_str());
  if (moved != 0) {
    if (move_errno == EEXIST) {
      return Status::AlreadyExists(path + " already exists: choose another --out or add --force");
    }
    return Status::Invalid("cannot write " + path + ": " + Reason(move_errno));
  }
  return Status::Ok();
}

}  // namespace jejak::cli
