#include "node/crypto/ed25519.h"

#include <openssl/evp.h>

#include "node/crypto/ed25519_internal.h"
#include "node/crypto/hex.h"
#include "node/crypto/openssl_util.h"
#include "node/crypto/sha256.h"

namespace jejak::crypto {

using internal::MdCtxPtr;
using internal::PkeyPtr;
using internal::TakeOpenSslError;

namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl, std::string public_key)
    : impl_(std::move(impl)), public_key_(std::move(public_key)) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

Result<PrivateKey> PrivateKey::FromImpl(std::unique_ptr<Impl> impl) {
  Result<std::string> pub = internal::RawPublicKey(impl->pkey.get());
  if (!pub.ok()) return pub.status();
  return PrivateKey(std::move(impl), std::move(pub).value());
}

Result<PrivateKey> PrivateKey::Generate() {
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (pkey == nullptr) {
    return Status::Internal("cannot generate an Ed25519 key: " + TakeOpenSslError());
  }
  return FromImpl(std::make_unique<Impl>(Impl{std::move(pkey)}));
}

Result<PrivateKey> PrivateKey::FromSeed(std::string_view seed32) {
  if (seed32.size() != kEd25519SeedBytes) {
    return Status::Invalid("Ed25519 seed must be 32 bytes, got " + std::to_string(seed32.size()));
  }
  PkeyPtr pkey(
      EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, Bytes(seed32), seed32.size()));
  if (pkey == nullptr) {
    return Status::Internal("cannot build an Ed25519 key from a seed: " + TakeOpenSslError());
  }
  return FromImpl(std::make_unique<Impl>(Impl{std::move(pkey)}));
}

std::string PrivateKey::Sign(std::string_view message) const {
  if (impl_ == nullptr) return {};
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string sig(kEd25519SignatureBytes, '\0');
  size_t sig_len = sig.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, impl_->pkey.get(),
                            nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                     Bytes(message), message.size()) != 1 ||
      sig_len != kEd25519SignatureBytes) {
    TakeOpenSslError();
    return {};
  }
  return sig;
}

bool Verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  if (public_key.size() != kEd25519PublicKeyBytes || signature.size() != kEd25519SignatureBytes) {
    return false;
  }
  return internal::VerifySized(public_key, message, signature);
}

std::string KeyId(std::string_view public_key) { return ToHex(Sha256(public_key).substr(0, 16)); }

}  // namespace jejak::crypto
