// Internal to jejak_crypto: small, careful file I/O for key files.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::crypto::internal {

// Whole contents of a regular file of at most `max_bytes`. NotFound if it does not exist,
// Invalid if it is not a regular file or is too large, IoError if reading fails.
[[nodiscard]] Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes);

// As ReadSmallFile, for a file holding a secret (a private key). Also Invalid if its mode lets
// anyone but its owner read or write it, as ssh refuses such private keys: whoever could read it
// may hold the key, so it must not sign for an organisation or a validator unnoticed.
[[nodiscard]] Result<std::string> ReadSecretFile(const std::string& path, size_t max_bytes);

// Creates `path` (never following a symlink, never replacing anything: AlreadyExists if it exists)
// with exactly `mode` regardless of the umask, writes `contents` and syncs the file and its
// directory. On failure nothing is left behind.
[[nodiscard]] Status WriteNewFile(const std::string& path, std::string_view contents, mode_t mode);

}  // namespace jejak::crypto::internal
