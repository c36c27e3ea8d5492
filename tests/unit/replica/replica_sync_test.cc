// A replica's block sync against blocks made by a real 4-validator network: honest blocks apply;
// blocks whose certificate does not check (ledger/commit_certificate.h), or that do not match
// their certificate, are refused unapplied. The replica is driven here as the node drives it.
#include "node/replica/replica.h"

#include <algorithm>

#include "node/crypto/ed25519.h"
#include "node/ledger/consensus_keys.h"
#include "node/ledger/commit_certificate.h"
#include "node/replica/memory_chain.h"
#include "tests/unit/daemon/network_harness.h"

namespace jejak::replica {
namespace {

using daemon::testing::Network;

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
    ReplicaOptions options;
    options.node_id = "syncing-node";  // an observer
    options.has_block_source = true;
    options.max_blocks_per_fetch = 2;  // several fetches per catch-up
    replica_ = std::make_unique<Replica>(net_->genesis(), options, chain_, checker_, nullptr, verifier_, Now{0, 0});
  }

  // Drives the replica against the network's blocks with `tamper` applied to block `height`,
  // until it is up to date or refuses an answer. Returns the refusal, if any.
  std::optional<std::string> RunTampered(uint64_t height, std::function<void(v1::CommittedBlock*)> tamper) {
    daemon::testing::MemorySource source(*net_, "syncing-node");
    source.tamper = [height, tamper](v1::CommittedBlock* block) {
      if (block->block().header().height() == height) tamper(block);
    };
    std::optional<std::string> refusal;
    for (int round = 0; round < 100 && !refusal && chain_.head_height() < top_; ++round) {
      now_ms_ += 1000;  // the poll interval
      replica_->Tick({now_ms_, 0});
      while (replica_->HasReady()) {
        Ready ready = replica_->TakeReady();
        EXPECT_TRUE(ready.failure.ok()) << ready.failure.ToString();
        for (const BlockToCommit& block : ready.blocks) {
          EXPECT_TRUE(block.synced);
          EXPECT_TRUE(chain_.Commit(block.block, block.certificate, block.writes).ok());
          ++committed_;
        }
        if (ready.refuse_fetch) {
          source.RefuseLastFetch(*ready.refuse_fetch);
          refusal = ready.refuse_fetch;
        }
        std::optional<Result<uint64_t>> best;
        Result<std::vector<v1::CommittedBlock>> blocks = std::vector<v1::CommittedBlock>{};
        if (ready.fetch) {
          best = source.BestHeadHeight();
          blocks = source.FetchBlocks(ready.fetch->from_height, ready.fetch->max_blocks);
        }
        replica_->Advance(ready);
        if (best) replica_->ReceiveFetched(*best, std::move(blocks));
      }
    }
    refused_ = source.refused;
    return refusal;
  }

  static Network* net_;
  static uint64_t top_;
  MemoryChain chain_{net_->genesis().chain_id};
  SequentialEventChecker checker_{net_->genesis()};
  ledger::Ed25519Verifier verifier_;
  std::unique_ptr<Replica> replica_;
  int64_t now_ms_ = 0;
  int committed_ = 0;
  int refused_ = 0;  // RefuseLastFetch calls of the last run
};

Network* BlockSyncTest::net_ = nullptr;
uint64_t BlockSyncTest::top_ = 0;

TEST_F(BlockSyncTest, HonestBlocksApplyInOrder) {
  ASSERT_GE(top_, 1u);
  std::optional<std::string> refusal = RunTampered(0, [](v1::CommittedBlock*) {});
  EXPECT_FALSE(refusal) << *refusal;
  EXPECT_GE(chain_.head_height(), top_);
  EXPECT_EQ(committed_, static_cast<int>(chain_.head_height()));
  for (uint64_t h = 1; h <= top_; ++h) {
    EXPECT_EQ(chain_.GetBlock(h)->SerializeAsString(), net_->Get("v2")->store().GetBlock(h)->SerializeAsString());
  }
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
    std::optional<std::string> refusal = RunTampered(bad_height, lie.tamper);
    ASSERT_TRUE(refusal);
    EXPECT_NE(refusal->find(lie.expected), std::string::npos) << *refusal;
    EXPECT_NE(refusal->find("block " + std::to_string(bad_height)), std::string::npos) << *refusal;
    EXPECT_EQ(chain_.head_height(), bad_height - 1);  // the blocks before it stay, none after
    EXPECT_EQ(refused_, 1);  // the source is told, so it can skip whoever sent it
  }
  // An honest source afterwards brings it up to date.
  std::optional<std::string> refusal = RunTampered(0, [](v1::CommittedBlock*) {});
  EXPECT_FALSE(refusal) << *refusal;
  EXPECT_GE(chain_.head_height(), top_);
  EXPECT_EQ(refused_, 0);
}

}  // namespace
}  // namespace jejak::replica
