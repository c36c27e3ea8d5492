// Quantities as exact decimals (node/epcis/quantity.h) and unit codes (unit_codes.h).
#include "node/epcis/quantity.h"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "node/epcis/unit_codes.h"

namespace jejak::epcis {
namespace {

int64_t Micros(std::string_view text) {
  auto q = Quantity::Parse(text);
  EXPECT_TRUE(q.ok()) << text << ": " << q.status().ToString();
  return q.ok() ? q->micros() : -1;
}

// The refusal message of `text`; "" when it parses.
std::string Refusal(std::string_view text) {
  auto q = Quantity::Parse(text);
  return q.ok() ? "" : q.status().message();
}

std::string RefusalOfDouble(double value) {
  auto q = Quantity::FromDouble(value);
  return q.ok() ? "" : q.status().message();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(QuantityTest, ParsesDecimalsAndExponentForms) {
  EXPECT_EQ(Micros("0"), 0);
  EXPECT_EQ(Micros("12"), 12'000'000);
  EXPECT_EQ(Micros("12.5"), 12'500'000);
  EXPECT_EQ(Micros("0.000001"), 1);
  EXPECT_EQ(Micros("+7"), 7'000'000);
  EXPECT_EQ(Micros("0.100"), 100'000);
  EXPECT_EQ(Micros("1e3"), 1'000'000'000);
  EXPECT_EQ(Micros("1.5E-3"), 1'500);
  EXPECT_EQ(Micros("1.5e+2"), 150'000'000);
  EXPECT_EQ(Micros("250000000e-9"), 250'000);
  EXPECT_EQ(Micros("000123.4500"), 123'450'000);
  EXPECT_EQ(Micros("-0"), 0);
  EXPECT_EQ(Micros("0e999999999999"), 0);
  EXPECT_EQ(Micros("999999999.999999"), Quantity::kMaxMicros);
}

TEST(QuantityTest, RefusesNaNInfinityAndNegativeByName) {
  for (const char* text : {"nan", "NaN", "-nan", "NAN"}) {
    EXPECT_TRUE(Has(Refusal(text), "[quantity-not-a-number] quantity " + std::string(text) + " is not a number (NaN)")) << text;
  }
  for (const char* text : {"inf", "Infinity", "-inf", "+INF"}) {
    EXPECT_TRUE(Has(Refusal(text), "[quantity-infinite] quantity " + std::string(text) + " is infinite")) << text;
  }
  EXPECT_TRUE(Has(Refusal("-1"), "[quantity-negative] quantity -1 is negative: a quantity is 0 or more"));
  EXPECT_TRUE(Has(Refusal("-0.000001"), "[quantity-negative]"));
  EXPECT_TRUE(Has(RefusalOfDouble(std::nan("")), "[quantity-not-a-number]"));
  EXPECT_TRUE(Has(RefusalOfDouble(std::numeric_limits<double>::infinity()),
                  "[quantity-infinite]"));
  EXPECT_TRUE(Has(RefusalOfDouble(-2.5), "quantity -2.5 is negative"));
}

TEST(QuantityTest, RefusesOutOfRangeAndOverPreciseByName) {
  EXPECT_TRUE(Has(Refusal("1.7e308"), "[quantity-out-of-range] quantity 1.7e308 is out of range: a "
                                      "quantity is at most 999999999.999999"));
  EXPECT_TRUE(Has(Refusal("1000000000"), "[quantity-out-of-range]"));
  EXPECT_TRUE(Has(Refusal("1e9"), "[quantity-out-of-range]"));
  EXPECT_TRUE(Has(Refusal("1e99999999999999999999"), "[quantity-out-of-range]"));
  EXPECT_TRUE(Has(RefusalOfDouble(1.7e308), "quantity 1.7e+308 is out of range"));
  EXPECT_TRUE(Has(Refusal("0.0000001"), "has more than 6 decimals"));
  EXPECT_TRUE(Has(Refusal("1.5E-7"), "[quantity-too-precise]"));
  EXPECT_TRUE(Has(Refusal("1.5e-6"), "[quantity-too-precise]"));
  EXPECT_TRUE(Has(Refusal("1e-99999999999"), "[quantity-too-precise]"));
  EXPECT_TRUE(Has(RefusalOfDouble(0.1 + 0.2), "quantity 0.30000000000000004 has more than 6"));
  auto ok = Quantity::FromMicros(Quantity::kMaxMicros);
  EXPECT_TRUE(ok.ok());
  EXPECT_FALSE(Quantity::FromMicros(Quantity::kMaxMicros + 1).ok());
  EXPECT_FALSE(Quantity::FromMicros(-1).ok());
  EXPECT_FALSE(Quantity::FromMicros(std::numeric_limits<int64_t>::max()).ok());
}

TEST(QuantityTest, RefusesWhatIsNoNumber) {
  for (const char* text : {"", "-", ".", "1e", "1e+", "1.2.3", "12kg", " 1", "1 ", "0x10", "1,5"}) {
    EXPECT_TRUE(Has(Refusal(text), "[quantity-malformed]")) << "'" << text << "'";
  }
  // A megabyte of digits makes a short message.
  EXPECT_LT(Refusal(std::string(1 << 20, '9')).size(), 200u);
}

TEST(QuantityTest, FormatsTheShortestDecimal) {
  for (const char* text : {"0", "1", "12.5", "0.000001", "1000", "999999999.999999", "0.3"}) {
    auto q = Quantity::Parse(text);
    ASSERT_TRUE(q.ok()) << text;
    EXPECT_EQ(q->ToString(), text);
  }
  EXPECT_EQ(Quantity::Parse("1.50")->ToString(), "1.5");
  EXPECT_EQ(Quantity::Parse("1e3")->ToString(), "1000");
  EXPECT_EQ(FormatMicros(-1'500'000), "-1.5");
  // Sums beyond one quantity's range print exactly too.
  EXPECT_EQ(FormatMicros(static_cast<WideMicros>(Quantity::kMaxMicros) * 3), "2999999999.999997");
}

// Every quantity survives JSON: the double nearest it reads back as the same decimal.
TEST(QuantityTest, EveryQuantityRoundTripsThroughADouble) {
  uint64_t x = 88172645463325252ULL;  // xorshift64, fixed seed
  for (int i = 0; i < 200000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const int64_t micros = static_cast<int64_t>(x % (Quantity::kMaxMicros + 1));
    auto q = Quantity::FromMicros(micros);
    ASSERT_TRUE(q.ok());
    auto back = Quantity::FromDouble(q->ToDouble());
    ASSERT_TRUE(back.ok()) << q->ToString() << ": " << back.status().ToString();
    ASSERT_EQ(back->micros(), micros) << q->ToString();
  }
  EXPECT_EQ(Quantity::FromDouble(0.1)->micros(), 100'000);
  EXPECT_EQ(Quantity::FromDouble(-0.0)->micros(), 0);
}

// 0.1 + 0.2 is 0.3, exactly.
TEST(QuantityTest, SumsAreExact) {
  const int64_t sum = Quantity::Parse("0.1")->micros() + Quantity::Parse("0.2")->micros();
  EXPECT_EQ(sum, Quantity::Parse("0.3")->micros());
  EXPECT_TRUE(Quantity::Parse("0.1").value() < Quantity::Parse("0.2").value());
}

TEST(UnitCodesTest, KnowsTheRec20CodesOfGs1AndEpcisPractice) {
  for (const char* code : {"KGM", "GRM", "TNE", "LTR", "MLT", "MTQ", "MTR", "MTK", "EA", "H87",
                           "C62", "PR", "DZN", "CEL", "FAH", "KEL", "A93", "LUX", "KMH", "C35",
                           "P1", "59", "HUR", "MIN", "SEC", "DAY", "KWH", "BAR", "KPA", "LBR",
                           "ONZ", "GLL"}) {
    EXPECT_TRUE(CheckUnitCode(code).ok()) << code;
  }
  EXPECT_EQ(UnitCodeName("KGM").value_or(""), "kilogram");
  EXPECT_EQ(UnitCodeName("LTR").value_or(""), "litre");
}

TEST(UnitCodesTest, RefusesUnknownCodesByNameWithARuleCode) {
  for (const char* code : {"KGX", "ZZZ", "kg", "XX", "1234", "", "KGMM"}) {
    Status s = CheckUnitCode(code);
    EXPECT_EQ(s.code(), StatusCode::kInvalid) << code;
    EXPECT_TRUE(Has(s.message(), "[uom-unknown] '" + std::string(code) + "' is not a UN/CEFACT Recommendation 20 unit code"))
        << s.message();
  }
  EXPECT_TRUE(Has(CheckUnitCode("KG").message(), "did you mean KGM (kilogram)?"));
  EXPECT_TRUE(Has(CheckUnitCode("kgm").message(), "did you mean KGM (kilogram)?"));
  EXPECT_TRUE(Has(CheckUnitCode("PCS").message(), "did you mean H87 (piece)?"));
  // Codes Rec 20 deleted are unknown.
  EXPECT_FALSE(CheckUnitCode("JB").ok());
}

}  // namespace
}  // namespace jejak::epcis
