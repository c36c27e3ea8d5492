#include "node/crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

namespace jejak::crypto {
namespace {

// A failed digest computation would silently corrupt hashes that others rely on; there is no
// sensible way to continue.
[[noreturn]] void DieOnDigestFailure(const char* what) {
  std::fprintf(stderr, "jejak::crypto: SHA-256 %s failed in OpenSSL (out of memory?)\n", what);
  std::abort();
}

// Fetched once: an implicit fetch on every EVP_DigestInit costs a provider lookup.
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    if (fetched == nullptr) DieOnDigestFailure("fetch");
    return fetched;
  }();
  return md;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_MD_CTX, CtxFree>;

CtxPtr NewCtx() {
  CtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) DieOnDigestFailure("context allocation");
  return ctx;
}

void Init(EVP_MD_CTX* ctx) {
  if (EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr) != 1) DieOnDigestFailure("init");
}

void Update(EVP_MD_CTX* ctx, std::string_view data) {
  if (EVP_DigestUpdate(ctx, data.data(), data.size()) != 1) DieOnDigestFailure("update");
}

std::string Final(EVP_MD_CTX* ctx) {
  std::string out(kSha256Bytes, '\0');
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kSha256Bytes) {
    DieOnDigestFailure("final");
  }
  return out;
}

// One context per thread, reused: Merkle trees hash thousands of tiny inputs and a fresh
// context per hash would dominate the cost.
EVP_MD_CTX* ThreadCtx() {
  thread_local CtxPtr ctx = NewCtx();
  return ctx.get();
}

}  // namespace

std::string Sha256(std::string_view data) { return Sha256Parts({data}); }

std::string Sha256Parts(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = ThreadCtx();
  Init(ctx);
  for (std::string_view part : parts) Update(ctx, part);
  return Final(ctx);
}

struct Sha256Hasher::Impl {
  CtxPtr ctx = NewCtx();
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) { Init(impl_->ctx.get()); }
Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

void Sha256Hasher::Update(std::string_view data) { crypto::Update(impl_->ctx.get(), data); }

std::string Sha256Hasher::Finish() {
  std::string digest = Final(impl_->ctx.get());
  Init(impl_->ctx.get());
  return digest;
}

}  // namespace jejak::crypto
