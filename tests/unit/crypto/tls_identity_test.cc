#include "node/crypto/tls_identity.h"

#include <gtest/gtest.h>

namespace jejak::crypto {
namespace {

TEST(TlsIdentityTest, GeneratesACertificateWhoseFingerprintIsStable) {
  Result<TlsIdentity> identity = GenerateTlsIdentity("validator-1");
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_NE(identity->certificate_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(identity->private_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  Result<std::string> first = CertificateFingerprint(identity->certificate_pem);
  Result<std::string> second = CertificateFingerprint(identity->certificate_pem);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 32u);
  EXPECT_EQ(*first, *second);
}

TEST(TlsIdentityTest, TwoIdentitiesDiffer) {
  Result<TlsIdentity> a = GenerateTlsIdentity("v");
  Result<TlsIdentity> b = GenerateTlsIdentity("v");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*CertificateFingerprint(a->certificate_pem), *CertificateFingerprint(b->certificate_pem));
}

TEST(TlsIdentityTest, GarbageIsNotACertificate) {
  EXPECT_EQ(CertificateFingerprint("hello").status().code(), StatusCode::kInvalid);
  Result<TlsIdentity> identity = GenerateTlsIdentity("v");
  ASSERT_TRUE(identity.ok());
  std::string broken = identity->certificate_pem;
  broken[broken.size() / 2] ^= 0x01;
  // A changed byte either breaks the encoding or yields another fingerprint; never the pinned one.
  Result<std::string> changed = CertificateFingerprint(broken);
  EXPECT_TRUE(!changed.ok() || *changed != *CertificateFingerprint(identity->certificate_pem));
}

}  // namespace
}  // namespace jejak::crypto
