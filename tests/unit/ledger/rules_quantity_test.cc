// Quantities through the ledger rules, from EPCIS JSON as a client writes it: exact decimals,
// refused by name when the ledger cannot hold them exactly, units checked against UN/CEFACT
// Rec 20, and mass balance in exact arithmetic (issue 12).
#include <gtest/gtest.h>

#include "node/epcis/document.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kContext = R"("@context": "https://ref.gs1.org/standards/epcis/epcis-context.jsonld")";

// "2026-03-01T08:MM:00+07:00", a minute per event so no two events are alike.
std::string Time(int minute) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "2026-03-01T08:%02d:00+07:00", minute);
  return buf;
}

v1::Event Parse(const std::string& json) {
  auto e = epcis::ParseEventJson(json);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? *e : v1::Event();
}

v1::Event Commission(int minute, const std::string& lot, const std::string& quantity,
                     const std::string& uom = "KGM") {
  return Parse("{" + kContext + R"(, "type": "ObjectEvent", "action": "ADD",
    "bizStep": "commissioning", "eventTime": ")" + Time(minute) +
               R"(", "eventTimeZoneOffset": "+07:00", "quantityList": [{"epcClass": ")" + lot +
               R"(", "quantity": )" + quantity + R"(, "uom": ")" + uom + R"("}]})");
}

std::string Elements(const std::vector<std::pair<std::string, std::string>>& lots) {
  std::string out;
  for (const auto& [lot, quantity] : lots) {
    out += std::string(out.empty() ? "" : ", ") + R"({"epcClass": ")" + lot +
           R"(", "quantity": )" + quantity + R"(, "uom": "KGM"})";
  }
  return out;
}

v1::Event Transform(int minute, const std::vector<std::pair<std::string, std::string>>& inputs,
                    const std::vector<std::pair<std::string, std::string>>& outputs) {
  return Parse("{" + kContext + R"(, "type": "TransformationEvent", "eventTime": ")" +
               Time(minute) + R"(", "eventTimeZoneOffset": "+07:00", "inputQuantityList": [)" +
               Elements(inputs) + R"(], "outputQuantityList": [)" + Elements(outputs) + "]}");
}

const std::string kA = "urn:jejak:lot:koperasi-gayo:a";
const std::string kB = "urn:jejak:lot:koperasi-gayo:b";
const std::string kC = "urn:jejak:lot:koperasi-gayo:c";
const std::string kD = "urn:jejak:lot:koperasi-gayo:d";
const std::string kE = "urn:jejak:lot:koperasi-gayo:e";

void ExpectRefused(Chain& chain, const v1::Event& event, const std::string& part) {
  ExpectRefusal(chain.Apply(kGayo, event), StatusCode::kInvalid, "", {part});
}

// The issue's attack: two lots of 1.7e308 KGM transformed into three. The sums overflowed to
// infinity and the transformation was committed; now the lots themselves are refused.
TEST(RulesQuantityTest, HugeQuantitiesAreRefusedByName) {
  Chain chain;
  ExpectRefused(chain, Commission(1, kA, "1.7e308"),
                "[quantity-out-of-range] quantity 1.7e+308 is out of range: a quantity is at most "
                "999999999.999999");
  ExpectRefused(chain, Commission(2, kA, "1000000000"), "[quantity-out-of-range]");
  // Nothing was created.
  EXPECT_TRUE(chain.Lot(kA).lot_id().empty());
}

TEST(RulesQuantityTest, OverPreciseQuantitiesAreRefusedByName) {
  Chain chain;
  ExpectRefused(chain, Commission(1, kA, "0.0000001"),
                "quantityList[0].quantity: [quantity-too-precise] quantity 1e-07 has more than 6 decimals");
  ExpectRefused(chain, Commission(2, kA, "1.5E-7"), "[quantity-too-precise]");
  ExpectRefused(chain, Commission(3, kA, "-5"), "[quantity-negative]");
}

// Exact arithmetic: what a 1e-9 relative tolerance let through (a millionth of a kilogram more
// out than in, on a large lot) is refused, and the boundary itself is accepted.
TEST(RulesQuantityTest, MassBalanceIsExactAtTheBoundary) {
  Chain chain;
  chain.MustApply(kGayo, Commission(1, kA, "999999999"));
  ExpectRefused(chain, Transform(2, {{kA, "999999999"}}, {{kB, "999999999.000001"}}),
                "[mass-balance] the transformation creates 999999999.000001 "
                "KGM from 999999999 KGM of inputs, at most 999999999 KGM is possible");
  chain.MustApply(kGayo, Transform(3, {{kA, "999999999"}}, {{kB, "999999998.999999"},
                                                           {kC, "0.000001"}}));
  EXPECT_TRUE(chain.Lot(kA).consumed());
}

// 0.1 + 0.2 is 0.3: inputs of 0.1 and 0.2 make exactly 0.3, and 0.3 splits into 0.1 and 0.2
// leaving nothing behind.
TEST(RulesQuantityTest, DecimalSumsAreExact) {
  Chain chain;
  chain.MustApply(kGayo, Commission(1, kA, "0.1"));
  chain.MustApply(kGayo, Commission(2, kB, "0.2"));
  ExpectRefused(chain, Transform(3, {{kA, "0.1"}, {kB, "0.2"}}, {{kC, "0.300001"}}),
                "creates 0.300001 KGM from 0.3 KGM of inputs");
  chain.MustApply(kGayo, Transform(4, {{kA, "0.1"}, {kB, "0.2"}}, {{kC, "0.3"}}));
  EXPECT_TRUE(chain.Lot(kA).consumed());
  EXPECT_TRUE(chain.Lot(kB).consumed());
  chain.MustApply(kGayo, Transform(5, {{kC, "0.1"}}, {{kD, "0.1"}}));
  chain.MustApply(kGayo, Transform(6, {{kC, "0.2"}}, {{kE, "0.2"}}));
  EXPECT_TRUE(chain.Lot(kC).consumed());
  ExpectRefused(chain, Transform(7, {{kD, "0.100001"}}, {{kA, "0.1"}}),
                "input lot " + kD + " has only 0.1 KGM left; the transformation would consume "
                "0.100001 KGM");
}

TEST(RulesQuantityTest, UnknownUnitCodesAreRefusedByName) {
  Chain chain;
  ExpectRefused(chain, Commission(1, kA, "10", "KGX"),
                "quantityList[0].uom: [uom-unknown] 'KGX' is not a UN/CEFACT Recommendation 20 unit code");
  ExpectRefused(chain, Commission(2, kA, "10", "KG"), "did you mean KGM (kilogram)?");
  chain.MustApply(kGayo, Commission(3, kA, "10", "LTR"));
}

}  // namespace
}  // namespace jejak::ledger
