#include "node/crypto/tls_identity.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <memory>

#include "node/crypto/key_file.h"
#include "node/crypto/sha256.h"

#include <cstdio>

namespace jejak::crypto {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

Status SetSerial(X509* cert) {
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) return Status::Internal("no randomness for a serial");
  serial[0] &= 0x7f;  // positive
  BIGNUM* number = BN_bin2bn(serial, sizeof(serial), nullptr);
  bool ok = number != nullptr && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert)) != nullptr;
  BN_free(number);
  return ok ? Status::Ok() : Status::Internal("cannot set the certificate serial");
}

}  // namespace

Result<TlsIdentity> GenerateTlsIdentity(std::string_view common_name, int valid_days) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  if (!key || !cert) return Status::Internal("OpenSSL cannot create a TLS key");
  X509_set_version(cert.get(), 2);
  JEJAK_RETURN_IF_ERROR(SetSerial(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(valid_days) * 86400);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  std::string cn(common_name);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Status::Internal("OpenSSL cannot sign the TLS certificate");
  }
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Status::Internal("OpenSSL cannot write the TLS identity as PEM");
  }
  return TlsIdentity{BioText(cert_bio.get()), BioText(key_bio.get())};
}

Status SaveTlsIdentity(const TlsIdentity& identity, const std::string& certificate_path,
                       const std::string& private_key_path) {
  JEJAK_RETURN_IF_ERROR(internal::WriteNewFile(private_key_path, identity.private_key_pem, 0600));
  Status certificate = internal::WriteNewFile(certificate_path, identity.certificate_pem, 0644);
  if (!certificate.ok()) std::remove(private_key_path.c_str());
  return certificate;
}

Result<std::string> ReadTlsPrivateKeyFile(const std::string& private_key_path, size_t max_bytes) {
  return internal::ReadSecretFile(private_key_path, max_bytes);
}

Result<std::string> CertificateFingerprint(std::string_view certificate_pem) {
  BioPtr bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())));
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) return Status::Invalid("not a PEM X.509 certificate");
  unsigned char* der = nullptr;
  int length = i2d_X509(cert.get(), &der);
  if (length <= 0) return Status::Internal("cannot encode the certificate");
  std::string fingerprint = Sha256(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(length)));
  OPENSSL_free(der);
  return fingerprint;
}

}  // namespace jejak::crypto
