// Quantities of lots as exact decimals: an integer count of millionths of the unit (1.5 KGM is
// 1500000 micro-KGM). No floating point takes part in a rule, in the replicated state or in
// what a node prints, so every validator, whatever its compiler or CPU, gets the same answer.
//
// Range and precision (docs/design.md, "Quantities"): 0 to 999999999.999999, at most 6
// decimals. That is at most 15 significant digits, the most an IEEE double (what a JSON number
// is for nearly every reader, including the CBV 2.0 event hash reference) keeps exactly: every
// quantity the ledger accepts reads back from its JSON text as the same decimal.
//
// Refusals are Status::Invalid naming the problem and a stable rule code:
//   quantity-not-a-number, quantity-infinite, quantity-negative, quantity-out-of-range,
//   quantity-too-precise, quantity-malformed.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::epcis {

// Sums and products of quantities (mass balance): 128 bits, far beyond any reachable total.
// __extension__ because ISO C++ has no 128-bit integer; GCC and Clang both provide it.
__extension__ typedef __int128 WideMicros;

class Quantity {
 public:
  static constexpr int kDecimals = 6;
  static constexpr int64_t kMicrosPerUnit = 1'000'000;
  static constexpr int kMaxIntegerDigits = 9;
  static constexpr int64_t kMaxMicros = 999'999'999'999'999;  // 999999999.999999

  constexpr Quantity() = default;
  static constexpr Quantity Zero() { return Quantity(); }
  // A whole number of units, for constants (0 <= units < 10^9).
  static constexpr Quantity Units(int64_t units) { return Quantity(units * kMicrosPerUnit); }

  // Decimal text: "12", "0.5", "+7", "1e3", "1.5E-3", "0.100". Names NaN and Infinity ("nan",
  // "inf", "Infinity", any case) as such. "-0" is 0.
  static Result<Quantity> Parse(std::string_view text);
  // The decimal a JSON reader means by `value`: the shortest text that reads back as the same
  // double ("0.1", not 0.1000000000000000055...), then Parse.
  static Result<Quantity> FromDouble(double value);
  // Invalid (quantity-negative / quantity-out-of-range) outside 0..kMaxMicros.
  static Result<Quantity> FromMicros(int64_t micros);

  int64_t micros() const { return micros_; }
  bool is_zero() const { return micros_ == 0; }
  // The shortest decimal: "1000", "0.25", "0.000001".
  std::string ToString() const;
  // The double nearest the decimal (exact text in, correctly rounded): for JSON export only.
  double ToDouble() const;

  friend constexpr auto operator<=>(Quantity, Quantity) = default;

 private:
  constexpr explicit Quantity(int64_t micros) : micros_(micros) {}
  int64_t micros_ = 0;
};

// A count of micro-units as a decimal, for sums and products beyond one quantity's range
// (mass balance totals): "1999999999.999998". Negative values get a leading '-'.
std::string FormatMicros(WideMicros micros);

}  // namespace jejak::epcis
