// PEM files for Ed25519 keys: PKCS#8 private keys, SubjectPublicKeyInfo public keys.
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "node/crypto/ed25519.h"
#include "node/crypto/ed25519_internal.h"
#include "node/crypto/key_file.h"

namespace jejak::crypto {

using internal::BioPtr;
using internal::PkeyPtr;
using internal::TakeOpenSslError;

namespace {

constexpr mode_t kPrivateKeyMode = 0600;
constexpr mode_t kPublicKeyMode = 0644;

// Encrypted keys are not supported; without this callback OpenSSL would prompt on the terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

// Reads what a PEM writer put into a memory BIO.
std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

Status CheckEd25519(const EVP_PKEY* pkey, const std::string& path) {
  if (EVP_PKEY_is_a(pkey, "ED25519")) return Status::Ok();
  const char* type = EVP_PKEY_get0_type_name(pkey);
  return Status::Invalid("key file " + path + " holds a " + (type ? type : "unknown") +
                         " key, not an Ed25519 key");
}

// Parses the PEM text of `path` with `read`; Invalid naming the file when it is not a key.
template <typename ReadFn>
Result<PkeyPtr> ParsePem(const std::string& path, const char* kind, bool secret, ReadFn read) {
  Result<std::string> text = secret ? internal::ReadSecretFile(path, kMaxKeyFileBytes)
                                    : internal::ReadSmallFile(path, kMaxKeyFileBytes);
  if (!text.ok()) return text.status().WithContext("cannot load " + std::string(kind));
  BioPtr bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  if (bio == nullptr) return Status::Internal("out of memory reading " + path);
  PkeyPtr pkey(read(bio.get()));
  OPENSSL_cleanse(text->data(), text->size());
  if (pkey == nullptr) {
    return Status::Invalid("key file " + path + " is not a PEM " + kind + " (" +
                           TakeOpenSslError() + ")");
  }
  JEJAK_RETURN_IF_ERROR(CheckEd25519(pkey.get(), path));
  return pkey;
}

}  // namespace

Result<PrivateKey> PrivateKey::LoadPem(const std::string& path) {
  Result<PkeyPtr> pkey = ParsePem(path, "PKCS#8 private key", /*secret=*/true, [](BIO* bio) {
    return PEM_read_bio_PrivateKey(bio, nullptr, NoPassphrase, nullptr);
  });
  if (!pkey.ok()) return pkey.status();
  return FromImpl(std::make_unique<Impl>(Impl{std::move(pkey).value()}));
}

Status PrivateKey::SavePem(const std::string& path) const {
  if (impl_ == nullptr) return Status::Internal("cannot save a moved-from private key");
  // Secure heap memory when available, so the encoded secret is wiped when the BIO is freed.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (bio == nullptr || PEM_write_bio_PrivateKey(bio.get(), impl_->pkey.get(), nullptr, nullptr, 0,
                                                 nullptr, nullptr) != 1) {
    return Status::Internal("cannot encode the private key as PEM: " + TakeOpenSslError());
  }
  std::string pem = BioContents(bio.get());
  Status status = internal::WriteNewFile(path, pem, kPrivateKeyMode);
  OPENSSL_cleanse(pem.data(), pem.size());
  return status;
}

Status SavePublicKeyPem(std::string_view public_key, const std::string& path) {
  if (public_key.size() != kEd25519PublicKeyBytes) {
    return Status::Invalid("Ed25519 public key must be 32 bytes, got " +
                           std::to_string(public_key.size()));
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key_ex(
      nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char*>(public_key.data()),
      public_key.size()));
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (pkey == nullptr || bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) {
    return Status::Internal("cannot encode the public key as PEM: " + TakeOpenSslError());
  }
  return internal::WriteNewFile(path, BioContents(bio.get()), kPublicKeyMode);
}

Result<std::string> LoadPublicKeyPem(const std::string& path) {
  Result<PkeyPtr> pkey = ParsePem(path, "public key", /*secret=*/false, [](BIO* bio) {
    return PEM_read_bio_PUBKEY(bio, nullptr, NoPassphrase, nullptr);
  });
  if (!pkey.ok()) return pkey.status();
  return internal::RawPublicKey(pkey->get());
}

}  // namespace jejak::crypto
