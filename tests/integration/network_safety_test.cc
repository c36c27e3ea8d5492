// The consensus safety record beside the node key, with real jejakd processes (issue 12: a
// validator double-voted after its data directory was wiped and resynced): a wiped data directory
// leaves the record in place, and a validator whose record is gone sits out until the chain has
// passed what it may have signed, then takes part again.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/integration/network_fixture.h"

namespace jejak::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class NetworkSafetyTest : public NetworkFixture {
 protected:
  uint64_t Commit(const std::string& node) {
    Result<v1::SubmitEventsResponse> response = Submit(node, {NextCommission()}, 30s);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() && response->results_size() > 0 ? response->results(0).height() : 0;
  }
};

TEST_F(NetworkSafetyTest, WipedDataKeepsTheRecordAndALostRecordSitsOutThenVotesAgain) {
  SetUpNetwork(NetworkOptions{});
  const std::string v1 = validators()[0];
  const std::string v4 = validators()[3];
  const uint64_t first = Commit(v1);
  ASSERT_GE(first, 1u);
  ASSERT_TRUE(WaitForHeight({v4}, first));

  // Data wiped: the record beside the key stays, and with it what v4 signed.
  Stop(v4);
  const std::string record = Home(v4) + "/safety_record";
  ASSERT_TRUE(fs::exists(record)) << "no safety record beside the node key";
  fs::remove_all(Home(v4) + "/data");
  Start(v4);
  EXPECT_FALSE(LogHas(v4, "there is no safety record"));
  ASSERT_TRUE(WaitForHeight({v4}, first));

  // Record lost, data kept: v4 may have signed before, so it sits out.
  Stop(v4);
  ASSERT_TRUE(fs::remove(record));
  Start(v4);
  EXPECT_TRUE(LogHas(v4, "there is no safety record at " + record)) << Log(v4);
  uint64_t height = first;
  for (int i = 0; i < 20 && !LogHas(v4, "this validator votes again"); ++i) {
    height = Commit(validators()[1]);
    ASSERT_TRUE(WaitForHeight({v4}, height));
    WaitFor([&] { return LogHas(v4, "this validator votes again"); }, 1s);
  }
  ASSERT_TRUE(LogHas(v4, "this validator votes again")) << Log(v4);
  // It takes part again: with v1 down, v4's votes are needed for a quorum.
  Stop(v1);
  const uint64_t after = Commit(v4);
  EXPECT_GT(after, height);
  EXPECT_TRUE(fs::exists(record)) << "voting wrote the record again";
  Start(v1);
  ASSERT_TRUE(WaitForHeight(validators(), after));
  ExpectSameBlocks(validators(), after);
  for (const std::string& node : validators()) EXPECT_FALSE(LogHas(node, "equivocation")) << Log(node);
}

}  // namespace
}  // namespace jejak::testing
