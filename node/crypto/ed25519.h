// Ed25519 (RFC 8032, pure, no context) keys, signing and verification through OpenSSL 3 EVP.
// Public keys are the raw 32 bytes, signatures the raw 64 bytes; files are PEM (PKCS#8 for
// private keys, SubjectPublicKeyInfo for public keys) so that `openssl pkey` can read them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::crypto {

inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SeedBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;
// Key files larger than this are rejected unread (a PEM Ed25519 key is about 120 bytes).
inline constexpr size_t kMaxKeyFileBytes = 64 * 1024;

// An Ed25519 signing key. Movable, not copyable. Thread-safe for concurrent Sign() calls.
// A moved-from key has an empty public_key() and signs nothing (Sign returns "").
class PrivateKey {
 public:
  // A fresh key from OpenSSL's CSPRNG.
  [[nodiscard]] static Result<PrivateKey> Generate();
  // The RFC 8032 32-byte secret key (seed). Invalid unless exactly 32 bytes.
  [[nodiscard]] static Result<PrivateKey> FromSeed(std::string_view seed32);
  // A PKCS#8 PEM file ("-----BEGIN PRIVATE KEY-----") holding an Ed25519 key.
  // NotFound if the file does not exist, Invalid if it is not such a key or if others may read
  // or write it (mode bits beyond 0700, as ssh refuses: see internal::ReadSecretFile).
  [[nodiscard]] static Result<PrivateKey> LoadPem(const std::string& path);

  // Writes PKCS#8 PEM to a new file with mode 0600, synced. AlreadyExists if `path` exists:
  // a key file is never overwritten.
  [[nodiscard]] Status SavePem(const std::string& path) const;

  // Raw 32 bytes.
  const std::string& public_key() const { return public_key_; }
  // 64-byte signature of `message`. Empty only if OpenSSL fails (out of memory) or the key was
  // moved from; Verify rejects an empty signature, so such a failure cannot pass unnoticed.
  std::string Sign(std::string_view message) const;

  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  ~PrivateKey();

 private:
  struct Impl;
  explicit PrivateKey(std::unique_ptr<Impl> impl, std::string public_key);
  [[nodiscard]] static Result<PrivateKey> FromImpl(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  std::string public_key_;
};

// True when `signature` is a valid Ed25519 signature of `message` by `public_key`. False for
// anything else, including a public key that is not 32 bytes or a signature that is not 64.
// This is the ledger's hot path; see bench/crypto for its cost next to raw OpenSSL.
bool Verify(std::string_view public_key, std::string_view message, std::string_view signature);

// Writes the raw 32-byte key as a SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----") to a
// new file (mode 0644, synced). Invalid if the key is not 32 bytes; AlreadyExists if `path` exists.
[[nodiscard]] Status SavePublicKeyPem(std::string_view public_key, const std::string& path);
// Raw 32 bytes from such a file. NotFound / Invalid as for PrivateKey::LoadPem.
[[nodiscard]] Result<std::string> LoadPublicKeyPem(const std::string& path);

// Short, stable name of a key for genesis files, logs and signed events:
// ToHex of the first 16 bytes of Sha256(public_key), i.e. 32 hex characters.
std::string KeyId(std::string_view public_key);

}  // namespace jejak::crypto
