// Membership, roles, commissioning, shipping and receiving, observation and recall.
#include <gtest/gtest.h>

#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kLot = "urn:jejak:lot:koperasi-gayo:h-001";

TEST(CommissionTest, CreatesLotOwnedAndHeldBySigner) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  v1::LotRecord lot = chain.Lot(kLot);
  EXPECT_EQ(lot.lot_id(), kLot);
  EXPECT_EQ(lot.owner(), kGayo);
  EXPECT_EQ(lot.custodian(), kGayo);
  EXPECT_EQ(lot.quantity_micros(), 1000'000'000);
  EXPECT_EQ(lot.remaining_micros(), 1000'000'000);
  EXPECT_EQ(lot.uom(), "KGM");
  EXPECT_FALSE(lot.created_by_event_id().empty());
  auto history = LotHistory(chain.store(), kLot);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].kind(), "commissioning");
  EXPECT_EQ((*history)[0].signer_organization(), kGayo);
}

TEST(CommissionTest, InstanceAndDigitalLinkIdsAreNormalised) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().CommissionInstance("https://id.gs1.org/00/089900010000000012"));
  v1::LotRecord lot = chain.Lot("urn:epc:id:sscc:8990001.0000000001");
  EXPECT_TRUE(lot.instance()) << "normalised SSCC lot not found";
  EXPECT_EQ(lot.uom(), "EA");
}

TEST(CommissionTest, RejectsSecondCommissioning) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  ExpectRejected(chain.Apply(kGayo, chain.events().Commission(kLot, 500)),
                 StatusCode::kAlreadyExists, {kLot, "already exists", "only once"});
}

TEST(CommissionTest, RejectsMissingQuantityPatternsAndEmptyEvents) {
  Chain chain;
  v1::Event no_qty = chain.events().Commission(kLot, 0);
  no_qty.mutable_quantity_list(0)->clear_quantity_micros();
  no_qty.mutable_quantity_list(0)->clear_uom();
  ExpectRejected(chain.Apply(kGayo, no_qty), StatusCode::kInvalid, {kLot, "needs a quantity"});
  ExpectRejected(chain.Apply(kGayo, chain.events().Commission(kLot, -5)), StatusCode::kInvalid,
                 {"quantity", "negative"});
  ExpectRejected(chain.Apply(kGayo, chain.events().Commission("urn:epc:idpat:sgtin:8990001.000002.*", 5)),
                 StatusCode::kInvalid, {"product pattern, not a lot"});
  ExpectRejected(chain.Apply(kGayo, chain.events().Commission("urn:jejak:lot:gayo", 5)),
                 StatusCode::kInvalid, {"urn:jejak:lot:<org>:<local-id>"});
  v1::Event empty = chain.events().Commission(kLot, 1);
  empty.clear_quantity_list();
  ExpectRejected(chain.Apply(kGayo, empty), StatusCode::kInvalid, {"epcList"});
  v1::Event twice = chain.events().Commission(kLot, 1);
  AddQuantity(twice.mutable_quantity_list(), kLot, 2);
  ExpectRejected(chain.Apply(kGayo, twice), StatusCode::kInvalid, {kLot, "twice"});
}

TEST(MembershipTest, RejectsUnknownRetiredAndWrongRoleSigners) {
  Chain chain;
  ExpectRejected(chain.Apply("stranger", chain.events().Commission(kLot, 1)),
                 StatusCode::kPermissionDenied, {"not an agent key"});
  ExpectRejected(chain.Apply("retired", chain.events().Commission(kLot, 1)),
                 StatusCode::kPermissionDenied, {"no longer active"});
  ExpectRejected(chain.Apply(kTrucks, chain.events().Commission(kLot, 1)),
                 StatusCode::kPermissionDenied,
                 {"organisation logistik-jaya (roles: logistics) may not record commissioning",
                  "producer or processor"});
  v1::SignedEvent forged = Sign(kGayo, chain.events().Commission(kLot, 1));
  forged.set_signature(Sign(kGayo, chain.events().Commission(kLot, 2)).signature());
  auto w = chain.ledger().ApplyEvent(chain.store(), forged, {1, 0, kT0});
  ExpectRejected(w.status(), StatusCode::kPermissionDenied, {"does not match"});
  v1::SignedEvent garbage = Sign(kGayo, chain.events().Commission(kLot, 1));
  garbage.set_event_bytes("\xff\xff\xff");
  Ledger unchecked(TestGenesis(), {.verify_signatures = false});
  ExpectRejected(unchecked.ApplyEvent(chain.store(), garbage, {1, 0, kT0}).status(),
                 StatusCode::kInvalid, {"not a valid event"});
  v1::Event no_time = chain.events().Commission(kLot, 1);
  no_time.clear_event_time();
  ExpectRejected(chain.Apply(kGayo, no_time), StatusCode::kInvalid, {"eventTime"});
}

TEST(ShippingTest, ShipAndReceiveMovesCustodyNotOwnership) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  chain.MustApply(kGayo, chain.events().Ship(kLot, kRoasterPgln));
  v1::LotRecord in_transit = chain.Lot(kLot);
  EXPECT_EQ(in_transit.custodian(), kGayo);
  EXPECT_EQ(in_transit.in_transit().to_organization(), kRoaster);
  chain.MustApply(kRoaster, chain.events().Receive(kLot));
  v1::LotRecord received = chain.Lot(kLot);
  EXPECT_EQ(received.custodian(), kRoaster);
  EXPECT_EQ(received.owner(), kGayo);
  EXPECT_FALSE(received.has_in_transit());
  auto history = LotHistory(chain.store(), kLot);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[1].kind(), "shipping");
  EXPECT_EQ((*history)[2].kind(), "receiving");
}

TEST(ShippingTest, OwningPartyMovesOwnershipWhenShipperOwns) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  chain.MustApply(kGayo, chain.events().Ship(kLot, OrgPartyId(kTrucks), kRoasterPgln));
  EXPECT_EQ(chain.Lot(kLot).owner(), kRoaster);
  chain.MustApply(kTrucks, chain.events().Receive(kLot));
  EXPECT_EQ(chain.Lot(kLot).custodian(), kTrucks);
  // The trucker holds it but does not own it: it may ship, not hand over ownership.
  ExpectRejected(chain.Apply(kTrucks, chain.events().Ship(kLot, kRoasterPgln, OrgPartyId(kAuditor))),
                 StatusCode::kPermissionDenied,
                 {kLot, "owned by roaster-bandung, not by logistik-jaya", "only the owner"});
  chain.MustApply(kTrucks, chain.events().Ship(kLot, kRoasterPgln));
  chain.MustApply(kRoaster, chain.events().Receive(kLot));
  EXPECT_EQ(chain.Lot(kLot).custodian(), kRoaster);
}

TEST(ShippingTest, RejectsWhoeverIsNotTheCustodian) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  ExpectRejected(chain.Apply(kRoaster, chain.events().Ship(kLot, OrgPartyId(kTrucks))),
                 StatusCode::kPermissionDenied,
                 {"lot urn:jejak:lot:koperasi-gayo:h-001 is held by koperasi-gayo, not by roaster-bandung: "
                  "only the custodian may ship it"});
}

TEST(ShippingTest, RejectsBadDestinationsAndPartialShipments) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  v1::Event no_dest = chain.events().Ship(kLot, kRoasterPgln);
  no_dest.clear_destination_list();
  ExpectRejected(chain.Apply(kGayo, no_dest), StatusCode::kInvalid,
                 {"receiving party", "possessing_party"});
  ExpectRejected(chain.Apply(kGayo, chain.events().Ship(kLot, "urn:epc:id:pgln:0000000.99999")),
                 StatusCode::kNotFound, {"urn:epc:id:pgln:0000000.99999", "not a party"});
  ExpectRejected(chain.Apply(kGayo, chain.events().Ship(kLot, OrgPartyId(kGayo))),
                 StatusCode::kInvalid, {"own organisation"});
  v1::Event partial = chain.events().Ship(kLot, kRoasterPgln);
  partial.clear_epc_list();
  AddQuantity(partial.mutable_quantity_list(), kLot, 400);
  ExpectRejected(chain.Apply(kGayo, partial), StatusCode::kInvalid,
                 {kLot, "holds 1000 KGM", "whole lot, not 400 KGM"});
  v1::Event uri_types = chain.events().Ship(kLot, kRoasterPgln);
  uri_types.mutable_destination_list(0)->set_type("https://ref.gs1.org/cbv/SDT-possessing_party");
  uri_types.set_biz_step("https://ref.gs1.org/cbv/BizStep-shipping");
  chain.MustApply(kGayo, uri_types);
  EXPECT_EQ(chain.Lot(kLot).in_transit().to_organization(), kRoaster);
}

TEST(ShippingTest, InTransitLotsCannotBeShippedAgainAndUnknownLotsAreNotFound) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  chain.MustApply(kGayo, chain.events().Ship(kLot, kRoasterPgln));
  ExpectRejected(chain.Apply(kGayo, chain.events().Ship(kLot, OrgPartyId(kTrucks))),
                 StatusCode::kInvalid, {kLot, "in transit to roaster-bandung"});
  ExpectRejected(chain.Apply(kGayo, chain.events().Ship("urn:jejak:lot:koperasi-gayo:nope", kRoasterPgln)),
                 StatusCode::kNotFound, {"urn:jejak:lot:koperasi-gayo:nope", "not been commissioned"});
}

TEST(ReceivingTest, OnlyTheNamedReceiverReceives) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  ExpectRejected(chain.Apply(kRoaster, chain.events().Receive(kLot)), StatusCode::kInvalid,
                 {kLot, "not in transit"});
  chain.MustApply(kGayo, chain.events().Ship(kLot, kRoasterPgln));
  ExpectRejected(chain.Apply(kTrucks, chain.events().Receive(kLot)),
                 StatusCode::kPermissionDenied,
                 {kLot, "shipped to roaster-bandung, not to logistik-jaya",
                  "only the named receiver"});
  ExpectRejected(chain.Apply(kCertifier, chain.events().Receive(kLot)),
                 StatusCode::kPermissionDenied, {"may not record receiving"});
}

TEST(RecallTest, SetsDispositionByOwnerCustodianOrOverseer) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  ExpectRejected(chain.Apply(kRoaster, chain.events().Observe(kLot, "recalled")),
                 StatusCode::kPermissionDenied,
                 {kLot, "held by koperasi-gayo and owned by koperasi-gayo, not by roaster-bandung",
                  "recall"});
  chain.MustApply(kAuditor, chain.events().Observe(kLot, "recalled"));
  EXPECT_EQ(chain.Lot(kLot).disposition(), "recalled");
  auto history = LotHistory(chain.store(), kLot);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().kind(), "recall");
  chain.MustApply(kGayo, chain.events().Observe(kLot, "https://ref.gs1.org/cbv/Disp-active"));
  EXPECT_EQ(chain.Lot(kLot).disposition(), "active");
  EXPECT_EQ(LotHistory(chain.store(), kLot)->back().kind(), "observation");
}

TEST(IdempotencyTest, SameEventTwiceChangesNothing) {
  Chain chain;
  v1::Event e = chain.events().Commission(kLot, 1000);
  chain.MustApply(kGayo, e);
  MemoryStore before = chain.store();
  auto again = chain.ledger().ApplyEvent(chain.store(), Sign(kGayo, e), {2, 0, kT0});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->empty());
  // The eventID and recordTime are not part of the identity either.
  v1::Event restated = e;
  restated.set_record_time("2026-03-05T00:00:00Z");
  auto restated_writes = chain.ledger().ApplyEvent(chain.store(), Sign(kGayo, restated), {2, 1, kT0});
  ASSERT_TRUE(restated_writes.ok());
  EXPECT_TRUE(restated_writes->empty());
  EXPECT_TRUE(chain.store() == before);
}

}  // namespace
}  // namespace jejak::ledger
