// An observer (a node that is not a validator) joining a network that already holds 2,000
// blocks: it syncs every block from the others' ledger services, checks them, and then answers
// queries exactly as the validators do.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/integration/network_fixture.h"

namespace jejak::testing {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kBlocksBeforeJoining = 2000;

class NetworkObserverTest : public NetworkFixture {};

TEST_F(NetworkObserverTest, ObserverJoiningAfter2000BlocksSyncsToTheTipAndAnswersIdentically) {
  NetworkOptions options;
  options.observers = 1;
  options.start = false;
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork(options));
  for (const std::string& node : validators()) ASSERT_NO_FATAL_FAILURE(Start(node));
  {
    // One small submission per client at a time: mostly one event per block, cheap blocks.
    std::vector<std::unique_ptr<LoadGenerator>> load;
    for (const std::string& node : validators())
      load.push_back(std::make_unique<LoadGenerator>(this, std::vector{node}));
    ASSERT_TRUE(WaitForHeight({"validator-1"}, kBlocksBeforeJoining, 120s));
  }
  ASSERT_TRUE(WaitForHeight(validators(), kBlocksBeforeJoining, 30s));
  Result<uint64_t> tip = Height("validator-1");
  ASSERT_TRUE(tip.ok());
  const std::string observer = "observer-1";
  auto joined = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(Start(observer));
  ASSERT_TRUE(WaitForHeight({observer}, *tip, 60s)) << observer << " did not sync:\n"
                                                    << Log(observer);
  auto sync_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - joined);
  std::printf("observer synced %llu blocks in %lld ms\n", static_cast<unsigned long long>(*tip),
              static_cast<long long>(sync_ms.count()));
  ExpectSameBlocks({"validator-1", observer}, *tip);
  // The same answers: a lot's history and a query over everything.
  for (const std::string& lot : {LoadLot(1), LoadLot(1000)}) {
    Result<v1::EventList> expected = Client("validator-2")->LotHistory(lot);
    Result<v1::EventList> got = Client(observer)->LotHistory(lot);
    ASSERT_TRUE(expected.ok() && got.ok()) << lot;
    EXPECT_EQ(got->SerializeAsString(), expected->SerializeAsString()) << lot;
  }
  v1::QueryEventsRequest query;
  query.set_page_size(100);
  Result<v1::QueryEventsResponse> expected = Client("validator-3")->QueryEvents(query);
  Result<v1::QueryEventsResponse> got = Client(observer)->QueryEvents(query);
  ASSERT_TRUE(expected.ok() && got.ok());
  EXPECT_EQ(got->SerializeAsString(), expected->SerializeAsString());
  EXPECT_GE(acknowledged_count(), kBlocksBeforeJoining);
}

}  // namespace
}  // namespace jejak::testing
