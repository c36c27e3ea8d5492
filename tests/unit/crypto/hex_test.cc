#include "node/crypto/hex.h"

#include <gtest/gtest.h>

namespace jejak::crypto {
namespace {

TEST(HexTest, EncodesLowercase) {
  EXPECT_EQ(ToHex(""), "");
  EXPECT_EQ(ToHex(std::string("\x00\x01\x7f\x80\xab\xff", 6)), "00017f80abff");
}

TEST(HexTest, RoundTripsEveryByte) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  Result<std::string> back = FromHex(ToHex(all));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, all);
}

TEST(HexTest, AcceptsUppercase) {
  Result<std::string> bytes = FromHex("ABcdEF");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "\xab\xcd\xef");
}

TEST(HexTest, RejectsOddLength) {
  Result<std::string> bytes = FromHex("abc");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kInvalid);
  EXPECT_NE(bytes.status().message().find("odd length"), std::string::npos);
}

TEST(HexTest, RejectsBadDigitAndNamesItsPosition) {
  for (const char* bad : {"0g", "g0", "00 1", "0x00", "zz", "-1"}) {
    Result<std::string> bytes = FromHex(bad);
    ASSERT_FALSE(bytes.ok()) << bad;
    EXPECT_EQ(bytes.status().code(), StatusCode::kInvalid) << bad;
  }
  Result<std::string> bytes = FromHex("00a/");
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.status().message().find("position 3"), std::string::npos)
      << bytes.status().message();
}

}  // namespace
}  // namespace jejak::crypto
