// The one in-order loop (Ledger::ApplyEvents) and the blocks built and accepted over it.
#include "node/ledger/block_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "node/ledger/block.h"
#include "tests/unit/ledger/proof_chain.h"

namespace jejak::ledger {
namespace {

using testing::CertifiedChain;
using testing::Events;

LedgerOptions Unchecked() {
  LedgerOptions options;
  options.verify_signatures = false;
  return options;
}

// A chain of one block (lot a commissioned) and events waiting for the next.
class BlockRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    committed_ = Signed(ev_.Commission(L("a"), 10));
    Status s = chain_.Commit({committed_}, testing::kT0 + testing::kDayMs);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  static std::string L(const std::string& name) { return "urn:jejak:lot:koperasi-gayo:" + name; }
  static v1::SignedEvent Signed(const v1::Event& event) { return testing::Sign(testing::kGayo, event); }
  static std::string Id(const v1::SignedEvent& signed_event) {
    v1::Event event;
    EXPECT_TRUE(event.ParseFromString(signed_event.event_bytes()));
    return LedgerEventId(event).value();
  }
  // b commissioned, a again (in the chain), c shipped (unknown lot), d commissioned.
  void Wait() {
    waiting_ = {Signed(ev_.Commission(L("b"), 5)), committed_, Signed(ev_.Ship(L("c"), testing::kRoasterPgln)),
                Signed(ev_.Commission(L("d"), 5))};
    ids_.clear();
    pointers_.clear();
    for (const v1::SignedEvent& e : waiting_) {
      ids_.push_back(Id(e));
      pointers_.push_back(&e);
    }
  }
  BlockParams Params() const { return {testing::kT0 + 2 * testing::kDayMs, "v1", 4 << 20}; }

  Events ev_;
  CertifiedChain chain_{testing::FourValidatorGenesis(), testing::ValidatorKeys(), 3};
  Ledger rules_{testing::FourValidatorGenesis(), Unchecked()};
  v1::SignedEvent committed_;
  std::vector<v1::SignedEvent> waiting_;
  std::vector<std::string> ids_;
  std::vector<const v1::SignedEvent*> pointers_;
};

TEST_F(BlockRulesTest, LeavingOutKeepsTheEventsThatApplyAndPlacesThemWithoutGaps) {
  Wait();
  Result<AppliedEvents> applied =
      rules_.ApplyEvents(chain_, pointers_, ids_, {2, 0, Params().now_ms}, OnRefusal::kLeaveOut);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->verdicts.size(), 4u);
  EXPECT_TRUE(applied->verdicts[0].changed);
  EXPECT_FALSE(applied->verdicts[1].changed);  // already in the chain: no change, no refusal
  EXPECT_TRUE(applied->verdicts[1].refusal.ok());
  EXPECT_FALSE(applied->verdicts[2].changed);
  EXPECT_TRUE(applied->verdicts[2].refusal.IsInputFault()) << applied->verdicts[2].refusal.ToString();
  EXPECT_TRUE(applied->verdicts[3].changed);
  // d is the second event that stays: index 1, not 3.
  MemoryStore after = chain_.state();
  after.Apply(applied->writes);
  Result<std::optional<v1::EventRecord>> d = GetEvent(after, ids_[3]);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->position().height(), 2u);
  EXPECT_EQ((*d)->position().index(), 1u);
}

TEST_F(BlockRulesTest, FailingAllNamesTheFirstRefusedEvent) {
  Wait();
  Result<AppliedEvents> applied =
      rules_.ApplyEvents(chain_, pointers_, ids_, {2, 0, Params().now_ms}, OnRefusal::kFailAll);
  ASSERT_FALSE(applied.ok());
  EXPECT_TRUE(applied.status().IsInputFault());
  EXPECT_EQ(applied.status().message().rfind("event 2: ", 0), 0u) << applied.status().ToString();
}

TEST_F(BlockRulesTest, ABuiltBlockExtendsTheChainAndIsAcceptedAsBuilt) {
  Wait();
  Result<BuiltBlock> built = BuildBlock(rules_, chain_, ids_, pointers_, Params());
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const v1::BlockHeader& header = built->block.header();
  EXPECT_EQ(header.height(), 2u);
  EXPECT_EQ(header.previous_block_hash(), BlockHash(chain_.GetBlock(1)->header()));
  EXPECT_EQ(header.time_ms(), Params().now_ms);
  EXPECT_EQ(header.proposer(), "v1");
  EXPECT_EQ(built->event_ids, (std::vector<std::string>{ids_[0], ids_[3]}));
  ASSERT_EQ(built->left_out.size(), 2u);
  EXPECT_EQ(built->left_out[0].event_id, ids_[1]);
  EXPECT_TRUE(built->left_out[0].refusal.ok());  // already in the chain
  EXPECT_EQ(built->left_out[1].event_id, ids_[2]);
  EXPECT_FALSE(built->left_out[1].refusal.ok());
  Result<WriteSet> validated = ValidateBlock(rules_, chain_, built->block, built->event_ids);
  ASSERT_TRUE(validated.ok()) << validated.status().ToString();
  EXPECT_EQ(validated->writes(), built->writes.writes());
}

TEST_F(BlockRulesTest, ABlockIsNeverDatedBeforeItsParentNorHoldsMoreThanFits) {
  Wait();
  BlockParams params = Params();
  params.now_ms = testing::kT0;  // the proposer's clock is behind the parent's time
  params.max_block_bytes = 256 + 16 + waiting_[0].ByteSizeLong() + 100;  // about one event
  Result<BuiltBlock> built = BuildBlock(rules_, chain_, ids_, pointers_, params);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ(built->block.header().time_ms(), chain_.GetBlock(1)->header().time_ms());
  EXPECT_EQ(built->event_ids, (std::vector<std::string>{ids_[0]}));
  EXPECT_TRUE(built->left_out.empty());  // the rest waits its turn
}

TEST_F(BlockRulesTest, ABlockBreakingABlockRuleIsRefusedWithItsCode) {
  Wait();
  Result<BuiltBlock> built = BuildBlock(rules_, chain_, ids_, pointers_, Params());
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  auto expect_refused = [&](v1::Block block, const std::vector<std::string>& ids, const std::string& code) {
    block.mutable_header()->set_event_count(static_cast<uint32_t>(block.events_size()));
    block.mutable_header()->set_events_root(EventsRoot(block));
    Result<WriteSet> validated = ValidateBlock(rules_, chain_, block, ids);
    ASSERT_FALSE(validated.ok()) << code;
    EXPECT_EQ(validated.status().code(), StatusCode::kInvalid);
    EXPECT_NE(validated.status().message().find("[" + code + "]"), std::string::npos) << validated.status().ToString();
  };
  v1::Block other_set = built->block;
  other_set.mutable_header()->set_validator_set_hash(std::string(32, 'x'));
  expect_refused(other_set, built->event_ids, "block-validator-set");
  v1::Block early = built->block;
  early.mutable_header()->set_time_ms(chain_.GetBlock(1)->header().time_ms() - 1);
  expect_refused(early, built->event_ids, "block-time-order");
  v1::Block twice = built->block;
  *twice.add_events() = twice.events(0);
  expect_refused(twice, {ids_[0], ids_[3], ids_[0]}, "block-duplicate-event");
  v1::Block again = built->block;
  *again.add_events() = committed_;
  expect_refused(again, {ids_[0], ids_[3], ids_[1]}, "block-duplicate-event");
}

}  // namespace
}  // namespace jejak::ledger
