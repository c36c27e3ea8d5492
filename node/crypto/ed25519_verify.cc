#include <openssl/evp.h>

#include "node/crypto/ed25519_internal.h"

namespace jejak::crypto::internal {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<std::string> RawPublicKey(const EVP_PKEY* pkey) {
  std::string out(kEd25519PublicKeyBytes, '\0');
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kEd25519PublicKeyBytes) {
    return Status::Internal("cannot read the Ed25519 public key: " + TakeOpenSslError());
  }
  return out;
}

bool VerifySized(std::string_view public_key, std::string_view message,
                 std::string_view signature) {
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, Bytes(public_key),
                                              public_key.size()));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      pkey != nullptr && ctx != nullptr &&
      EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey.get(),
                              nullptr) == 1 &&
      EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(message),
                       message.size()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace jejak::crypto::internal
