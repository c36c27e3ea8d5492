#include "node/crypto/sha256.h"

#include <gtest/gtest.h>

#include <thread>

#include "node/crypto/hex.h"

namespace jejak::crypto {
namespace {

// FIPS 180-4 / NIST CSRC example values.
constexpr char kEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char k448Bit[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr char k448BitMessage[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr char kMillionA[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(ToHex(Sha256("")), kEmpty);
  EXPECT_EQ(ToHex(Sha256("abc")), kAbc);
  EXPECT_EQ(ToHex(Sha256(k448BitMessage)), k448Bit);
  EXPECT_EQ(Sha256("abc").size(), kSha256Bytes);
}

TEST(Sha256Test, HandlesEmbeddedZeroBytes) {
  EXPECT_NE(Sha256(std::string("a\0b", 3)), Sha256("a"));
}

TEST(Sha256Test, PartsEqualConcatenation) {
  EXPECT_EQ(Sha256Parts({"ab", "", "c"}), Sha256("abc"));
  EXPECT_EQ(Sha256Parts({}), Sha256(""));
  EXPECT_NE(Sha256Parts({"ab", "c"}), Sha256("ab"));
}

TEST(Sha256Test, HasherMatchesOneShotAndResets) {
  Sha256Hasher hasher;
  for (char c : std::string(k448BitMessage)) hasher.Update(std::string_view(&c, 1));
  EXPECT_EQ(ToHex(hasher.Finish()), k448Bit);
  // After Finish the hasher starts over.
  EXPECT_EQ(ToHex(hasher.Finish()), kEmpty);
  hasher.Update("ab");
  hasher.Update("c");
  EXPECT_EQ(ToHex(hasher.Finish()), kAbc);
}

TEST(Sha256Test, HasherMillionA) {
  Sha256Hasher hasher;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) hasher.Update(chunk);
  EXPECT_EQ(ToHex(hasher.Finish()), kMillionA);
}

TEST(Sha256Test, HasherIsMovable) {
  Sha256Hasher a;
  a.Update("ab");
  Sha256Hasher b = std::move(a);
  b.Update("c");
  EXPECT_EQ(ToHex(b.Finish()), kAbc);
}

// The one-shot functions share a per-thread context; threads must not disturb each other.
TEST(Sha256Test, ConcurrentThreadsAgree) {
  std::vector<std::string> results(2);
  auto work = [&results](int t) {
    std::string last;
    for (int i = 0; i < 2000; ++i) last = Sha256Parts({"ab", "c"});
    results[t] = ToHex(last);
  };
  std::thread t0(work, 0), t1(work, 1);
  t0.join();
  t1.join();
  EXPECT_EQ(results[0], kAbc);
  EXPECT_EQ(results[1], kAbc);
}

}  // namespace
}  // namespace jejak::crypto
