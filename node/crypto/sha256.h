// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface. Digests are 32 raw bytes.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace jejak::crypto {

inline constexpr size_t kSha256Bytes = 32;

// SHA-256 of `data`. Hashing cannot fail on valid memory; if OpenSSL does fail (out of memory)
// the process aborts, because every caller's correctness depends on the digest.
std::string Sha256(std::string_view data);

// SHA-256 of the concatenation of `parts`, without building the concatenation, e.g.
// Sha256Parts({"jejak/event/v1", chain_id, event_bytes}).
std::string Sha256Parts(std::initializer_list<std::string_view> parts);

// Incremental SHA-256. Finish() returns the digest and resets the hasher for reuse.
// Movable, not copyable; a moved-from hasher must not be used.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jejak::crypto
