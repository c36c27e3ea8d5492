// Internal to jejak_crypto: owning pointers for OpenSSL objects and error text.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

namespace jejak::crypto::internal {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// The reason of the oldest error on this thread's OpenSSL error queue, and clears the queue so
// that stale errors never leak into an unrelated later call.
inline std::string TakeOpenSslError() {
  const unsigned long code = ERR_peek_error();
  std::string text = "no detail";
  if (code != 0) {
    const char* reason = ERR_reason_error_string(code);
    text = reason != nullptr ? reason : "error code " + std::to_string(code);
  }
  ERR_clear_error();
  return text;
}

}  // namespace jejak::crypto::internal
