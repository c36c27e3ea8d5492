// JEJAK_ASSERT holds in every build type: this file is compiled with NDEBUG, as release code is.
#ifndef NDEBUG
#define NDEBUG
#endif
#include "node/base/assert.h"

#include <gtest/gtest.h>

#include <string>

#include "node/base/status.h"

namespace jejak {
namespace {

int Evaluated(int* count) { return ++*count; }

TEST(AssertDeathTest, ABrokenInvariantStopsTheProcessNamingConditionMessageAndPlace) {
  EXPECT_DEATH(JEJAK_ASSERT(1 + 1 == 3, "arithmetic holds"),
               "jejak: invariant broken at .*assert_test.cc:[0-9]+: 1 \\+ 1 == 3: arithmetic holds");
}

TEST(AssertDeathTest, AValueTakenFromAFailedResultStopsTheProcessNamingItsStatus) {
  Result<int> failed = Status::NotFound("no lot urn:jejak:lot:x:1");
  EXPECT_DEATH((void)failed.value(), "invariant broken at .*: ok\\(\\): no lot urn:jejak:lot:x:1");
}

TEST(AssertTest, AHoldingInvariantCostsOnlyItsConditionNotItsMessage) {
  int messages = 0;
  JEJAK_ASSERT(true, std::to_string(Evaluated(&messages)));
  EXPECT_EQ(messages, 0);
}

}  // namespace
}  // namespace jejak
