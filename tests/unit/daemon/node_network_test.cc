// Four validators (and an observer) in one process, connected in memory: events submitted to
// different nodes commit everywhere with identical blocks; an idle network goes quiet and still
// commits the next event; a node that was down syncs; an observer follows; a lying block source
// is refused.
#include <future>

#include "tests/unit/daemon/network_harness.h"
#include "node/ledger/block.h"

namespace jejak::daemon {
namespace {

using testing::Eventually;
using testing::Network;
using ledger::testing::kGayo;
using ledger::testing::Sign;

using testing::kSubmitTimeout;

class NodeNetworkTest : public ::testing::Test {
 protected:
  Result<std::vector<SubmitOutcome>> Submit(const std::string& node, const std::string& lot) {
    v1::SignedEvent event;
    {
      std::lock_guard lock(events_mutex_);
      event = Sign(kGayo, events_.Commission(lot, 10));
    }
    return net_.Get(node)->Submit({event}, Clock::now() + kSubmitTimeout);
  }
  // Every running node in `ids` at height >= `height`, with the same block hashes up to it.
  void ExpectSameChain(const std::vector<std::string>& ids, uint64_t height) {
    for (const std::string& id : ids) {
      ASSERT_TRUE(Eventually([&] { return net_.Get(id)->store().head_height() >= height; }))
          << id << " is at " << net_.Get(id)->store().head_height() << ", expected " << height;
    }
    for (uint64_t h = 1; h <= height; ++h) {
      const std::string expected = ledger::BlockHash(net_.Get(ids[0])->store().GetBlock(h)->header());
      for (const std::string& id : ids) {
        Result<v1::Block> block = net_.Get(id)->store().GetBlock(h);
        ASSERT_TRUE(block.ok()) << id << " block " << h;
        EXPECT_EQ(ledger::BlockHash(block->header()), expected) << id << " differs at height " << h;
        Result<v1::CommitCertificate> certificate = net_.Get(id)->store().GetCertificate(h);
        ASSERT_TRUE(certificate.ok());
        EXPECT_EQ(certificate->block_hash(), expected);
        EXPECT_GE(certificate->signatures_size(), 3);  // 2f+1 of 4
      }
    }
  }
  static std::vector<std::string> AllValidators() {
    std::vector<std::string> ids;
    for (int i = 0; i < Network::kValidators; ++i) ids.push_back(Network::Id(i));
    return ids;
  }

  using Clock = std::chrono::steady_clock;
  Network net_;
  std::mutex events_mutex_;
  ledger::testing::Events events_;
};

TEST_F(NodeNetworkTest, EventsSubmittedToDifferentNodesCommitEverywhereIdentically) {
  net_.UpValidators();
  std::vector<std::future<Result<std::vector<SubmitOutcome>>>> submitted;
  for (int i = 0; i < 8; ++i) {
    submitted.push_back(std::async(std::launch::async, [this, i] {
      return Submit(Network::Id(i % Network::kValidators), "urn:jejak:lot:koperasi-gayo:n-" + std::to_string(i));
    }));
  }
  uint64_t top = 0;
  for (auto& outcome : submitted) {
    Result<std::vector<SubmitOutcome>> result = outcome.get();
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    top = std::max(top, (*result)[0].height);
  }
  ASSERT_GE(top, 1u);
  ExpectSameChain(AllValidators(), top);
}

TEST_F(NodeNetworkTest, IdleNetworkGoesQuietAndTheNextEventCommits) {
  net_.UpValidators();
  ASSERT_TRUE(Submit("v2", "urn:jejak:lot:koperasi-gayo:q-1").ok());
  // After a few rounds of nothing, every validator's consensus clock stands still.
  ASSERT_TRUE(Eventually([&] {
    for (const std::string& id : AllValidators()) {
      if (!net_.Get(id)->quiet()) return false;
    }
    return true;
  }));
  const uint64_t before = net_.Get("v1")->store().head_height();
  Result<std::vector<SubmitOutcome>> next = Submit("v3", "urn:jejak:lot:koperasi-gayo:q-2");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_GT((*next)[0].height, before);
  ExpectSameChain(AllValidators(), (*next)[0].height);
}

TEST_F(NodeNetworkTest, NodeDownMeanwhileSyncsAndRejoins) {
  net_.UpValidators();
  ASSERT_TRUE(Submit("v1", "urn:jejak:lot:koperasi-gayo:d-0").ok());
  net_.Down("v4");
  uint64_t top = 0;
  for (int i = 1; i <= 4; ++i) {  // three of four are a quorum
    Result<std::vector<SubmitOutcome>> r = Submit(Network::Id(i % 3), "urn:jejak:lot:koperasi-gayo:d-" + std::to_string(i));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    top = (*r)[0].height;
  }
  Node& back = net_.Up("v4", 3);
  ASSERT_TRUE(Eventually([&] { return back.store().head_height() >= top; }));
  ExpectSameChain(AllValidators(), top);
  // It takes part again: with another validator down, it is needed for the quorum.
  net_.Down("v1");
  Result<std::vector<SubmitOutcome>> after = Submit("v4", "urn:jejak:lot:koperasi-gayo:d-9");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ExpectSameChain({"v2", "v3", "v4"}, (*after)[0].height);
}

TEST_F(NodeNetworkTest, ObserverFollowsTheChainAndRefusesEvents) {
  net_.UpValidators();
  Node& observer = net_.Up("observer-1", -1);
  EXPECT_FALSE(observer.is_validator());
  Result<std::vector<SubmitOutcome>> r = Submit("v1", "urn:jejak:lot:koperasi-gayo:o-1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  r = Submit("v2", "urn:jejak:lot:koperasi-gayo:o-2");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const uint64_t top = (*r)[0].height;
  ASSERT_TRUE(Eventually([&] { return observer.store().head_height() >= top; }));
  EXPECT_EQ(ledger::BlockHash(observer.store().GetBlock(top)->header()),
            ledger::BlockHash(net_.Get("v1")->store().GetBlock(top)->header()));
  Result<std::vector<SubmitOutcome>> refused = Submit("observer-1", "urn:jejak:lot:koperasi-gayo:o-3");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("observer"), std::string::npos);
  EXPECT_NE(refused.status().message().find("the ledger service of a validator (v1, v2, v3, v4)"), std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace jejak::daemon
