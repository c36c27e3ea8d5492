#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "node/crypto/ed25519.h"
#include "node/crypto/hex.h"

namespace jejak::crypto {
namespace {

constexpr char kSeed1[] = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr char kPublic1[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
// The same key as PKCS#8 and SubjectPublicKeyInfo, base64 computed independently with Python
// (DER prefixes 302e020100300506032b657004220420 and 302a300506032b6570032100).
constexpr char kPkcs8Pem1[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kSpkiPem1[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
    "-----END PUBLIC KEY-----\n";

class Ed25519PemTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = testing::TempDir() + "/crypto_pem_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  void Write(const std::string& name, const std::string& contents) const {
    std::ofstream(Path(name), std::ios::binary) << contents;
    // A private key file must be its owner's alone (see KeyFilesOthersMayReadAreRefused).
    std::filesystem::permissions(Path(name), std::filesystem::perms::owner_read |
                                                 std::filesystem::perms::owner_write);
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(Path(name), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static PrivateKey Key1() {
    Result<PrivateKey> key = PrivateKey::FromSeed(*FromHex(kSeed1));
    EXPECT_TRUE(key.ok());
    return std::move(key).value();
  }

  std::string dir_;
};

TEST_F(Ed25519PemTest, PrivateKeyRoundTripsWithMode0600) {
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(key->SavePem(Path("node.key")).ok());

  struct stat st {};
  ASSERT_EQ(stat(Path("node.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  Result<PrivateKey> loaded = PrivateKey::LoadPem(Path("node.key"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->public_key(), key->public_key());
  // Ed25519 signing is deterministic, so the same key gives the same signature.
  EXPECT_EQ(loaded->Sign("harvest"), key->Sign("harvest"));
}

TEST_F(Ed25519PemTest, ModeIs0600EvenWithPermissiveUmask) {
  const mode_t old = umask(0);
  Status saved = Key1().SavePem(Path("node.key"));
  umask(old);
  ASSERT_TRUE(saved.ok()) << saved.ToString();
  struct stat st {};
  ASSERT_EQ(stat(Path("node.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(Ed25519PemTest, WritesStandardPkcs8AndSpki) {
  ASSERT_TRUE(Key1().SavePem(Path("node.key")).ok());
  EXPECT_EQ(Read("node.key"), kPkcs8Pem1);
  ASSERT_TRUE(SavePublicKeyPem(*FromHex(kPublic1), Path("node.pub")).ok());
  EXPECT_EQ(Read("node.pub"), kSpkiPem1);
}

TEST_F(Ed25519PemTest, ReadsStandardPkcs8AndSpki) {
  Write("given.key", kPkcs8Pem1);
  Write("given.pub", kSpkiPem1);
  Result<PrivateKey> key = PrivateKey::LoadPem(Path("given.key"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(ToHex(key->public_key()), kPublic1);
  Result<std::string> pub = LoadPublicKeyPem(Path("given.pub"));
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(ToHex(*pub), kPublic1);
}

TEST_F(Ed25519PemTest, RefusesToOverwrite) {
  Write("node.key", "precious");
  Status status = Key1().SavePem(Path("node.key"));
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
  EXPECT_NE(status.message().find("refusing to overwrite"), std::string::npos);
  EXPECT_EQ(Read("node.key"), "precious");

  Write("node.pub", "precious");
  status = SavePublicKeyPem(*FromHex(kPublic1), Path("node.pub"));
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
  EXPECT_EQ(Read("node.pub"), "precious");
}

TEST_F(Ed25519PemTest, RefusesToWriteThroughASymlink) {
  ASSERT_EQ(symlink(Path("elsewhere").c_str(), Path("link.key").c_str()), 0);
  EXPECT_FALSE(Key1().SavePem(Path("link.key")).ok());
  EXPECT_FALSE(std::filesystem::exists(Path("elsewhere")));
}

TEST_F(Ed25519PemTest, MissingDirectoryIsAnIoError) {
  Status status = Key1().SavePem(Path("no/such/dir/node.key"));
  EXPECT_EQ(status.code(), StatusCode::kIoError) << status.ToString();
}

TEST_F(Ed25519PemTest, MissingFileIsNotFound) {
  Result<PrivateKey> key = PrivateKey::LoadPem(Path("absent.key"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kNotFound);
  EXPECT_NE(key.status().message().find("absent.key"), std::string::npos);
  EXPECT_EQ(LoadPublicKeyPem(Path("absent.pub")).status().code(), StatusCode::kNotFound);
}

TEST_F(Ed25519PemTest, CorruptPemGivesAClearError) {
  std::string corrupt = kPkcs8Pem1;
  corrupt[40] = corrupt[40] == 'A' ? 'B' : 'A';  // one base64 digit of the key material
  const std::string truncated = std::string(kPkcs8Pem1).substr(0, 50);
  for (const std::string& text : {std::string("not a key at all\n"), std::string(), corrupt,
                                  truncated, std::string(kSpkiPem1)}) {
    Write("bad.key", text);
    Result<PrivateKey> key = PrivateKey::LoadPem(Path("bad.key"));
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalid) << key.status().ToString();
    EXPECT_NE(key.status().message().find("bad.key"), std::string::npos);
    EXPECT_NE(key.status().message().find("PKCS#8"), std::string::npos);
  }
  Write("bad.pub", kPkcs8Pem1);  // a private key where a public one is expected
  Result<std::string> pub = LoadPublicKeyPem(Path("bad.pub"));
  EXPECT_EQ(pub.status().code(), StatusCode::kInvalid) << pub.status().ToString();
}

TEST_F(Ed25519PemTest, OtherKeyTypesAreRejected) {
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  FILE* f = fopen(Path("ec.key").c_str(), "w");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(PEM_write_PrivateKey(f, ec, nullptr, nullptr, 0, nullptr, nullptr), 1);
  fclose(f);
  f = fopen(Path("ec.pub").c_str(), "w");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(PEM_write_PUBKEY(f, ec), 1);
  fclose(f);
  EVP_PKEY_free(ec);
  ASSERT_EQ(::chmod(Path("ec.key").c_str(), 0600), 0);

  Result<PrivateKey> key = PrivateKey::LoadPem(Path("ec.key"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalid);
  EXPECT_NE(key.status().message().find("not an Ed25519 key"), std::string::npos)
      << key.status().message();
  Result<std::string> pub = LoadPublicKeyPem(Path("ec.pub"));
  ASSERT_FALSE(pub.ok());
  EXPECT_NE(pub.status().message().find("not an Ed25519 key"), std::string::npos);
}

// Encrypted keys are unsupported; loading one must fail at once, never prompt for a passphrase.
TEST_F(Ed25519PemTest, EncryptedKeyIsRejectedWithoutPrompting) {
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key_ex(
      nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char*>(FromHex(kSeed1)->data()),
      32);
  ASSERT_NE(pkey, nullptr);
  FILE* f = fopen(Path("enc.key").c_str(), "w");
  ASSERT_NE(f, nullptr);
  char pass[] = "secret";
  EXPECT_EQ(PEM_write_PKCS8PrivateKey(f, pkey, EVP_aes_256_cbc(), pass, 6, nullptr, nullptr), 1);
  fclose(f);
  EVP_PKEY_free(pkey);
  ASSERT_NE(Read("enc.key").find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  ASSERT_EQ(::chmod(Path("enc.key").c_str(), 0600), 0);  // refused for its encryption, not its mode

  Result<PrivateKey> loaded = PrivateKey::LoadPem(Path("enc.key"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kInvalid) << loaded.status().ToString();
}

TEST_F(Ed25519PemTest, OversizedOrNonRegularFilesAreRejected) {
  Write("big.key", std::string(kPkcs8Pem1) + std::string(kMaxKeyFileBytes, '\n'));
  Result<PrivateKey> key = PrivateKey::LoadPem(Path("big.key"));
  EXPECT_EQ(key.status().code(), StatusCode::kInvalid);
  EXPECT_NE(key.status().message().find("limit"), std::string::npos);
  key = PrivateKey::LoadPem(dir_);
  EXPECT_EQ(key.status().code(), StatusCode::kInvalid) << key.status().ToString();
}

// Issue 12: agent key files readable by others were used without a word. As ssh does, such a
// key is refused, naming the file, its mode and the remedy.
TEST_F(Ed25519PemTest, KeyFilesOthersMayReadOrWriteAreRefused) {
  Write("open.key", kPkcs8Pem1);
  for (auto [mode, words] : {std::pair{0644, "has mode 0644: others may read it"},
                             std::pair{0640, "has mode 0640: others may read it"},
                             std::pair{0620, "has mode 0620: others may change it"}}) {
    ASSERT_EQ(::chmod(Path("open.key").c_str(), static_cast<mode_t>(mode)), 0);
    Result<PrivateKey> key = PrivateKey::LoadPem(Path("open.key"));
    ASSERT_FALSE(key.ok()) << std::oct << mode;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalid);
    EXPECT_NE(key.status().message().find(words), std::string::npos) << key.status().message();
    EXPECT_NE(key.status().message().find("chmod 600 " + Path("open.key")), std::string::npos);
  }
  ASSERT_EQ(::chmod(Path("open.key").c_str(), 0400), 0);
  EXPECT_TRUE(PrivateKey::LoadPem(Path("open.key")).ok());
  // A public key is public: its mode does not matter.
  Write("open.pub", kSpkiPem1);
  ASSERT_EQ(::chmod(Path("open.pub").c_str(), 0644), 0);
  EXPECT_TRUE(LoadPublicKeyPem(Path("open.pub")).ok());
}

TEST_F(Ed25519PemTest, PublicKeyRoundTripsWithWrongSizeRejected) {
  Result<PrivateKey> key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(SavePublicKeyPem(key->public_key(), Path("a.pub")).ok());
  Result<std::string> pub = LoadPublicKeyPem(Path("a.pub"));
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(*pub, key->public_key());

  Status status = SavePublicKeyPem(std::string(31, 'x'), Path("short.pub"));
  EXPECT_EQ(status.code(), StatusCode::kInvalid);
  EXPECT_FALSE(std::filesystem::exists(Path("short.pub")));
}

}  // namespace
}  // namespace jejak::crypto
