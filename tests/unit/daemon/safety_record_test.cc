#include "node/daemon/safety_record.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/integration/test_process.h"

namespace jejak::daemon {
namespace {

consensus::Vote MakeVote(consensus::VoteType type, int32_t round, uint32_t validator) {
  return {type, 7, round, "value-" + std::to_string(validator), validator, "sig-" + std::to_string(validator)};
}

TEST(SafetyRecordTest, EveryFieldSurvivesAStoreReopen) {
  testing::TempDir dir;
  consensus::SafetyRecord record;
  record.height = 7;
  record.round = 2;
  record.step = consensus::RoundStep::kPrecommit;
  record.value_id = "value-1";
  record.signature = "signature";
  record.round_prevote = MakeVote(consensus::VoteType::kPrevote, 2, 0);
  record.locked_round = 1;
  record.locked_value = {"value-1", "block bytes"};
  record.valid_round = 1;
  record.valid_value = {"value-1", "block bytes"};
  for (uint32_t v = 0; v < 3; ++v) record.valid_polka.push_back(MakeVote(consensus::VoteType::kPrevote, 1, v));
  for (uint32_t v = 0; v < 3; ++v) {
    record.round_change_precommits.push_back(MakeVote(consensus::VoteType::kPrecommit, 1, v));
  }
  storage::StoreOptions options;
  options.chain_id = "c";
  {
    auto store = storage::Store::Open(dir.path(), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Result<std::optional<consensus::SafetyRecord>> none = LoadSafetyRecord(**store);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(SaveSafetyRecord(**store, record).ok());
  }
  auto store = storage::Store::Open(dir.path(), options);
  ASSERT_TRUE(store.ok());
  Result<std::optional<consensus::SafetyRecord>> loaded = LoadSafetyRecord(**store);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, record);
}

TEST(SafetyRecordTest, CorruptRecordIsReportedNotGuessed) {
  testing::TempDir dir;
  storage::StoreOptions options;
  options.chain_id = "c";
  auto store = storage::Store::Open(dir.path(), options);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->PutMetaSynced(kSafetyRecordKey, "\xff\xff\xff not a record").ok());
  EXPECT_EQ(LoadSafetyRecord(**store).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace jejak::daemon
