#include "node/daemon/safety_record.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/test_process.h"

namespace jejak::daemon {
namespace {

consensus::Vote MakeVote(consensus::VoteType type, int32_t round, uint32_t validator) {
  return {type, 7, round, "value-" + std::to_string(validator), validator, "sig-" + std::to_string(validator)};
}

consensus::SafetyRecord FullRecord() {
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
  return record;
}

TEST(SafetyRecordTest, PathIsBesideTheNodeKey) {
  EXPECT_EQ(SafetyRecordPath("/home/v1/keys/node_key.pem"), "/home/v1/keys/safety_record");
}

TEST(SafetyRecordTest, EveryFieldSurvivesInTheFileAndNoTemporaryIsLeft) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/safety_record";
  Result<std::optional<consensus::SafetyRecord>> none = LoadSafetyRecord(path);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(SaveSafetyRecord(path, consensus::SafetyRecord{}).ok());
  ASSERT_TRUE(SaveSafetyRecord(path, FullRecord()).ok());  // replaces the first
  Result<std::optional<consensus::SafetyRecord>> loaded = LoadSafetyRecord(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, FullRecord());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_all,
            std::filesystem::perms::none);
}

TEST(SafetyRecordTest, DamagedOrForeignFileIsReportedNotGuessed) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/safety_record";
  ASSERT_TRUE(SaveSafetyRecord(path, FullRecord()).ok());
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-3, std::ios::end);
    file.put('\x7f');
  }
  Result<std::optional<consensus::SafetyRecord>> damaged = LoadSafetyRecord(path);
  EXPECT_EQ(damaged.status().code(), StatusCode::kCorruption);
  EXPECT_NE(damaged.status().message().find("checksum"), std::string::npos) << damaged.status().message();
  EXPECT_NE(damaged.status().message().find(path), std::string::npos);

  std::ofstream(path, std::ios::trunc) << "jejak-safety-record/v9\nsomething newer";
  Result<std::optional<consensus::SafetyRecord>> newer = LoadSafetyRecord(path);
  EXPECT_EQ(newer.status().code(), StatusCode::kCorruption);
  EXPECT_NE(newer.status().message().find("version 1"), std::string::npos) << newer.status().message();

  std::ofstream(path, std::ios::trunc) << "jejak-safety-record/v1\nshort";
  EXPECT_EQ(LoadSafetyRecord(path).status().code(), StatusCode::kCorruption);
}

// Stores written before the record had its own file kept it in their metadata.
TEST(SafetyRecordTest, LegacyRecordInTheStoreIsRead) {
  testing::TempDir dir;
  storage::StoreOptions options;
  options.chain_id = "c";
  auto store = storage::Store::Open(dir.path() + "/data", options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<std::optional<consensus::SafetyRecord>> none = LoadLegacySafetyRecord(**store);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE((*store)->PutMetaSynced(kLegacySafetyRecordKey, "\xff\xff\xff not a record").ok());
  EXPECT_EQ(LoadLegacySafetyRecord(**store).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace jejak::daemon
