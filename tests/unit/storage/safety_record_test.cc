#include "node/storage/safety_record.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

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
  EXPECT_EQ(storage::SafetyRecordPath("/home/v1/keys/node_key.pem"), "/home/v1/keys/safety_record");
}

TEST(SafetyRecordTest, EveryFieldSurvivesInTheFileAndNoTemporaryIsLeft) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/safety_record";
  Result<std::optional<consensus::SafetyRecord>> none = storage::LoadSafetyRecord(path);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(storage::SaveSafetyRecord(path, consensus::SafetyRecord{}).ok());
  ASSERT_TRUE(storage::SaveSafetyRecord(path, FullRecord()).ok());  // replaces the first
  Result<std::optional<consensus::SafetyRecord>> loaded = storage::LoadSafetyRecord(path);
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
  ASSERT_TRUE(storage::SaveSafetyRecord(path, FullRecord()).ok());
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-3, std::ios::end);
    file.put('\x7f');
  }
  Result<std::optional<consensus::SafetyRecord>> damaged = storage::LoadSafetyRecord(path);
  EXPECT_EQ(damaged.status().code(), StatusCode::kCorruption);
  EXPECT_NE(damaged.status().message().find("checksum"), std::string::npos) << damaged.status().message();
  EXPECT_NE(damaged.status().message().find(path), std::string::npos);

  std::ofstream(path, std::ios::trunc) << "jejak-safety-record/v9\nsomething newer";
  Result<std::optional<consensus::SafetyRecord>> newer = storage::LoadSafetyRecord(path);
  EXPECT_EQ(newer.status().code(), StatusCode::kCorruption);
  EXPECT_NE(newer.status().message().find("version 1"), std::string::npos) << newer.status().message();

  std::ofstream(path, std::ios::trunc) << "jejak-safety-record/v1\nshort";
  EXPECT_EQ(storage::LoadSafetyRecord(path).status().code(), StatusCode::kCorruption);
}

// Two processes with one node key would both sign: the second cannot take the record's lock.
TEST(SafetyRecordTest, OneProcessAtATimeHoldsTheRecord) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/safety_record";
  Result<int> first = storage::LockSafetyRecord(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<int> second = storage::LockSafetyRecord(path);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("sign twice"), std::string::npos) << second.status().message();
  ::close(*first);
  Result<int> again = storage::LockSafetyRecord(path);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ::close(*again);
}

TEST(SafetyRecordTest, AnEmptyRecordIsCreatedBesideANewKey) {
  testing::TempDir dir;
  ASSERT_TRUE(storage::CreateEmptySafetyRecord(dir.path() + "/node_key.pem").ok());
  Result<std::optional<consensus::SafetyRecord>> loaded = storage::LoadSafetyRecord(dir.path() + "/safety_record");
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ(**loaded, consensus::SafetyRecord{});
}

}  // namespace
}  // namespace jejak::daemon
