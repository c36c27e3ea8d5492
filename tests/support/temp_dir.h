// A fresh directory under the system's temporary directory ($TMPDIR), removed with everything in
// it when the object goes: the one temporary-directory helper of the tests and benches.
#pragma once

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

namespace jejak::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "jejak-test-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::perror("mkdtemp");
    path_ = made != nullptr ? made : "";
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace jejak::testing
