// The bounded JSON reader: value count and member checks stop the parse at once.
#include "node/epcis/json_bounded.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jejak::epcis {
namespace {

JsonReadLimits Limits(std::size_t max_values) {
  JsonReadLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_depth = 8;
  limits.max_values = max_values;
  return limits;
}

TEST(JsonBoundedTest, CountsEveryValueAgainstTheLimit) {
  // {"a": [1, 2], "b": null}: the object, the array, 1, 2, null = 5 values.
  const std::string text = R"({"a": [1, 2], "b": null})";
  EXPECT_TRUE(ParseJsonBounded(text, Limits(5)).ok());
  Result<nlohmann::ordered_json> refused = ParseJsonBounded(text, Limits(4));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("more than the limit of 4 values"), std::string::npos)
      << refused.status().message();
}

TEST(JsonBoundedTest, AsksAboutEveryMemberWithThePathOfItsObject) {
  JsonReadLimits limits = Limits(100);
  std::vector<std::string> asked;
  limits.check_member = [&](std::string_view path, std::string_view member) {
    asked.push_back(std::string(path) + "|" + std::string(member));
    return member == "junk" ? Status::Invalid("not known") : Status::Ok();
  };
  ASSERT_TRUE(ParseJsonBounded(R"({"a": [{"b": 1}, {"c": {"d": 2}}]})", limits).ok());
  EXPECT_EQ(asked, (std::vector<std::string>{"|a", "a[]|b", "a[]|c", "a[].c|d"}));
  Result<nlohmann::ordered_json> refused =
      ParseJsonBounded(R"({"a": [{"b": 1}, {"junk": [1, 2, 3]}]})", limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "member 'junk' of a[1]: not known");
}

TEST(JsonBoundedTest, DuplicateMembersAreStillRefusedNamingWhere) {
  Result<nlohmann::ordered_json> refused =
      ParseJsonBounded(R"({"a": {"x": 1, "x": 2}})", 1 << 10, 8);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "member 'x' appears twice in one object (a)");
}

}  // namespace
}  // namespace jejak::epcis
