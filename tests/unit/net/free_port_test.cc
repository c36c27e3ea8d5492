// Ports for addresses written before anything binds them: never the same one twice in a process.
#include "node/net/free_port.h"

#include <gtest/gtest.h>

#include <set>

namespace jejak::net {
namespace {

TEST(FreeLoopbackPort, NeverHandsOutThePortItGaveBefore) {
  std::set<int> seen;
  for (int i = 0; i < 500; ++i) {
    Result<int> port = FreeLoopbackPort();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    EXPECT_GT(*port, 0);
    EXPECT_TRUE(seen.insert(*port).second) << "port " << *port << " handed out twice";
  }
}

}  // namespace
}  // namespace jejak::net
