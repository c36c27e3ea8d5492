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

std::string Code(std::string_view code) { return "[" + std::string(code) + "]"; }

void ExpectRule(const Status& s, StatusCode status_code, std::string_view rule,
                std::initializer_list<std::string> fragments) {
  EXPECT_EQ(s.code(), status_code) << s.ToString();
  EXPECT_EQ(s.message().rfind(Code(rule), 0), 0u) << "no rule code " << Code(rule) << " in: " << s.message();
  for (const std::string& f : fragments) {
    EXPECT_NE(s.message().find(f), std::string::npos) << "missing \"" << f << "\" in: " << s.message();
  }
}

TEST(LotNamespaceTest, CommissioningInAnotherMembersNamespaceIsRefused) {
  Chain chain;
  ExpectRule(chain.Apply(kGayo, chain.events().Commission(kRoasterLot, 10)),
             StatusCode::kPermissionDenied, rule::kLotNamespace,
             {kRoasterLot, "cannot be created by koperasi-gayo",
              "belongs to organisation roaster-bandung"});
  EXPECT_TRUE(chain.Lot(kRoasterLot).lot_id().empty()) << "nothing may change";
  chain.MustApply(kRoaster, chain.events().Commission(kRoasterLot, 10));
  chain.MustApply(kGayo, chain.events().Commission(kOwnLot, 10));
}

TEST(LotNamespaceTest, ANamespaceOfNoMemberIsRefusedToo) {
  Chain chain;
  ExpectRule(chain.Apply(kGayo, chain.events().Commission("urn:jejak:lot:gayo:h-001", 10)),
             StatusCode::kPermissionDenied, rule::kLotNamespace,
             {"belongs to no member organisation", "urn:jejak:lot:koperasi-gayo:<local-id>"});
}

TEST(LotNamespaceTest, TransformationOutputsAndPackingParentsFollowTheRule) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kOwnLot, 100));
  ExpectRule(chain.Apply(kGayo, chain.events().Transform({{kOwnLot, 100}}, {{kRoasterLot, 80}})),
             StatusCode::kPermissionDenied, rule::kLotNamespace, {kRoasterLot});
  EXPECT_EQ(chain.Lot(kOwnLot).remaining_micros(), 100'000'000) << "a refused event changes nothing";
  const std::string crate = std::string("urn:jejak:lot:") + kRoaster + ":crate-1";
  ExpectRule(chain.Apply(kGayo, chain.events().Pack(crate, {kOwnLot})),
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
  ExpectRule(chain_.Apply(kGayo, chain_.events().Transform({{kOwnLot, 100}}, {{out, 50}})),
             StatusCode::kInvalid, rule::kRecalledLot, {kOwnLot, "is recalled", "be transformed"});
  EXPECT_EQ(chain_.Lot(kOwnLot).remaining_micros(), 100'000'000);
  EXPECT_TRUE(chain_.Lot(out).lot_id().empty());
}

TEST_F(RecalledLotTest, ARecalledLotIsNotPackedAndARecalledParentTakesNoMore) {
  ExpectRule(chain_.Apply(kGayo, chain_.events().Pack(kPallet, {kOwnLot})), StatusCode::kInvalid,
             rule::kRecalledLot, {kOwnLot, "be packed"});
  EXPECT_TRUE(chain_.Lot(kOwnLot).packed_in().empty());
  const std::string other = std::string("urn:jejak:lot:") + kGayo + ":h-002";
  chain_.MustApply(kGayo, chain_.events().Commission(other, 5));
  chain_.MustApply(kGayo, chain_.events().Pack(kPallet, {other}));
  chain_.MustApply(kGayo, chain_.events().Observe(kPallet, "recalled"));
  const std::string third = std::string("urn:jejak:lot:") + kGayo + ":h-003";
  chain_.MustApply(kGayo, chain_.events().Commission(third, 5));
  ExpectRule(chain_.Apply(kGayo, chain_.events().Pack(kPallet, {third})), StatusCode::kInvalid,
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
