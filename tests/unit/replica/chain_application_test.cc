// ChainApplication over a chain in memory: what the proposer puts in a block, and which proposed
// blocks a validator accepts.
#include "node/replica/chain_application.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "node/ledger/event_time.h"
#include "node/replica/memory_chain.h"
#include "tests/unit/ledger/test_support.h"

namespace jejak::replica {
namespace {

using ledger::testing::Events;
using ledger::testing::Sign;
using ledger::testing::TestGenesis;

class ChainApplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ChainApplication::Options app;
    app.proposer_id = "v1";
    app.on_left_out = [this](const std::string& id, const Status& reason) {
      if (reason.ok()) {
        already_.push_back(id);
      } else {
        rejected_[id] = reason;
      }
    };
    app.on_failure = [](const Status& failure) { FAIL() << failure.ToString(); };
    application_ = std::make_unique<ChainApplication>(genesis_, chain_, mempool_, checker_, now_ms_, app);
  }
  void Queue(const v1::SignedEvent& signed_event) {
    v1::Event event;
    ASSERT_TRUE(event.ParseFromString(signed_event.event_bytes()));
    ASSERT_TRUE(mempool_.Add({*ledger::LedgerEventId(event), signed_event}).ok());
  }
  void Commit(const consensus::Value& value) {
    Result<ValidatedBlock> validated = application_->TakeValidated(value);
    ASSERT_TRUE(validated.ok()) << validated.status().ToString();
    v1::CommitCertificate certificate;
    certificate.set_height(validated->block.header().height());
    ASSERT_TRUE(chain_.Commit(validated->block, certificate, validated->writes).ok());
    mempool_.Remove(validated->event_ids);
  }

  ledger::Genesis genesis_ = TestGenesis();
  MemoryChain chain_{genesis_.chain_id};
  Mempool mempool_{100};
  SequentialEventChecker checker_{genesis_};
  int64_t now_ms_ = ledger::testing::kT0;
  std::unique_ptr<ChainApplication> application_;
  std::map<std::string, Status> rejected_;
  std::vector<std::string> already_;
  Events events_;
};

TEST_F(ChainApplicationTest, NothingToProposeFromAnEmptyMempool) {
  EXPECT_FALSE(application_->GetValueToPropose(1).has_value());
}

TEST_F(ChainApplicationTest, ProposalKeepsValidEventsAndDropsTheRestWithTheirReason) {
  const std::string lot = "urn:jejak:lot:koperasi-gayo:h-1";
  Queue(Sign(ledger::testing::kGayo, events_.Commission(lot, 100)));
  Queue(Sign(ledger::testing::kGayo, events_.Commission(lot, 5)));  // the same lot again
  std::optional<consensus::Value> value = application_->GetValueToPropose(1);
  ASSERT_TRUE(value.has_value());
  v1::Block block;
  ASSERT_TRUE(block.ParseFromString(value->bytes));
  EXPECT_EQ(block.events_size(), 1);
  EXPECT_EQ(block.header().height(), 1u);
  EXPECT_EQ(value->id, ledger::BlockHash(block.header()));
  ASSERT_EQ(rejected_.size(), 1u);
  EXPECT_EQ(rejected_.begin()->second.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(mempool_.size(), 1u);  // the refused one left the mempool
  EXPECT_TRUE(application_->ValidateValue(1, *value));
}

TEST_F(ChainApplicationTest, ValidatorRefusesTamperedAndRepeatingBlocks) {
  const std::string lot = "urn:jejak:lot:koperasi-gayo:h-2";
  v1::SignedEvent commission = Sign(ledger::testing::kGayo, events_.Commission(lot, 100));
  Queue(commission);
  consensus::Value value = *application_->GetValueToPropose(1);

  consensus::Value wrong_hash = value;
  wrong_hash.id[0] ^= 1;
  EXPECT_FALSE(application_->ValidateValue(1, wrong_hash));
  EXPECT_FALSE(application_->ValidateValue(2, value));  // not the height it was made for
  v1::Block block;
  ASSERT_TRUE(block.ParseFromString(value.bytes));
  block.mutable_events(0)->mutable_signature()->at(0) ^= 1;  // root no longer matches either
  block.mutable_header()->set_events_root(ledger::EventsRoot(block));
  EXPECT_FALSE(application_->ValidateValue(1, {ledger::BlockHash(block.header()), block.SerializeAsString()}));

  ASSERT_TRUE(application_->ValidateValue(1, value));
  ASSERT_NO_FATAL_FAILURE(Commit(value));
  // A block repeating a committed event is refused, even though the rules would treat it as a no-op.
  v1::Block repeat;
  *repeat.add_events() = commission;
  v1::BlockHeader* header = repeat.mutable_header();
  *header = block.header();
  header->set_height(2);
  header->set_previous_block_hash(value.id);
  header->set_events_root(ledger::EventsRoot(repeat));
  EXPECT_FALSE(application_->ValidateValue(2, {ledger::BlockHash(*header), repeat.SerializeAsString()}));
}

TEST_F(ChainApplicationTest, AnEventCommittedMeanwhileIsReportedAsCommitted) {
  v1::SignedEvent commission = Sign(ledger::testing::kGayo, events_.Commission("urn:jejak:lot:koperasi-gayo:h-3", 1));
  Queue(commission);
  consensus::Value value = *application_->GetValueToPropose(1);
  ASSERT_TRUE(application_->ValidateValue(1, value));
  ASSERT_NO_FATAL_FAILURE(Commit(value));
  Queue(commission);  // submitted again in the window before the commit was seen
  EXPECT_FALSE(application_->GetValueToPropose(2).has_value());
  EXPECT_EQ(already_.size(), 1u);
  EXPECT_EQ(mempool_.size(), 0u);
}

// The proposer judges event times against the block it proposes, and a validator against the
// proposed block's time (its header), whatever its own clock says.
TEST_F(ChainApplicationTest, EventTimesAreJudgedAgainstTheProposedBlocksTime) {
  const int64_t skew_ms = genesis_.event_time.max_future_skew_ms;
  const int64_t event_ms = ledger::testing::kT0 + 2 * skew_ms;  // the proposer's clock says kT0
  v1::SignedEvent ahead = Sign(ledger::testing::kGayo,
                               ledger::testing::Dated(events_.Commission("urn:jejak:lot:koperasi-gayo:t-1", 1),
                                                      event_ms));
  Queue(ahead);
  EXPECT_FALSE(application_->GetValueToPropose(1).has_value());
  ASSERT_EQ(rejected_.size(), 1u);
  EXPECT_NE(rejected_.begin()->second.message().find("[time-future]"), std::string::npos)
      << rejected_.begin()->second.ToString();
  EXPECT_EQ(mempool_.size(), 0u);

  v1::Block block = ledger::testing::MakeBlock(1, nullptr, {ahead});
  block.mutable_header()->set_time_ms(event_ms - skew_ms - 1);
  EXPECT_FALSE(application_->ValidateValue(1, {ledger::BlockHash(block.header()), block.SerializeAsString()}));
  block.mutable_header()->set_time_ms(event_ms - skew_ms);  // exactly at the bound
  consensus::Value on_time{ledger::BlockHash(block.header()), block.SerializeAsString()};
  Result<ValidatedBlock> validated = application_->CheckValue(1, on_time);
  EXPECT_TRUE(validated.ok()) << validated.status().ToString();
}

// A proposer may not date a block far ahead: every later block would inherit the time (block times
// never go back), and events dated that far ahead would pass [time-future].
TEST_F(ChainApplicationTest, ProposalDatedAheadOfTheValidatorsClockIsRefused) {
  const int64_t skew_ms = genesis_.event_time.max_future_skew_ms;
  v1::SignedEvent commission =
      Sign(ledger::testing::kGayo, events_.Commission("urn:jejak:lot:koperasi-gayo:t-2", 1));
  v1::Block block = ledger::testing::MakeBlock(1, nullptr, {commission});
  block.mutable_header()->set_time_ms(ledger::testing::kT0 + skew_ms + 1);  // the clock says kT0
  consensus::Value ahead{ledger::BlockHash(block.header()), block.SerializeAsString()};
  EXPECT_FALSE(application_->ValidateValue(1, ahead));
  // Block sync takes the block on its commit certificate, whatever this node's clock says.
  EXPECT_TRUE(application_->CheckValue(1, ahead).ok());

  block.mutable_header()->set_time_ms(ledger::testing::kT0 + skew_ms);  // exactly at the bound
  EXPECT_TRUE(application_->ValidateValue(1, {ledger::BlockHash(block.header()), block.SerializeAsString()}));
}

TEST(BlockTimeRuleTest, CodesAndBounds) {
  ledger::EventTimeRules rules;
  rules.max_future_skew_ms = 1000;
  EXPECT_TRUE(ledger::CheckProposedBlockTime(rules, 2000, 1000).ok());
  EXPECT_TRUE(ledger::CheckProposedBlockTime(rules, 5, 1000).ok());  // behind: only order matters
  Status ahead = ledger::CheckProposedBlockTime(rules, 2001, 1000);
  EXPECT_EQ(ahead.message().rfind("[block-time-future]", 0), 0u) << ahead.ToString();
  EXPECT_FALSE(ledger::CheckProposedBlockTime(rules, INT64_MAX, INT64_MIN + 1).ok());  // no overflow
  EXPECT_TRUE(ledger::CheckBlockTimeOrder(7, 7).ok());
  Status back = ledger::CheckBlockTimeOrder(6, 7);
  EXPECT_EQ(back.message().rfind("[block-time-order]", 0), 0u) << back.ToString();
}

}  // namespace
}  // namespace jejak::replica
