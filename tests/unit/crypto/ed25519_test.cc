#include "node/crypto/ed25519.h"

#include <gtest/gtest.h>

#include <array>
#include <thread>

#include "node/crypto/hex.h"

namespace jejak::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  Result<std::string> bytes = FromHex(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

struct Vector {
  const char* name;
  const char* secret;
  const char* public_key;
  std::string message_hex;
  const char* signature;
};

// RFC 8032 section 7.1 (Ed25519).
const std::string kTest1024Message =
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
    "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
    "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
    "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
    "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
    "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
    "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
    "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
    "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
    "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
    "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
    "c60c905c15fc910840b94c00a0b9d0";

const std::vector<Vector>& Rfc8032Vectors() {
  static const std::vector<Vector> vectors = {
      {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
       "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
       "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
      {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
       "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
       "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
       "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
      {"TEST 1024", "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
       "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e", kTest1024Message,
       "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
       "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
      {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
       "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
       "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
       "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
       "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
  };
  return vectors;
}

std::string FlipBit(std::string s, size_t bit) {
  s[bit / 8] = static_cast<char>(s[bit / 8] ^ (1 << (bit % 8)));
  return s;
}

TEST(Ed25519Test, Rfc8032VectorsDeriveKeySignAndVerify) {
  for (const Vector& v : Rfc8032Vectors()) {
    SCOPED_TRACE(v.name);
    const std::string message = Unhex(v.message_hex);
    Result<PrivateKey> key = PrivateKey::FromSeed(Unhex(v.secret));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(ToHex(key->public_key()), v.public_key);
    const std::string signature = key->Sign(message);
    EXPECT_EQ(ToHex(signature), v.signature);
    EXPECT_TRUE(Verify(Unhex(v.public_key), message, Unhex(v.signature)));
  }
  EXPECT_EQ(Rfc8032Vectors()[3].message_hex.size(), 2 * 1023u);
}

TEST(Ed25519Test, AnyFlippedBitFailsVerification) {
  for (const Vector& v : Rfc8032Vectors()) {
    SCOPED_TRACE(v.name);
    const std::string pub = Unhex(v.public_key);
    const std::string message = Unhex(v.message_hex);
    const std::string sig = Unhex(v.signature);
    // Every bit of the signature and of the key; the message's first, middle and last bits.
    for (size_t bit = 0; bit < sig.size() * 8; ++bit) {
      EXPECT_FALSE(Verify(pub, message, FlipBit(sig, bit))) << "signature bit " << bit;
    }
    for (size_t bit = 0; bit < pub.size() * 8; ++bit) {
      EXPECT_FALSE(Verify(FlipBit(pub, bit), message, sig)) << "key bit " << bit;
    }
    if (!message.empty()) {
      for (size_t bit : {size_t{0}, message.size() * 4, message.size() * 8 - 1}) {
        EXPECT_FALSE(Verify(pub, FlipBit(message, bit), sig)) << "message bit " << bit;
      }
    }
    EXPECT_FALSE(Verify(pub, message + '\0', sig)) << "message with a byte appended";
  }
}

TEST(Ed25519Test, WrongSizesAreRejected) {
  const Vector& v = Rfc8032Vectors()[1];
  const std::string pub = Unhex(v.public_key);
  const std::string message = Unhex(v.message_hex);
  const std::string sig = Unhex(v.signature);
  ASSERT_TRUE(Verify(pub, message, sig));
  EXPECT_FALSE(Verify(pub.substr(0, 31), message, sig));
  EXPECT_FALSE(Verify(pub + '\0', message, sig));
  EXPECT_FALSE(Verify("", message, sig));
  EXPECT_FALSE(Verify(pub, message, sig.substr(0, 63)));
  EXPECT_FALSE(Verify(pub, message, sig + '\0'));
  EXPECT_FALSE(Verify(pub, message, ""));
  for (size_t size : {0, 31, 33, 64}) {
    Result<PrivateKey> key = PrivateKey::FromSeed(std::string(size, '\x07'));
    ASSERT_FALSE(key.ok()) << size;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalid);
    EXPECT_NE(key.status().message().find("32 bytes"), std::string::npos);
  }
}

// S + L is the same scalar mod L; accepting it would make signatures malleable (RFC 8032 5.1.7
// requires S < L).
TEST(Ed25519Test, NonCanonicalScalarIsRejected) {
  static constexpr std::array<uint8_t, 32> kOrderL = {
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
      0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x10};
  const Vector& v = Rfc8032Vectors()[0];
  std::string sig = Unhex(v.signature);
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {  // little-endian S += L
    const unsigned sum = static_cast<uint8_t>(sig[32 + i]) + kOrderL[i] + carry;
    sig[32 + i] = static_cast<char>(sum & 0xff);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);
  EXPECT_FALSE(Verify(Unhex(v.public_key), "", sig));
}

TEST(Ed25519Test, GeneratedKeysSignAndVerify) {
  Result<PrivateKey> a = PrivateKey::Generate();
  Result<PrivateKey> b = PrivateKey::Generate();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->public_key().size(), kEd25519PublicKeyBytes);
  EXPECT_NE(a->public_key(), b->public_key());
  const std::string sig = a->Sign("lot urn:jejak:lot:koperasi:42");
  EXPECT_EQ(sig.size(), kEd25519SignatureBytes);
  EXPECT_TRUE(Verify(a->public_key(), "lot urn:jejak:lot:koperasi:42", sig));
  EXPECT_FALSE(Verify(b->public_key(), "lot urn:jejak:lot:koperasi:42", sig));
}

TEST(Ed25519Test, MovedFromKeySignsNothing) {
  Result<PrivateKey> key = PrivateKey::FromSeed(Unhex(Rfc8032Vectors()[0].secret));
  ASSERT_TRUE(key.ok());
  PrivateKey moved = std::move(key).value();
  EXPECT_EQ(ToHex(moved.public_key()), Rfc8032Vectors()[0].public_key);
  PrivateKey target = std::move(moved);
  EXPECT_TRUE(moved.Sign("x").empty());  // NOLINT(bugprone-use-after-move): by design
  EXPECT_TRUE(moved.public_key().empty());
  EXPECT_EQ(target.Sign("").size(), kEd25519SignatureBytes);
}

// Verify caches decoded keys per thread; a key sharing a cache slot with another (same first
// bytes) must never be mistaken for it, and many keys must all keep working.
TEST(Ed25519Test, VerifyKeyCacheNeverConfusesKeys) {
  const Vector& v = Rfc8032Vectors()[2];
  const std::string pub = Unhex(v.public_key), message = Unhex(v.message_hex);
  const std::string sig = Unhex(v.signature);
  std::string same_slot = pub;
  same_slot[31] = static_cast<char>(same_slot[31] ^ 0x01);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(Verify(pub, message, sig));
    EXPECT_FALSE(Verify(same_slot, message, sig));
  }
  std::vector<PrivateKey> keys;
  for (int k = 0; k < 80; ++k) {  // more keys than cache slots
    keys.push_back(std::move(PrivateKey::FromSeed(std::string(32, static_cast<char>(k)))).value());
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t k = 0; k < keys.size(); ++k) {
      const std::string sig_k = keys[k].Sign("m");
      EXPECT_TRUE(Verify(keys[k].public_key(), "m", sig_k)) << k;
      EXPECT_FALSE(Verify(keys[(k + 1) % keys.size()].public_key(), "m", sig_k)) << k;
    }
  }
}

TEST(Ed25519Test, ConcurrentVerifyAndSign) {
  Result<PrivateKey> key = PrivateKey::FromSeed(Unhex(Rfc8032Vectors()[0].secret));
  ASSERT_TRUE(key.ok());
  std::array<int, 2> good{}, bad{};
  auto work = [&](int t) {
    for (int i = 0; i < 100; ++i) {
      const std::string message = "t" + std::to_string(t) + "-" + std::to_string(i);
      const std::string sig = key->Sign(message);
      good[t] += Verify(key->public_key(), message, sig) ? 1 : 0;
      bad[t] += Verify(key->public_key(), message + "!", sig) ? 1 : 0;
    }
  };
  std::thread t0(work, 0), t1(work, 1);
  t0.join();
  t1.join();
  EXPECT_EQ(good[0] + good[1], 200);
  EXPECT_EQ(bad[0] + bad[1], 0);
}

TEST(Ed25519Test, KeyIdIsHexOfFirst16BytesOfSha256) {
  // Computed independently: hashlib.sha256(bytes.fromhex(pub)).hexdigest()[:32].
  EXPECT_EQ(KeyId(Unhex(Rfc8032Vectors()[0].public_key)), "21fe31dfa154a261626bf854046fd227");
  EXPECT_NE(KeyId(Unhex(Rfc8032Vectors()[1].public_key)),
            KeyId(Unhex(Rfc8032Vectors()[0].public_key)));
}

}  // namespace
}  // namespace jejak::crypto
