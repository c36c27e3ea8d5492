// BlockSync against blocks made by a real 4-validator network: honest blocks apply; blocks whose
// certificate does not check (ledger/commit_certificate.h), or that do not match their
// certificate, are refused unapplied.
#include "node/daemon/block_sync.h"

#include <algorithm>

#include "node/crypto/ed25519.h"
#include "node/ledger/commit_certificate.h"
#include "tests/unit/daemon/network_harness.h"

namespace jejak::daemon {
namespace {

using testing::Network;

class Ed25519Verifier final : public consensus::Verifier {
 public:
  bool Verify(const consensus::Validator& validator, std::string_view bytes, std::string_view signature) override {
    return crypto::Verify(validator.public_key, bytes, signature);
  }
};

class BlockSyncTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    net_ = new Network();
    for (int i = 0; i < Network::kValidators; ++i) net_->Up(Network::Id(i), i);
    ledger::testing::Events events;
    for (int i = 0; i < 3; ++i) {
      v1::SignedEvent e = ledger::testing::Sign(ledger::testing::kGayo,
                                                events.Commission("urn:jejak:lot:koperasi-gayo:s-" + std::to_string(i), 5));
      ASSERT_TRUE(net_->Get("v1")->Submit({e}, std::chrono::steady_clock::now() + std::chrono::seconds(30)).ok());
    }
    top_ = net_->Get("v1")->store().head_height();
  }
  static void TearDownTestSuite() {
    delete net_;
    net_ = nullptr;
  }

  void SetUp() override {
    storage::StoreOptions options;
    options.chain_id = net_->genesis().chain_id;
    store_ = std::move(storage::Store::Open(dir_.path(), options)).value();
    BlockApplication::Options app;
    app.now_ms = [] { return int64_t{0}; };
    application_ = std::make_unique<BlockApplication>(net_->genesis(), *store_, mempool_, workers_, verified_, app);
    BlockSync::Options sync_options;
    sync_options.chain_id = net_->genesis().chain_id;
    sync_ = std::make_unique<BlockSync>(sync_options, ledger::ValidatorsInConsensusOrder(net_->genesis().validators),
                                        verifier_, *store_, *application_,
                                        [this](const ValidatedBlock&) { ++committed_; });
  }

  // Run against the network's blocks with `tamper` applied to block `height`.
  Result<uint64_t> RunTampered(uint64_t height, std::function<void(v1::CommittedBlock*)> tamper) {
    testing::MemorySource source(*net_, "syncing-node");
    source.tamper = [height, tamper](v1::CommittedBlock* block) {
      if (block->block().header().height() == height) tamper(block);
    };
    Result<uint64_t> result = sync_->Run(source);
    refused_ = source.refused;
    return result;
  }

  static Network* net_;
  static uint64_t top_;
  jejak::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  Mempool mempool_{100};
  WorkerPool workers_{2};
  VerifiedCache verified_;
  Ed25519Verifier verifier_;
  std::unique_ptr<BlockApplication> application_;
  std::unique_ptr<BlockSync> sync_;
  int committed_ = 0;
  int refused_ = 0;  // RefuseLastFetch calls of the last run
};

Network* BlockSyncTest::net_ = nullptr;
uint64_t BlockSyncTest::top_ = 0;

TEST_F(BlockSyncTest, HonestBlocksApplyInOrder) {
  ASSERT_GE(top_, 1u);
  Result<uint64_t> applied = RunTampered(0, [](v1::CommittedBlock*) {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_GE(*applied, top_);
  EXPECT_GE(store_->head_height(), top_);
  EXPECT_EQ(committed_, static_cast<int>(*applied));
  EXPECT_EQ(store_->GetBlock(1)->SerializeAsString(), net_->Get("v2")->store().GetBlock(1)->SerializeAsString());
}

struct Lie {
  const char* name;
  std::function<void(v1::CommittedBlock*)> tamper;
  const char* expected;
};

TEST_F(BlockSyncTest, LyingSourcesAreRefusedAndNothingAfterIsApplied) {
  const std::vector<Lie> lies = {
      {"forged signature",
       [](v1::CommittedBlock* b) { b->mutable_certificate()->mutable_signatures(0)->mutable_signature()->at(3) ^= 1; },
       "certificate signature of validator v1 is not valid"},
      {"too few signatures",
       [](v1::CommittedBlock* b) {
         while (b->certificate().signatures_size() > 2) b->mutable_certificate()->mutable_signatures()->RemoveLast();
       },
       "certificate has 2 validator signatures, below the quorum of 3 of 4"},
      {"unknown signer",
       [](v1::CommittedBlock* b) { b->mutable_certificate()->mutable_signatures(0)->set_validator_id("mallory"); },
       "names \"mallory\", not a validator at this height"},
      {"certificate of another block",
       [](v1::CommittedBlock* b) { b->mutable_certificate()->mutable_block_hash()->at(0) ^= 1; },
       "certificate is for another block"},
      {"block changed under its certificate",
       [](v1::CommittedBlock* b) { b->mutable_block()->mutable_header()->set_time_ms(b->block().header().time_ms() + 1); },
       "certificate is for another block"},
      {"certificate of another height",
       [](v1::CommittedBlock* b) { b->mutable_certificate()->set_height(b->certificate().height() + 1); },
       "certificate is for height"},
  };
  const uint64_t bad_height = std::min<uint64_t>(2, top_);
  for (const Lie& lie : lies) {
    SCOPED_TRACE(lie.name);
    Result<uint64_t> applied = RunTampered(bad_height, lie.tamper);
    ASSERT_FALSE(applied.ok());
    EXPECT_EQ(applied.status().code(), StatusCode::kInvalid);
    EXPECT_NE(applied.status().message().find(lie.expected), std::string::npos) << applied.status().message();
    EXPECT_NE(applied.status().message().find("block " + std::to_string(bad_height)), std::string::npos);
    EXPECT_EQ(store_->head_height(), bad_height - 1);  // the blocks before it stay, none after
    EXPECT_EQ(refused_, 1);  // the source is told, so it can skip whoever sent it
  }
  // An honest source afterwards brings it up to date.
  Result<uint64_t> applied = RunTampered(0, [](v1::CommittedBlock*) {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_GE(store_->head_height(), top_);
  EXPECT_EQ(refused_, 0);
}

}  // namespace
}  // namespace jejak::daemon
