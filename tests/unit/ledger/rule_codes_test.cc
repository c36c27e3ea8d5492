// The published rule codes: unique, in docs/design.md, and the precise one for the refusals a
// client most needs to tell apart (conflicting custody claims, over-consumption, duplicates,
// forged signatures). Every other refusal test checks that some published code is present
// (test_support.h, ExpectRejected).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kLot = "urn:jejak:lot:koperasi-gayo:h-001";

TEST(RuleCodesTest, AreUniqueLowerCaseWordsJoinedByHyphens) {
  std::set<std::string_view> seen;
  for (std::string_view code : rule::kAll) {
    EXPECT_TRUE(seen.insert(code).second) << "listed twice: " << code;
    EXPECT_FALSE(code.empty());
    for (char c : code) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') << code;
    EXPECT_NE(code.front(), '-');
    EXPECT_NE(code.back(), '-');
  }
  for (std::string_view code : epcis::rule::kAll) {
    EXPECT_TRUE(seen.insert(code).second) << "an EPCIS code is also a ledger code: " << code;
  }
}

TEST(RuleCodesTest, EveryCodeIsListedInTheDesign) {
  std::ifstream in(std::string(JEJAK_SOURCE_DIR) + "/docs/design.md");
  ASSERT_TRUE(in) << "docs/design.md not found under " << JEJAK_SOURCE_DIR;
  std::stringstream text;
  text << in.rdbuf();
  auto listed = [&](std::string_view code) {
    return text.str().find("`" + std::string(code) + "`") != std::string::npos;
  };
  for (std::string_view code : rule::kAll) EXPECT_TRUE(listed(code)) << code << " is not in docs/design.md";
  for (std::string_view code : epcis::rule::kAll) EXPECT_TRUE(listed(code)) << code << " is not in docs/design.md";
}

TEST(RuleCodesTest, ConflictingCustodyClaimsAreToldApart) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  // Another organisation ships a lot it does not hold.
  ExpectRefusal(chain.Apply(kRoaster, chain.events().Ship(kLot, OrgPartyId(kTrucks))), StatusCode::kPermissionDenied,
                rule::kNotCustodian, {kLot});
  // Receiving what was never shipped.
  ExpectRefusal(chain.Apply(kRoaster, chain.events().Receive(kLot)), StatusCode::kInvalid, rule::kReceiveNotInTransit,
                {kLot});
  chain.MustApply(kGayo, chain.events().Ship(kLot, kRoasterPgln));
  // Shipped twice: it is on its way already.
  ExpectRefusal(chain.Apply(kGayo, chain.events().Ship(kLot, kRoasterPgln)), StatusCode::kInvalid,
                rule::kLotInTransit, {kLot});
  // Received by someone it was not shipped to.
  ExpectRefusal(chain.Apply(kTrucks, chain.events().Receive(kLot)), StatusCode::kPermissionDenied,
                rule::kNotReceiver, {kLot});
}

TEST(RuleCodesTest, OverConsumptionAndMassBalanceAreToldApart) {
  Chain chain;
  const std::string green = "urn:jejak:lot:koperasi-gayo:g-001";
  chain.MustApply(kGayo, chain.events().Commission(kLot, 100));
  ExpectRefusal(chain.Apply(kGayo, chain.events().Transform({{kLot, 101}}, {{green, 50}})), StatusCode::kInvalid,
                rule::kOverConsumption, {kLot});
  ExpectRefusal(chain.Apply(kGayo, chain.events().Transform({{kLot, 100}}, {{green, 101}})), StatusCode::kInvalid,
                rule::kMassBalance, {});
}

TEST(RuleCodesTest, DuplicatesAndForgeriesHaveTheirOwnCodes) {
  Chain chain;
  v1::Event first = chain.events().Commission(kLot, 1000);
  first.set_event_id("urn:uuid:7d0b4a4e-0f4c-4b9e-9a51-0c1f3c6d2a10");
  chain.MustApply(kGayo, first);
  ExpectRefusal(chain.Apply(kGayo, chain.events().Commission(kLot, 5)), StatusCode::kAlreadyExists, rule::kLotExists,
                {kLot});
  v1::Event reused = chain.events().Commission("urn:jejak:lot:koperasi-gayo:h-002", 5);
  reused.set_event_id(first.event_id());
  ExpectRefusal(chain.Apply(kGayo, reused), StatusCode::kAlreadyExists, rule::kEventIdTaken, {first.event_id()});
  v1::Event twice = chain.events().Commission("urn:jejak:lot:koperasi-gayo:h-003", 5);
  *twice.add_quantity_list() = twice.quantity_list(0);
  ExpectRefusal(chain.Apply(kGayo, twice), StatusCode::kInvalid, rule::kLotRepeated, {"twice"});

  v1::SignedEvent forged = Sign(kGayo, chain.events().Commission("urn:jejak:lot:koperasi-gayo:h-004", 1));
  forged.set_signature(Sign(kGayo, chain.events().Commission("urn:jejak:lot:koperasi-gayo:h-005", 1)).signature());
  ExpectRefusal(chain.ledger().ApplyEvent(chain.store(), forged, {1, 0, kT0}).status(), StatusCode::kPermissionDenied,
                rule::kSignatureInvalid, {});
  v1::SignedEvent unknown = forged;
  unknown.set_signer_key_id("nobody-key");
  ExpectRefusal(chain.ledger().ApplyEvent(chain.store(), unknown, {1, 0, kT0}).status(),
                StatusCode::kPermissionDenied, rule::kSignerUnknown, {"nobody-key"});
  v1::SignedEvent garbage = forged;
  garbage.set_event_bytes("\xff\xff\xff");
  Ledger unchecked(TestGenesis(), {.verify_signatures = false});
  ExpectRefusal(unchecked.ApplyEvent(chain.store(), garbage, {1, 0, kT0}).status(), StatusCode::kInvalid,
                rule::kEventEncoding, {});
}

TEST(RuleCodesTest, AnEpcisRefusalWithoutACodeOfItsOwnFallsUnderEpcisFormat) {
  Chain chain;
  v1::Event bad_biz_step = chain.events().Commission(kLot, 1);
  bad_biz_step.set_biz_step("not a uri");
  const Status refused = chain.Apply(kGayo, bad_biz_step);
  ExpectRefusal(refused, StatusCode::kInvalid, epcis::rule::kEpcisFormat, {"bizStep"});
}

}  // namespace
}  // namespace jejak::ledger
