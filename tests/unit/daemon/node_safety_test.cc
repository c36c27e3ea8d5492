// The consensus safety record lives beside the node key, apart from the data (issue 12: a
// validator whose data directory was wiped and resynced double-voted), and a validator that finds
// no record although its chain is not new sits out until the chain has passed what it may have
// signed. Four validators in one process (network_harness.h), real stores, real files.
#include <filesystem>

#include "consensus/sign_bytes.h"
#include "node/storage/safety_record.h"
#include "tests/unit/daemon/network_harness.h"

namespace jejak::daemon {
namespace {

using testing::Eventually;
using testing::Network;
using ledger::testing::kGayo;
using ledger::testing::Sign;

using testing::kSubmitTimeout;

class NodeSafetyTest : public ::testing::Test {
 protected:
  uint64_t Commit(const std::string& node, const std::string& lot) {
    v1::SignedEvent event = Sign(kGayo, events_.Commission("urn:jejak:lot:koperasi-gayo:" + lot, 10));
    Result<std::vector<SubmitOutcome>> r = net_.Get(node)->Submit({event}, std::chrono::steady_clock::now() + kSubmitTimeout);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].height : 0;
  }
  std::string RecordPath(const std::string& id) { return net_.Home(id) + "/safety_record"; }
  uint64_t RecordHeight(const std::string& id) {
    Result<std::optional<consensus::SafetyRecord>> record = storage::LoadSafetyRecord(RecordPath(id));
    EXPECT_TRUE(record.ok()) << record.status().ToString();
    EXPECT_TRUE(record.ok() && record->has_value()) << "no safety record at " << RecordPath(id);
    return record.ok() && record->has_value() ? (*record)->height : 0;
  }

  Network net_;
  ledger::testing::Events events_;
};

TEST_F(NodeSafetyTest, RecordIsBesideTheKeyAndSurvivesAWipedDataDirectory) {
  net_.UpValidators();
  EXPECT_TRUE(std::filesystem::exists(RecordPath("v4"))) << "a first start creates the record";
  const uint64_t height = Commit("v1", "s-1");
  ASSERT_GE(height, 1u);
  ASSERT_TRUE(Eventually([&] { return net_.Get("v4")->store().head_height() >= height; }));
  net_.Down("v4");
  const uint64_t signed_height = RecordHeight("v4");
  EXPECT_GE(signed_height, height) << "v4 voted for the committed blocks";

  std::filesystem::remove_all(net_.Home("v4") + "/data");
  Node& back = net_.Up("v4", 3);
  // Its record is intact: it does not sit out, and it cannot sign below what it signed.
  EXPECT_FALSE(back.sitting_out());
  EXPECT_GE(RecordHeight("v4"), signed_height);
  ASSERT_TRUE(Eventually([&] { return back.store().head_height() >= height; }));
  const uint64_t next = Commit("v2", "s-2");
  ASSERT_TRUE(Eventually([&] { return back.store().head_height() >= next; }));
}

TEST_F(NodeSafetyTest, ValidatorWithoutRecordSitsOutUntilTheChainPassesWhatItMayHaveSigned) {
  net_.UpValidators();
  const uint64_t height = Commit("v1", "o-1");
  ASSERT_TRUE(Eventually([&] { return net_.Get("v4")->store().head_height() >= height; }));
  net_.Down("v4");
  ASSERT_TRUE(std::filesystem::remove(RecordPath("v4")));

  Node& back = net_.Up("v4", 3);
  EXPECT_TRUE(back.sitting_out()) << "no record and a chain that is not new: it may have signed before";
  // While it sits out the other three commit without it; it learns the network's height at its
  // first poll and votes again once the block after that height is committed.
  uint64_t passed = height;
  for (int i = 0; i < 20 && back.sitting_out(); ++i) {
    passed = Commit("v" + std::to_string(1 + i % 3), "o-" + std::to_string(i + 2));
    ASSERT_TRUE(Eventually([&] { return back.store().head_height() >= passed; }));
    Eventually([&] { return !back.sitting_out(); }, std::chrono::milliseconds(500));
  }
  ASSERT_FALSE(back.sitting_out()) << "still sitting out at height " << back.store().head_height();
  EXPECT_GE(passed, height + 1);
  // Back in the quorum: with v1 down, v4's votes are needed.
  net_.Down("v1");
  const uint64_t after = Commit("v4", "o-last");
  EXPECT_GT(after, passed);
  EXPECT_GT(RecordHeight("v4"), height + 1) << "it signed again, above the heights it sat out";
}

// A home rebuilt around a restored key (new data directory, no record) is no proof that the key
// signed nothing: only `jejak init`/`testnet` vouch for that, by writing an empty record.
TEST_F(NodeSafetyTest, AHomeRebuiltAroundARestoredKeySitsOut) {
  net_.UpValidators();
  const uint64_t height = Commit("v1", "r-1");
  ASSERT_TRUE(Eventually([&] { return net_.Get("v4")->store().head_height() >= height; }));
  net_.Down("v4");
  ASSERT_TRUE(std::filesystem::remove(RecordPath("v4")));
  ASSERT_GT(std::filesystem::remove_all(net_.Home("v4") + "/data"), 0u);
  Node& back = net_.Up("v4", 3);
  EXPECT_TRUE(back.sitting_out()) << "a new data directory and no record: it may have signed before";
}

TEST_F(NodeSafetyTest, RecordOfAnotherValidatorIsRefused) {
  net_.UpValidators();
  ASSERT_GE(Commit("v1", "r-1"), 1u);
  net_.Down("v4");
  // v3's key signed this precommit; it is put in v4's home.
  consensus::SafetyRecord foreign;
  foreign.height = 5;
  foreign.round = 0;
  foreign.step = consensus::RoundStep::kPrecommit;
  foreign.value_id = "some block";
  foreign.signature = Network::ValidatorKey(2).Sign(consensus::VoteSignBytes(
      net_.genesis().chain_id, consensus::VoteType::kPrecommit, 5, 0, "some block"));
  ASSERT_TRUE(storage::SaveSafetyRecord(RecordPath("v4"), foreign).ok());
  net_.Up("v4", 3, /*expect_start=*/false);
  EXPECT_EQ(net_.last_start.code(), StatusCode::kInvalid) << net_.last_start.ToString();
  EXPECT_NE(net_.last_start.message().find("is not validator v4's"), std::string::npos) << net_.last_start.message();
  // Its own record is accepted again.
  net_.Down("v4");
  foreign.signature = Network::ValidatorKey(3).Sign(consensus::VoteSignBytes(
      net_.genesis().chain_id, consensus::VoteType::kPrecommit, 5, 0, "some block"));
  ASSERT_TRUE(storage::SaveSafetyRecord(RecordPath("v4"), foreign).ok());
  net_.Up("v4", 3);
  EXPECT_TRUE(net_.last_start.ok()) << net_.last_start.ToString();
}

}  // namespace
}  // namespace jejak::daemon
