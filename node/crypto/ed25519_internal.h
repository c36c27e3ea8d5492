// Internal to jejak_crypto: what ed25519.cc, ed25519_pem.cc and ed25519_verify.cc share.
#pragma once

#include <string>
#include <string_view>

#include "node/base/status.h"
#include "node/crypto/ed25519.h"
#include "node/crypto/openssl_util.h"

namespace jejak::crypto {

struct PrivateKey::Impl {
  internal::PkeyPtr pkey;
};

namespace internal {

// The raw 32-byte public key of an Ed25519 EVP_PKEY (public or private).
[[nodiscard]] Result<std::string> RawPublicKey(const EVP_PKEY* pkey);

// Verify() after its size checks: public_key is 32 bytes, signature 64.
bool VerifySized(std::string_view public_key, std::string_view message, std::string_view signature);

}  // namespace internal
}  // namespace jejak::crypto
