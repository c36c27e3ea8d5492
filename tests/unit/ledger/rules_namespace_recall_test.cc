// Issue 12: only organisation X creates urn:jejak:lot:X:... lots ([lot-namespace]), and what a
// recall forbids ([recalled-lot]).
#include <gtest/gtest.h>

#include "node/ledger/rule_codes.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kOwnLot = std::string("urn:jejak:lot:") + kGayo + ":h-001";
const std::string kRoasterLot = std::string("urn:jejak:lot:") + kRoaster + ":r-001";
const std::string kPallet = "urn:epc:id:sscc:8990001.0000000001";

TEST(LotNamespaceTest, CommissioningInAnotherMembersNamespaceIsRefused) {
  Chain chain;
  ExpectRefusal(chain.Apply(kGayo, chain.events().Commission(kRoasterLot, 10)),
             StatusCode::kPermissionDenied, rule::kLotNamespace,
             {kRoasterLot, "cannot be created by koperasi-gayo",
              "belongs to organisation roaster-bandung"});
  EXPECT_TRUE(chain.Lot(kRoasterLot).lot_id().empty()) << "nothing may change";
  chain.MustApply(kRoaster, chain.events().Commission(kRoasterLot, 10));
  chain.MustApply(kGayo, chain.events().Commission(kOwnLot, 10));
}

TEST(LotNamespaceTest, ANamespaceOfNoMemberIsRefusedToo) {
  Chain chain;
  ExpectRefusal(chain.Apply(kGayo, chain.events().Commission("urn:jejak:lot:gayo:h-001", 10)),
             StatusCode::kPermissionDenied, rule::kLotNamespace,
             {"belongs to no member organisation", "urn:jejak:lot:koperasi-gayo:<local-id>"});
}

TEST(LotNamespaceTest, TransformationOutputsAndPackingParentsFollowTheRule) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kOwnLot, 100));
  ExpectRefusal(chain.Apply(kGayo, chain.events().Transform({{kOwnLot, 100}}, {{kRoasterLot, 80}})),
             StatusCode::kPermissionDenied, rule::kLotNamespace, {kRoasterLot});
  EXPECT_EQ(chain.Lot(kOwnLot).remaining_micros(), 100'000'000) << "a refused event changes nothing";
  const std::string crate = std::string("urn:jejak:lot:") + kRoaster + ":crate-1";
  ExpectRefusal(chain.Apply(kGayo, chain.events().Pack(crate, {kOwnLot})),
             StatusCode::kPermissionDenied, rule::kLotNamespace, {crate});
  // GS1 keys are allocated by their company prefix owner, which the ledger cannot know.
  chain.MustApply(kGayo, chain.events().Pack(kPallet, {kOwnLot}));
}

class RecalledLotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain_.MustApply(kGayo, chain_.events().Commission(kOwnLot, 100));
    chain_.MustApply(kGayo, chain_.events().Observe(kOwnLot, "recalled"));
    ASSERT_EQ(chain_.Lot(kOwnLot).disposition(), "recalled");
  }
  Chain chain_;
};

TEST_F(RecalledLotTest, ARecalledLotIsNotTransformed) {
  const std::string out = std::string("urn:jejak:lot:") + kGayo + ":dried-1";
  ExpectRefusal(chain_.Apply(kGayo, chain_.events().Transform({{kOwnLot, 100}}, {{out, 50}})),
             StatusCode::kInvalid, rule::kRecalledLot, {kOwnLot, "is recalled", "be transformed"});
  EXPECT_EQ(chain_.Lot(kOwnLot).remaining_micros(), 100'000'000);
  EXPECT_TRUE(chain_.Lot(out).lot_id().empty());
}

TEST_F(RecalledLotTest, ARecalledLotIsNotPackedAndARecalledParentTakesNoMore) {
  ExpectRefusal(chain_.Apply(kGayo, chain_.events().Pack(kPallet, {kOwnLot})), StatusCode::kInvalid,
             rule::kRecalledLot, {kOwnLot, "be packed"});
  EXPECT_TRUE(chain_.Lot(kOwnLot).packed_in().empty());
  const std::string other = std::string("urn:jejak:lot:") + kGayo + ":h-002";
  chain_.MustApply(kGayo, chain_.events().Commission(other, 5));
  chain_.MustApply(kGayo, chain_.events().Pack(kPallet, {other}));
  chain_.MustApply(kGayo, chain_.events().Observe(kPallet, "recalled"));
  const std::string third = std::string("urn:jejak:lot:") + kGayo + ":h-003";
  chain_.MustApply(kGayo, chain_.events().Commission(third, 5));
  ExpectRefusal(chain_.Apply(kGayo, chain_.events().Pack(kPallet, {third})), StatusCode::kInvalid,
             rule::kRecalledLot, {kPallet, "take more lots"});
}

TEST_F(RecalledLotTest, ShippingAndReceivingMoveARecalledLotWithoutLiftingTheRecall) {
  v1::Event ship = chain_.events().Ship(kOwnLot, OrgPartyId(kTrucks));
  ship.set_disposition("in_transit");
  chain_.MustApply(kGayo, ship);
  EXPECT_EQ(chain_.Lot(kOwnLot).disposition(), "recalled");
  v1::Event receive = chain_.events().Receive(kOwnLot);
  receive.set_disposition("in_progress");
  chain_.MustApply(kTrucks, receive);
  EXPECT_EQ(chain_.Lot(kOwnLot).disposition(), "recalled");
  EXPECT_EQ(chain_.Lot(kOwnLot).custodian(), kTrucks);
}

TEST_F(RecalledLotTest, AnObservationWithAnotherDispositionLiftsTheRecall) {
  chain_.MustApply(kGayo, chain_.events().Observe(kOwnLot, "active"));
  EXPECT_EQ(chain_.Lot(kOwnLot).disposition(), "active");
  chain_.MustApply(kGayo, chain_.events().Pack(kPallet, {kOwnLot}));
}

}  // namespace
}  // namespace jejak::ledger
