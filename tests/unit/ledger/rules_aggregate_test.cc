// Packing and unpacking; packed lots move with their parent.
#include <gtest/gtest.h>

#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kPallet = "urn:epc:id:sscc:8990001.0000000001";
const std::string kBox = "urn:epc:id:sscc:8990001.0000000002";
const std::string kSack1 = "urn:jejak:lot:koperasi-gayo:sack-1";
const std::string kSack2 = "urn:jejak:lot:koperasi-gayo:sack-2";

class AggregateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain_.MustApply(kGayo, chain_.events().Commission(kSack1, 60));
    chain_.MustApply(kGayo, chain_.events().Commission(kSack2, 60));
  }
  Chain chain_;
};

TEST_F(AggregateTest, PackedChildrenMoveWithTheParent) {
  chain_.MustApply(kGayo, chain_.events().Pack(kPallet, {kSack1, kSack2}));
  EXPECT_EQ(chain_.Lot(kPallet).custodian(), kGayo);
  EXPECT_EQ(chain_.Lot(kSack1).packed_in(), kPallet);
  chain_.MustApply(kGayo, chain_.events().Ship(kPallet, kRoasterPgln, kRoasterPgln));
  EXPECT_EQ(chain_.Lot(kSack1).owner(), kRoaster);
  chain_.MustApply(kRoaster, chain_.events().Receive(kPallet));
  EXPECT_EQ(chain_.Lot(kSack1).custodian(), kRoaster);
  EXPECT_EQ(chain_.Lot(kSack2).custodian(), kRoaster);
  // The sack's own history shows the pallet's journey.
  auto history = LotHistory(chain_.store(), kSack1);
  ASSERT_TRUE(history.ok());
  std::vector<std::string> kinds;
  for (const auto& r : *history) kinds.push_back(r.kind());
  EXPECT_EQ(kinds, (std::vector<std::string>{"commissioning", "packing", "shipping", "receiving"}));
  chain_.MustApply(kRoaster, chain_.events().Unpack(kPallet, {}));
  EXPECT_TRUE(chain_.Lot(kSack1).packed_in().empty());
  EXPECT_TRUE(chain_.Lot(kSack2).packed_in().empty());
  chain_.MustApply(kRoaster, chain_.events().Transform({{kSack1, 60}}, {{"urn:jejak:lot:roaster-bandung:r1", 50}}));
}

TEST_F(AggregateTest, NestedPackingMovesGrandchildren) {
  chain_.MustApply(kGayo, chain_.events().Pack(kBox, {kSack1}));
  chain_.MustApply(kGayo, chain_.events().Pack(kPallet, {kBox}));
  chain_.MustApply(kGayo, chain_.events().Ship(kPallet, OrgPartyId(kTrucks)));
  chain_.MustApply(kTrucks, chain_.events().Receive(kPallet));
  EXPECT_EQ(chain_.Lot(kSack1).custodian(), kTrucks);
  EXPECT_EQ(chain_.Lot(kBox).custodian(), kTrucks);
  EXPECT_EQ(chain_.Lot(kSack2).custodian(), kGayo);
}

TEST_F(AggregateTest, PackedLotsCannotMoveAlone) {
  chain_.MustApply(kGayo, chain_.events().Pack(kPallet, {kSack1}));
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Ship(kSack1, kRoasterPgln)),
                 StatusCode::kInvalid, {kSack1, "packed in " + kPallet, "or unpack it first"});
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Pack(kBox, {kSack1})), StatusCode::kInvalid,
                 {kSack1, "packed in"});
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({{kSack1, 1}}, {{"urn:jejak:lot:koperasi-gayo:z", 1}})),
                 StatusCode::kInvalid, {kSack1, "packed in"});
}

TEST_F(AggregateTest, RejectsCyclesAndForeignLots) {
  chain_.MustApply(kGayo, chain_.events().Pack(kBox, {kSack1}));
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Pack(kSack1, {kBox})), StatusCode::kInvalid,
                 {"lot " + kBox + " cannot be packed into " + kSack1, "packed inside it"});
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Pack(kSack2, {kSack2})), StatusCode::kInvalid,
                 {"the lot itself"});
  chain_.MustApply(kRoaster, chain_.events().Commission("urn:jejak:lot:roaster-bandung:bag", 1));
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Pack(kPallet, {"urn:jejak:lot:roaster-bandung:bag"})),
                 StatusCode::kPermissionDenied,
                 {"lot urn:jejak:lot:roaster-bandung:bag is held by roaster-bandung, not by koperasi-gayo: "
                  "only the custodian may pack it"});
  ExpectRejected(chain_.Apply(kRoaster, chain_.events().Pack(kBox, {"urn:jejak:lot:roaster-bandung:bag"})),
                 StatusCode::kPermissionDenied, {kBox, "only the custodian may pack lots into it"});
  v1::Event no_parent = chain_.events().Pack(kPallet, {kSack2});
  no_parent.clear_parent_id();
  ExpectRejected(chain_.Apply(kGayo, no_parent), StatusCode::kInvalid, {"parentID"});
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Pack(kPallet, {})), StatusCode::kInvalid,
                 {"child"});
}

TEST_F(AggregateTest, UnpackChecksMembershipAndCustody) {
  chain_.MustApply(kGayo, chain_.events().Pack(kPallet, {kSack1}));
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Unpack(kPallet, {kSack2})),
                 StatusCode::kInvalid, {"lot " + kSack2 + " is not packed in " + kPallet});
  ExpectRejected(chain_.Apply(kRoaster, chain_.events().Unpack(kPallet, {kSack1})),
                 StatusCode::kPermissionDenied, {kPallet, "only the custodian may unpack it"});
  chain_.MustApply(kGayo, chain_.events().Ship(kPallet, kRoasterPgln));
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Unpack(kPallet, {kSack1})),
                 StatusCode::kInvalid, {kPallet, "in transit"});
  chain_.MustApply(kRoaster, chain_.events().Receive(kPallet));
  chain_.MustApply(kRoaster, chain_.events().Unpack(kPallet, {kSack1}));
  EXPECT_EQ(chain_.Lot(kSack1).custodian(), kRoaster);
  EXPECT_TRUE(chain_.Lot(kSack1).packed_in().empty());
}

}  // namespace
}  // namespace jejak::ledger
