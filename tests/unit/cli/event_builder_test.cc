// The events the recording commands build: their EPCIS shape, and that the real ledger accepts
// them (each command, signed by the organisation that would run it).
#include "cli/event_flags.h"
#include "node/ledger/event_builders.h"

#include <gtest/gtest.h>

#include "cli_test_support.h"
#include "node/epcis/document.h"
#include "node/epcis/event_id.h"
#include "node/ledger/vocabulary.h"

namespace jejak::cli {
namespace {

using namespace testing;  // NOLINT

constexpr int64_t kT0 = 1772352000000;  // 2026-03-01T08:00:00Z
const std::string kHarvest = "urn:jejak:lot:koperasi-gayo:h-001";
const std::string kGreen = "urn:jejak:lot:koperasi-gayo:g-001";
const std::string kHusk = "urn:jejak:lot:koperasi-gayo:husk-001";
const std::string kPallet = "urn:epc:id:sscc:8990001.0000000001";
const std::string kLgtin = "urn:epc:class:lgtin:8990001.000012.H7";
const std::string kSgtin = "urn:epc:id:sgtin:8990001.000012.77";
const std::string kLocation = "urn:epc:id:sgln:8990001.00001.0";

// Each call is a minute later, so no two events are alike by accident.
class Clock {
 public:
  ledger::EventClock Next() { return {now_ms_ += 60000, "+07:00"}; }

 private:
  int64_t now_ms_ = kT0;
};

std::optional<epcis::Quantity> Q(std::string_view text) { return *epcis::Quantity::Parse(text); }
std::optional<epcis::Quantity> Q(double value) { return *epcis::Quantity::FromDouble(value); }

class BuilderTest : public ::testing::Test {
 protected:
  v1::Event Commission(const std::string& lot, double quantity, const std::string& product = "") {
    ledger::CommissionSpec spec{lot, Q(quantity), "KGM", product, kLocation};
    return Must(ledger::BuildCommission(spec, clock_.Next()));
  }
  void MustApply(const std::string& org, const Result<v1::Event>& event) {
    ASSERT_OK(event);
    ASSERT_OK(chain_.Apply(org, *event));
  }
  Chain chain_;
  Clock clock_;
};

TEST_F(BuilderTest, CommissionCreatesTheLotWithTimeQuantityProductAndPlace) {
  ledger::EventClock at{kT0, "+07:00"};
  auto event = ledger::BuildCommission({kHarvest, Q("1000"), "KGM", "cherries", kLocation}, at);
  ASSERT_OK(event);
  EXPECT_EQ(event->type(), v1::OBJECT_EVENT);
  EXPECT_EQ(event->action(), v1::ADD);
  EXPECT_EQ(event->biz_step(), "commissioning");
  EXPECT_EQ(event->event_time(), "2026-03-01T08:00:00.000Z");
  EXPECT_EQ(event->event_time_ms(), kT0);
  EXPECT_EQ(event->event_time_zone_offset(), "+07:00");
  EXPECT_EQ(event->read_point().id(), kLocation);
  EXPECT_EQ(event->biz_location().id(), kLocation);
  ASSERT_EQ(event->quantity_list_size(), 1);
  EXPECT_EQ(event->quantity_list(0).epc_class(), kHarvest);
  EXPECT_EQ(event->quantity_list(0).quantity_micros(), 1000'000'000);
  EXPECT_EQ(event->quantity_list(0).uom(), "KGM");
  ASSERT_TRUE(event->has_ilmd());
  EXPECT_EQ(ledger::FindJejakMember(*event, event->ilmd(), "product"), "\"cherries\"");

  MustApply(kGayo, event);
  v1::LotRecord lot = chain_.Lot(kHarvest);
  EXPECT_EQ(lot.quantity_micros(), 1000'000'000);
  EXPECT_EQ(lot.uom(), "KGM");
  EXPECT_EQ(lot.product(), "cherries");
  EXPECT_EQ(lot.owner(), kGayo);
  EXPECT_EQ(lot.custodian(), kGayo);
  EXPECT_EQ(chain_.LastKind(kHarvest), "commissioning");
}

TEST_F(BuilderTest, GS1LotsAndSingleObjectsGoWhereEpcisWantsThem) {
  auto lgtin = ledger::BuildCommission({kLgtin, Q("20"), "KGM", "", ""}, clock_.Next());
  ASSERT_OK(lgtin);
  EXPECT_EQ(lgtin->quantity_list(0).epc_class(), kLgtin);
  EXPECT_FALSE(lgtin->has_read_point());
  MustApply(kGayo, lgtin);

  auto item = ledger::BuildCommission({kSgtin, std::nullopt, "", "", ""}, clock_.Next());
  ASSERT_OK(item);
  ASSERT_EQ(item->epc_list_size(), 1);
  EXPECT_EQ(item->quantity_list_size(), 0);
  MustApply(kGayo, item);
  EXPECT_EQ(chain_.Lot(kSgtin).uom(), "EA");

  ExpectInvalid(ledger::BuildCommission({kSgtin, Q("5"), "KGM", "", ""}, clock_.Next()).status(),
                "single object");

  // A GS1 Digital Link names the same lot as its EPC URN, and is written in that one form.
  auto link = ledger::BuildShip({{"https://id.gs1.org/01/08990001000128/10/H7"}, kRoaster, "", false, ""},
                        clock_.Next());
  ASSERT_OK(link);
  ASSERT_EQ(link->quantity_list_size(), 1);
  EXPECT_EQ(link->quantity_list(0).epc_class(), kLgtin);
  MustApply(kGayo, link);
  EXPECT_EQ(chain_.LastKind(kLgtin), "shipping");
  ExpectInvalid(ledger::BuildShip({{"https://id.gs1.org/01/08990001000129/10/H7"}, kRoaster, "", false, ""},
                          clock_.Next())
                    .status(),
                "check digit");
}

TEST_F(BuilderTest, CommissionRefusesWhatTheLedgerOrEpcisWouldRefuse) {
  ledger::EventClock at = clock_.Next();
  ExpectInvalid(ledger::BuildCommission({kHarvest, std::nullopt, "KGM", "", ""}, at).status(),
                "needs --quantity");
  ExpectInvalid(ledger::BuildCommission({kHarvest, Q("0"), "KGM", "", ""}, at).status(), "needs --quantity");
  ExpectInvalid(ledger::BuildCommission({kHarvest, Q("10"), "", "", ""}, at).status(), "--uom");
  ExpectInvalid(ledger::BuildCommission({kHarvest, Q("10"), "kilo", "", ""}, at).status(), "uom");
  ExpectInvalid(ledger::BuildCommission({"", Q("10"), "KGM", "", ""}, at).status(), "empty");
  ExpectInvalid(ledger::BuildCommission({"urn:jejak:lot:Gayo Coop:1", Q("10"), "KGM", "", ""}, at).status(),
                "lot");
  ExpectInvalid(
      ledger::BuildCommission({"urn:epc:idpat:sgtin:8990001.000012.*", Q("10"), "KGM", "", ""}, at).status(),
      "product pattern");
  ExpectInvalid(ledger::BuildCommission({kHarvest, Q("10"), "KGM", "", "the big shed"}, at).status(),
                "readPoint.id");
}

TEST_F(BuilderTest, ShipAndReceiveMoveCustodyAndOwnership) {
  MustApply(kGayo, Commission(kHarvest, 1000));
  auto ship = ledger::BuildShip({{kHarvest}, kRoaster, kGayo, true, ""}, clock_.Next());
  ASSERT_OK(ship);
  EXPECT_EQ(ship->biz_step(), "shipping");
  ASSERT_EQ(ship->destination_list_size(), 2);
  EXPECT_EQ(ship->destination_list(0).type(), "possessing_party");
  EXPECT_EQ(ship->destination_list(0).id(), "urn:jejak:org:roaster-bandung");
  EXPECT_EQ(ship->destination_list(1).type(), "owning_party");
  ASSERT_EQ(ship->source_list_size(), 2);
  EXPECT_EQ(ship->source_list(0).id(), "urn:jejak:org:koperasi-gayo");
  MustApply(kGayo, ship);
  v1::LotRecord lot = chain_.Lot(kHarvest);
  EXPECT_EQ(lot.owner(), kRoaster);
  EXPECT_EQ(lot.in_transit().to_organization(), kRoaster);
  EXPECT_EQ(chain_.LastKind(kHarvest), "shipping");

  auto receive = ledger::BuildReceive({{kHarvest}, kGayo, kRoaster, kLocation}, clock_.Next());
  ASSERT_OK(receive);
  EXPECT_EQ(receive->biz_step(), "receiving");
  EXPECT_EQ(receive->source_list(0).id(), "urn:jejak:org:koperasi-gayo");
  MustApply(kRoaster, receive);
  EXPECT_EQ(chain_.Lot(kHarvest).custodian(), kRoaster);
  EXPECT_FALSE(chain_.Lot(kHarvest).has_in_transit());
  EXPECT_EQ(chain_.LastKind(kHarvest), "receiving");
}

TEST_F(BuilderTest, ShipWithoutOwnershipKeepsTheOwner) {
  MustApply(kGayo, Commission(kHarvest, 1000));
  auto ship = ledger::BuildShip({{kHarvest}, kTrucks, "", false, ""}, clock_.Next());
  ASSERT_OK(ship);
  EXPECT_EQ(ship->destination_list_size(), 1);
  EXPECT_EQ(ship->source_list_size(), 0);
  MustApply(kGayo, ship);
  EXPECT_EQ(chain_.Lot(kHarvest).owner(), kGayo);
  ExpectInvalid(ledger::BuildShip({{kHarvest}, "", "", false, ""}, clock_.Next()).status(), "--to");
  ExpectInvalid(ledger::BuildShip({{}, kRoaster, "", false, ""}, clock_.Next()).status(), "lot to ship");
  ExpectInvalid(ledger::BuildReceive({{}, "", "", ""}, clock_.Next()).status(), "lot to receive");
}

TEST_F(BuilderTest, TransformConsumesInputsAndCreatesOutputsWithinMassBalance) {
  MustApply(kGayo, Commission(kHarvest, 1000));
  ledger::TransformSpec spec{{{kHarvest, Q("600")}},
                     {{kGreen, Q("480")}, {kHusk, std::nullopt}},
                     "KGM",
                     "green-beans",
                     kLocation};
  ExpectInvalid(ledger::BuildTransform(spec, clock_.Next()).status(), "needs a quantity");
  spec.outputs = {{kGreen, Q("480")}};
  auto event = ledger::BuildTransform(spec, clock_.Next());
  ASSERT_OK(event);
  EXPECT_EQ(event->type(), v1::TRANSFORMATION_EVENT);
  EXPECT_EQ(event->action(), v1::ACTION_UNSPECIFIED);
  EXPECT_EQ(event->input_quantity_list(0).epc_class(), kHarvest);
  EXPECT_EQ(event->output_quantity_list(0).uom(), "KGM");
  MustApply(kGayo, event);
  EXPECT_EQ(chain_.Lot(kHarvest).remaining_micros(), 400'000'000);
  EXPECT_EQ(chain_.Lot(kGreen).quantity_micros(), 480'000'000);
  EXPECT_EQ(chain_.Lot(kGreen).product(), "green-beans");
  EXPECT_EQ(chain_.LastKind(kGreen), "transformation");

  // An input without a quantity is consumed whole; 400 kg at yield 0.8 gives at most 320 kg.
  ledger::TransformSpec too_much{{{kHarvest, std::nullopt}}, {{kHusk, Q("330")}}, "KGM", "green-beans", ""};
  Status refused = chain_.Apply(kGayo, Must(ledger::BuildTransform(too_much, clock_.Next())));
  ExpectInvalid(refused, "[mass-balance]");
  ledger::TransformSpec whole{{{kHarvest, std::nullopt}}, {{kHusk, Q("320")}}, "KGM", "green-beans", ""};
  MustApply(kGayo, ledger::BuildTransform(whole, clock_.Next()));
  EXPECT_TRUE(chain_.Lot(kHarvest).consumed());
}

TEST_F(BuilderTest, TransformRefusesMissingSidesAndUnits) {
  ledger::EventClock at = clock_.Next();
  ExpectInvalid(ledger::BuildTransform({{}, {{kGreen, Q("1")}}, "KGM", "", ""}, at).status(), "--input");
  ExpectInvalid(ledger::BuildTransform({{{kHarvest, Q("1")}}, {}, "KGM", "", ""}, at).status(), "--output");
  ExpectInvalid(ledger::BuildTransform({{{kHarvest, Q("1")}}, {{kGreen, Q("1")}}, "", "", ""}, at).status(),
                "--uom");
}

TEST_F(BuilderTest, PackAndUnpackMoveChildrenWithTheParent) {
  MustApply(kGayo, Commission(kHarvest, 1000));
  MustApply(kGayo, Commission(kGreen, 300));
  auto pack = ledger::BuildPack({kPallet, {kHarvest, kGreen}, ""}, clock_.Next());
  ASSERT_OK(pack);
  EXPECT_EQ(pack->type(), v1::AGGREGATION_EVENT);
  EXPECT_EQ(pack->parent_id(), kPallet);
  EXPECT_EQ(pack->child_quantity_list_size(), 2);
  MustApply(kGayo, pack);
  EXPECT_EQ(chain_.Lot(kHarvest).packed_in(), kPallet);
  EXPECT_EQ(chain_.LastKind(kPallet), "packing");

  MustApply(kGayo, ledger::BuildShip({{kPallet}, kRoaster, kGayo, false, ""}, clock_.Next()));
  MustApply(kRoaster, ledger::BuildReceive({{kPallet}, kGayo, kRoaster, ""}, clock_.Next()));
  EXPECT_EQ(chain_.Lot(kGreen).custodian(), kRoaster);

  auto unpack_one = ledger::BuildUnpack({kPallet, {kGreen}, ""}, clock_.Next());
  MustApply(kRoaster, unpack_one);
  EXPECT_EQ(chain_.Lot(kGreen).packed_in(), "");
  EXPECT_EQ(chain_.Lot(kHarvest).packed_in(), kPallet);
  auto unpack_rest = ledger::BuildUnpack({kPallet, {}, ""}, clock_.Next());
  ASSERT_OK(unpack_rest);
  EXPECT_EQ(unpack_rest->child_epcs_size() + unpack_rest->child_quantity_list_size(), 0);
  MustApply(kRoaster, unpack_rest);
  EXPECT_EQ(chain_.Lot(kHarvest).packed_in(), "");
  EXPECT_EQ(chain_.LastKind(kHarvest), "unpacking");

  ExpectInvalid(ledger::BuildPack({kPallet, {}, ""}, clock_.Next()).status(), "--child");
  ExpectInvalid(ledger::BuildPack({kLgtin, {kHarvest}, ""}, clock_.Next()).status(), "parentID");
}

TEST_F(BuilderTest, InspectionIsRecordedByACertifier) {
  MustApply(kGayo, Commission(kHarvest, 1000));
  auto inspect = ledger::BuildInspect({kHarvest, "conformant", ""}, clock_.Next());
  ASSERT_OK(inspect);
  EXPECT_EQ(inspect->biz_step(), "inspecting");
  Status by_producer = chain_.Apply(kGayo, *inspect);
  EXPECT_EQ(by_producer.code(), StatusCode::kPermissionDenied) << by_producer.ToString();
  MustApply(kCertifier, inspect);
  EXPECT_EQ(chain_.LastKind(kHarvest), "inspection");
  EXPECT_EQ(chain_.Lot(kHarvest).disposition(), "conformant");
  ExpectInvalid(ledger::BuildInspect({kHarvest, "great", ""}, clock_.Next()).status(), "disposition");
}

TEST_F(BuilderTest, CertificationAttachesTheCertificate) {
  MustApply(kGayo, Commission(kHarvest, 1000));
  std::string hash = ledger::DocumentSha256Hex("organic certificate no. 17");
  EXPECT_EQ(hash.size(), 64u);
  ledger::CertifySpec spec{{kHarvest},
                   hash,
                   "Sucofindo",
                   "organic",
                   "2026-01-01T00:00:00Z",
                   "2026-12-31T23:59:59Z",
                   "https://certs.example/organic/17",
                   ""};
  auto certify = ledger::BuildCertify(spec, clock_.Next());
  ASSERT_OK(certify);
  ASSERT_EQ(certify->certification_info_size(), 1);
  ASSERT_TRUE(ledger::FindJejakMember(*certify, certify->extensions(), "certificate"));
  MustApply(kCertifier, certify);
  EXPECT_EQ(chain_.LastKind(kHarvest), "certification");
  auto back = ledger::TraceBack(chain_.store(), kHarvest);
  ASSERT_OK(back);
  ASSERT_EQ(back->nodes[0].certificates.size(), 1u);
  EXPECT_EQ(back->nodes[0].certificates[0].document_hash(), hash);
  EXPECT_EQ(back->nodes[0].certificates[0].scheme(), "organic");
  EXPECT_EQ(back->nodes[0].certificates[0].issuer(), "Sucofindo");

  ledger::CertifySpec no_info = spec;
  no_info.info_uri.clear();
  no_info.document_sha256_hex = ledger::DocumentSha256Hex("halal certificate");
  MustApply(kCertifier, ledger::BuildCertify(no_info, clock_.Next()));  // the member alone is enough

  ledger::CertifySpec bad = spec;
  bad.document_sha256_hex = "abcd";
  ExpectInvalid(ledger::BuildCertify(bad, clock_.Next()).status(), "64 hex");
  bad = spec;
  bad.valid_until = "2025-01-01T00:00:00Z";
  ExpectInvalid(ledger::BuildCertify(bad, clock_.Next()).status(), "before --valid-from");
  bad = spec;
  bad.valid_from = "soon";
  ExpectInvalid(ledger::BuildCertify(bad, clock_.Next()).status(), "--valid-from");
  bad = spec;
  bad.issuer.clear();
  ExpectInvalid(ledger::BuildCertify(bad, clock_.Next()).status(), "--issuer");
  bad = spec;
  bad.info_uri = "certificate 17";
  ExpectInvalid(ledger::BuildCertify(bad, clock_.Next()).status(), "certificationInfo");
}

TEST_F(BuilderTest, RecallSetsTheDispositionAndKeepsTheReason) {
  MustApply(kGayo, Commission(kHarvest, 1000));
  auto recall = ledger::BuildRecall({kHarvest, "aflatoxin above limit", ""}, clock_.Next());
  ASSERT_OK(recall);
  EXPECT_EQ(recall->disposition(), "recalled");
  EXPECT_EQ(ledger::FindJejakMember(*recall, recall->extensions(), "recallReason"),
            "\"aflatoxin above limit\"");
  MustApply(kGayo, recall);
  EXPECT_EQ(chain_.LastKind(kHarvest), "recall");
  EXPECT_EQ(chain_.Lot(kHarvest).disposition(), "recalled");
  // Recorded by someone who neither holds nor owns the lot, nor audits: refused.
  Status stranger = chain_.Apply(kRoaster, Must(ledger::BuildRecall({kHarvest, "", ""}, clock_.Next())));
  EXPECT_EQ(stranger.code(), StatusCode::kPermissionDenied) << stranger.ToString();
}

TEST_F(BuilderTest, CorrectionDeclaresTheOriginalErroneous) {
  v1::Event original = Commission(kHarvest, 1000);
  MustApply(kGayo, original);
  std::string original_id = Must(ledger::LedgerEventId(original));
  ledger::CorrectionSpec spec{
      original, original_id, "incorrect_data", {"urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"}};
  auto correction = ledger::BuildCorrection(spec, clock_.Next());
  ASSERT_OK(correction);
  EXPECT_EQ(correction->event_id(), original_id);  // the original had no eventID
  EXPECT_EQ(correction->error_declaration().reason(), "incorrect_data");
  EXPECT_EQ(Must(ledger::LedgerEventId(*correction)), original_id + "#errorDeclaration");
  MustApply(kGayo, correction);
  auto record = ledger::GetEvent(chain_.store(), original_id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_TRUE((*record)->declared_erroneous());
  EXPECT_EQ((*record)->corrective_event_ids_size(), 1);

  // The eventID an original was written with is kept.
  v1::Event named = Commission(kGreen, 10);
  named.set_event_id("urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  MustApply(kGayo, named);
  auto named_fix = ledger::BuildCorrection({named, Must(ledger::LedgerEventId(named)), "did_not_occur", {}},
                                   clock_.Next());
  ASSERT_OK(named_fix);
  EXPECT_EQ(named_fix->event_id(), "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  MustApply(kGayo, named_fix);

  ExpectInvalid(ledger::BuildCorrection({*correction, "x", "incorrect_data", {}}, clock_.Next()).status(),
                "itself an error declaration");
  ExpectInvalid(ledger::BuildCorrection({original, original_id, "", {}}, clock_.Next()).status(),
                "--reason");
  ExpectInvalid(ledger::BuildCorrection({original, original_id, "oops", {}}, clock_.Next()).status(),
                "reason");
  ExpectInvalid(
      ledger::BuildCorrection({original, original_id, "incorrect_data", {"event 7"}}, clock_.Next())
          .status(),
      "correctiveEventIDs");
}

TEST_F(BuilderTest, BuiltEventsSurviveExportAndReimportWithTheirIdentity) {
  std::vector<v1::Event> events = {
      Commission(kHarvest, 1000, "cherries"),
      Must(ledger::BuildShip({{kHarvest}, kRoaster, kGayo, true, kLocation}, clock_.Next())),
      Must(ledger::BuildRecall({kHarvest, "mould", ""}, clock_.Next())),
      Must(ledger::BuildCertify({{kHarvest},
                         std::string(64, 'a'),
                         "Sucofindo",
                         "organic",
                         "2026-01-01T00:00:00Z",
                         "2026-12-31T00:00:00Z",
                         "",
                         ""},
                        clock_.Next()))};
  auto document = epcis::ExportDocument(events, "2026-03-02T00:00:00Z");
  ASSERT_OK(document);
  auto parsed = epcis::ParseDocument(*document);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(Must(epcis::EventId((*parsed)[i])), Must(epcis::EventId(events[i]))) << "event " << i;
  }
}

TEST(LotQuantityTest, ParsesLotEqualsQuantity) {
  auto amount = ParseLotQuantity("urn:jejak:lot:gayo:h-1=250.5", "--input");
  ASSERT_OK(amount);
  EXPECT_EQ(amount->lot, "urn:jejak:lot:gayo:h-1");
  EXPECT_EQ(amount->quantity->ToString(), "250.5");
  auto whole = ParseLotQuantity("urn:jejak:lot:gayo:h-1", "--input");
  ASSERT_OK(whole);
  EXPECT_FALSE(whole->quantity.has_value());
  for (const char* bad : {"urn:jejak:lot:gayo:h-1=", "urn:jejak:lot:gayo:h-1=-3",
                          "urn:jejak:lot:gayo:h-1=0", "urn:jejak:lot:gayo:h-1=12kg", "=5",
                          "urn:jejak:lot:gayo:h-1=nan", "urn:jejak:lot:gayo:h-1=inf"}) {
    ExpectInvalid(ParseLotQuantity(bad, "--output").status(), "--output");
  }
}

// Issue 12: NaN was refused as "must not be negative (found null)"; every refusal now names its
// problem and rule.
TEST(LotQuantityTest, NamesWhatIsWrongWithAQuantity) {
  const std::string lot = "urn:jejak:lot:gayo:h-1=";
  ExpectInvalid(ParseLotQuantity(lot + "nan", "--output").status(),
                "[quantity-not-a-number] quantity nan is not a number (NaN)");
  ExpectInvalid(ParseLotQuantity(lot + "inf", "--output").status(), "[quantity-infinite]");
  ExpectInvalid(ParseLotQuantity(lot + "-3", "--output").status(), "[quantity-negative]");
  ExpectInvalid(ParseLotQuantity(lot + "1.7e308", "--output").status(),
                "[quantity-out-of-range]");
  ExpectInvalid(ParseLotQuantity(lot + "0.1234567", "--output").status(),
                "quantity 0.1234567 has more than 6 decimals");
  ExpectInvalid(ParseQuantityFlag("NaN", "--quantity").status(),
                "--quantity: [quantity-not-a-number] quantity NaN is not a number (NaN)");
  ExpectInvalid(ParseQuantityFlag("0", "--quantity").status(), "--quantity: the quantity must be above 0");
  auto exact = ParseLotQuantity(lot + "1.5E-3", "--input");
  ASSERT_OK(exact);
  EXPECT_EQ(exact->quantity->micros(), 1500);
}

TEST(PartyIdTest, OrganisationsBecomeJejakPartiesAndUrisStay) {
  EXPECT_EQ(ledger::PartyId("koperasi-gayo"), "urn:jejak:org:koperasi-gayo");
  EXPECT_EQ(ledger::PartyId("urn:epc:id:pgln:8990002.00000"), "urn:epc:id:pgln:8990002.00000");
}

TEST(ValidityTimeTest, DatesCoverTheWholeDay) {
  EXPECT_EQ(Must(ParseValidityTime("2026-03-01", false)), "2026-03-01T00:00:00Z");
  EXPECT_EQ(Must(ParseValidityTime("2026-03-01", true)), "2026-03-01T23:59:59Z");
  EXPECT_EQ(Must(ParseValidityTime("2026-03-01T08:00:00+07:00", true)),
            "2026-03-01T08:00:00+07:00");
  ExpectInvalid(ParseValidityTime("2026-13-01", false).status(), "2026-13-01");
  ExpectInvalid(ParseValidityTime("next week", false).status(), "next week");
}

TEST(ClockTest, FormatsUtcMillisecondsAndReadsTheLocalOffset) {
  EXPECT_EQ(ledger::FormatRfc3339Utc(kT0 + 1234), "2026-03-01T08:00:01.234Z");
  EXPECT_EQ(ledger::FormatRfc3339Utc(0), "1970-01-01T00:00:00.000Z");
  ledger::EventClock now = SystemClock();
  EXPECT_GT(now.now_ms, kT0 - 365LL * 24 * 3600 * 1000);
  ASSERT_EQ(now.time_zone_offset.size(), 6u);
  EXPECT_TRUE(now.time_zone_offset[0] == '+' || now.time_zone_offset[0] == '-');
  EXPECT_EQ(now.time_zone_offset[3], ':');
}

}  // namespace
}  // namespace jejak::cli
