#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "node/crypto/ed25519_internal.h"

namespace jejak::crypto::internal {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Verify() gets raw key bytes, but a network has few signing keys and each signs many events.
// Building the EVP_PKEY and a fresh EVP_MD_CTX per call is overhead on the ledger's hot path, so
// each thread keeps a small direct-mapped cache of decoded keys and one reusable context.
// A slot is only used when all 32 key bytes match, so a collision costs a rebuild, never a
// wrong answer.
class VerifierCache {
 public:
  EVP_PKEY* KeyFor(std::string_view public_key) {
    Slot& slot = slots_[SlotIndex(public_key)];
    if (slot.pkey != nullptr &&
        std::memcmp(slot.key.data(), public_key.data(), kEd25519PublicKeyBytes) == 0) {
      return slot.pkey.get();
    }
    slot.pkey.reset(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, Bytes(public_key),
                                                   public_key.size()));
    std::memcpy(slot.key.data(), public_key.data(), kEd25519PublicKeyBytes);
    return slot.pkey.get();
  }
  // Reset, not freed: keeps the allocation for the next call.
  EVP_MD_CTX* Ctx() {
    if (ctx_ == nullptr) {
      ctx_.reset(EVP_MD_CTX_new());
    } else {
      EVP_MD_CTX_reset(ctx_.get());
    }
    return ctx_.get();
  }

 private:
  static constexpr size_t kSlots = 64;
  struct Slot {
    std::array<char, kEd25519PublicKeyBytes> key{};
    PkeyPtr pkey;
  };
  static size_t SlotIndex(std::string_view public_key) {
    // Key bytes are uniformly distributed for honest keys; crafted collisions only cost speed.
    uint32_t mix = 0;
    std::memcpy(&mix, public_key.data(), sizeof(mix));
    return mix % kSlots;
  }

  std::array<Slot, kSlots> slots_;
  MdCtxPtr ctx_;
};

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
  thread_local VerifierCache cache;
  EVP_PKEY* pkey = cache.KeyFor(public_key);
  EVP_MD_CTX* ctx = cache.Ctx();
  const bool ok =
      pkey != nullptr && ctx != nullptr &&
      EVP_DigestVerifyInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, pkey, nullptr) == 1 &&
      EVP_DigestVerify(ctx, Bytes(signature), signature.size(), Bytes(message), message.size()) ==
          1;
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace jejak::crypto::internal
