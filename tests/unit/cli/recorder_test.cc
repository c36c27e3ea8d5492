// Who signs (key and genesis from files), batching of a capture, and renumbering the node's
// per-request event numbers into document numbers.
#include "cli/recorder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "cli_test_support.h"
#include "node/ledger/signing.h"

namespace jejak::cli {
namespace {

using namespace testing;  // NOLINT
namespace fs = std::filesystem;

class SignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "jejak-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ / "genesis.json") << ledger::GenesisToJson(TestGenesis(), 2);
    fs::create_directories(dir_ / "keys");
    options_.home = dir_.string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string SaveKey(uint8_t seed, const std::string& name) {
    std::string path = (dir_ / "keys" / (name + ".pem")).string();
    EXPECT_TRUE(KeyFromSeed(seed).SavePem(path).ok());
    return path;
  }

  fs::path dir_;
  GlobalOptions options_;
};

TEST_F(SignerTest, TheHomesOnlyKeySignsForItsOrganisationOnTheGenesisChain) {
  SaveKey(SeedOf(kRoaster), kRoaster);
  auto signer = LoadSigner(options_);
  ASSERT_OK(signer);
  EXPECT_EQ(signer->organisation, kRoaster);
  EXPECT_EQ(signer->chain_id, kChainId);
  EXPECT_EQ(signer->key_id, crypto::KeyId(KeyFromSeed(SeedOf(kRoaster)).public_key()));

  v1::Event event;
  event.set_type(v1::OBJECT_EVENT);
  event.set_event_time("2026-03-01T08:00:00Z");
  auto signed_events = SignAll(*signer, {event, event});
  ASSERT_OK(signed_events);
  ASSERT_EQ(signed_events->size(), 2u);
  EXPECT_TRUE(ledger::VerifyEntrySignature(*ledger::Membership::FromGenesis(TestGenesis()), TestGenesis().chain_id, (*signed_events)[0]).ok());
}

TEST_F(SignerTest, AsPicksAnOrganisationsKeyWhenTheHomeHoldsSeveral) {
  SaveKey(SeedOf(kGayo), kGayo);
  SaveKey(SeedOf(kCertifier), kCertifier);
  auto ambiguous = LoadSigner(options_);
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kInvalid) << ambiguous.status().ToString();
  options_.as_org = kCertifier;
  auto signer = LoadSigner(options_);
  ASSERT_OK(signer);
  EXPECT_EQ(signer->organisation, kCertifier);
}

TEST_F(SignerTest, KeysOutsideTheGenesisOrRetiredAreRefusedBeforeSigning) {
  options_.key_path = SaveKey(77, "stranger");
  auto stranger = LoadSigner(options_);
  EXPECT_EQ(stranger.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(stranger.status().message().find("not an agent key"), std::string::npos);
  options_.key_path = SaveKey(kRetiredSeed, "retired");
  auto retired = LoadSigner(options_);
  EXPECT_EQ(retired.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(retired.status().message().find("retired"), std::string::npos);
}

TEST_F(SignerTest, AMissingOrBrokenGenesisIsNamed) {
  SaveKey(SeedOf(kGayo), kGayo);
  options_.genesis_path = (dir_ / "nowhere.json").string();
  EXPECT_EQ(LoadSigner(options_).status().code(), StatusCode::kNotFound);
  options_.genesis_path = (dir_ / "broken.json").string();
  std::ofstream(options_.genesis_path) << "{\"chain_id\": 7}";
  auto broken = LoadSigner(options_);
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalid);
  EXPECT_NE(broken.status().message().find("broken.json"), std::string::npos);
}

// Issue 12: --key A --as B signed as A without a word.
TEST_F(SignerTest, KeyOfOneOrganisationAsAnotherIsRefusedNamingBoth) {
  options_.key_path = SaveKey(SeedOf(kGayo), "clerk");
  options_.as_org = kRoaster;
  auto refused = LoadSigner(options_);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalid) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find(std::string("is an agent key of ") + kGayo + ", not of " + kRoaster),
            std::string::npos)
      << refused.status().message();
  options_.as_org = "nobody";
  auto unknown = LoadSigner(options_);
  EXPECT_NE(unknown.status().message().find("--as nobody: no such organisation"), std::string::npos)
      << unknown.status().ToString();
  options_.as_org = kGayo;
  auto signer = LoadSigner(options_);
  ASSERT_OK(signer);
  EXPECT_EQ(signer->organisation, kGayo);
}

TEST(BatchTest, SplitsByCountAndBytesInOrder) {
  std::vector<size_t> sizes(1201, 100);
  std::vector<Batch> batches = PlanBatches(sizes, 500, 1 << 20);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].begin, 0u);
  EXPECT_EQ(batches[0].end, 500u);
  EXPECT_EQ(batches[1].begin, 500u);
  EXPECT_EQ(batches[2].end, 1201u);

  std::vector<Batch> by_bytes = PlanBatches({400, 400, 400, 5000, 10}, 500, 1000);
  ASSERT_EQ(by_bytes.size(), 4u);
  EXPECT_EQ(by_bytes[0].end, 2u);  // 800 bytes; a third event would pass 1000
  EXPECT_EQ(by_bytes[1].begin, 2u);
  EXPECT_EQ(by_bytes[1].end, 3u);
  EXPECT_EQ(by_bytes[2].begin, 3u);  // the oversized event goes alone
  EXPECT_EQ(by_bytes[2].end, 4u);
  EXPECT_EQ(by_bytes[3].end, 5u);
}

TEST(BatchTest, AnOversizedEventGoesAloneAndNothingIsLost) {
  std::vector<Batch> batches = PlanBatches({10, 5000, 10}, 500, 1000);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[1].begin, 1u);
  EXPECT_EQ(batches[1].end, 2u);
  EXPECT_TRUE(PlanBatches({}, 500, 1000).empty());
  EXPECT_EQ(PlanBatches({1, 1, 1}, 0, 1000).size(), 3u);  // a zero count still moves forward
}

TEST(NumberRefusedEventTest, NamesTheEventByItsPlaceInTheDocumentFromTheDetailsNotTheWords) {
  // As the node sends it: event 2 of a request that began at event 501 of the document.
  const Status refused =
      Status::NotFound("lot X has not been commissioned").WithRule("lot-unknown").ForEvent(2);
  const Status numbered = NumberRefusedEvent(refused, 501);
  EXPECT_EQ(numbered.message(), "event 503: [lot-unknown] lot X has not been commissioned");
  EXPECT_EQ(numbered.code(), StatusCode::kNotFound);  // and so the exit code
  EXPECT_EQ(numbered.rule_code(), "lot-unknown");
  ASSERT_TRUE(numbered.event_index().has_value());
  EXPECT_EQ(*numbered.event_index(), 502u);
  EXPECT_EQ(numbered.event_reason(), "[lot-unknown] lot X has not been commissioned");
  // Words that look like an event number are not read.
  const Status worded = Status::Invalid("event 7: odd");
  EXPECT_EQ(NumberRefusedEvent(worded, 501).message(), "event 7: odd");
  EXPECT_EQ(NumberRefusedEvent(Status::Unavailable("the node is shutting down"), 1).message(),
            "the node is shutting down");
}

TEST(NumberRefusedEventTest, ASingleEventIsNotNumbered) {
  const Status refused = Status::Invalid("bad").WithRule("epcis-format").ForEvent(0);
  const Status shown = NumberRefusedEvent(refused, 0);
  EXPECT_EQ(shown.message(), "[epcis-format] bad");
  EXPECT_EQ(shown.rule_code(), "epcis-format");
  EXPECT_EQ(shown.code(), StatusCode::kInvalid);
}

}  // namespace
}  // namespace jejak::cli
