#include "node/epcis/quantity.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <system_error>

#include "node/epcis/rule_codes.h"

namespace jejak::epcis {
namespace {

// Exponents beyond this are out of range (or, negative, too precise) whatever the digits; the
// bound keeps the arithmetic on the exponent far from overflow.
constexpr int64_t kMaxExponentMagnitude = 100000;
// Text shown in a message is cut here, so a megabyte of digits does not make a megabyte message.
constexpr size_t kMaxShownChars = 40;

std::string Shown(std::string_view text) {
  if (text.size() <= kMaxShownChars) return std::string(text);
  return std::string(text.substr(0, kMaxShownChars)) + "...";
}

Status Refuse(std::string_view text, const std::string& why, std::string_view code) {
  return Status::Invalid("quantity " + Shown(text) + " " + why).WithRule(code);
}

Status OutOfRange(std::string_view text) {
  return Refuse(text, "is out of range: a quantity is at most 999999999.999999",
                rule::kQuantityOutOfRange);
}

Status TooPrecise(std::string_view text) {
  return Refuse(text, "has more than 6 decimals: a quantity is kept to the millionth (0.000001)",
                rule::kQuantityTooPrecise);
}

Status Negative(std::string_view text) {
  return Refuse(text, "is negative: a quantity is 0 or more", rule::kQuantityNegative);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The names strtod and printf give NaN and infinity, in any case.
std::optional<Status> NamedNonNumber(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  const std::string lower = Lower(body);
  if (lower == "nan") {
    return Refuse(text, "is not a number (NaN)", rule::kQuantityNotANumber);
  }
  if (lower == "inf" || lower == "infinity") {
    return Refuse(text, "is infinite", rule::kQuantityInfinite);
  }
  return std::nullopt;
}

}  // namespace

Result<Quantity> Quantity::Parse(std::string_view text) {
  if (auto named = NamedNonNumber(text)) return *named;
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;  // every mantissa digit, the decimal point taken out
  int64_t point = 0;   // how many of `digits` stand before the decimal point
  for (; i < text.size() && IsDigit(text[i]); ++i) digits += text[i];
  point = static_cast<int64_t>(digits.size());
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && IsDigit(text[i]); ++i) digits += text[i];
  }
  int64_t exponent = 0;
  if (!digits.empty() && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
    const size_t first = i;
    for (; i < text.size() && IsDigit(text[i]); ++i) {
      exponent = std::min(exponent * 10 + (text[i] - '0'), kMaxExponentMagnitude + 1);
    }
    if (i == first) digits.clear();  // "1e" is not a number
    if (exponent_negative) exponent = -exponent;
  }
  if (digits.empty() || i != text.size()) {
    return Refuse(text, "is not a decimal number (write e.g. 250, 12.5 or 1.5e3)",
                  rule::kQuantityMalformed);
  }
  point += exponent;
  // Leading zeros move the point, trailing zeros change nothing.
  size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') ++lead;
  digits.erase(0, lead);
  point -= static_cast<int64_t>(lead);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (digits.empty()) return Quantity();  // zero, "-0" included
  if (negative) return Negative(text);
  if (point > kMaxIntegerDigits) return OutOfRange(text);
  const int64_t decimals = static_cast<int64_t>(digits.size()) - point;
  if (decimals > kDecimals) return TooPrecise(text);
  // At most 9 integer and 6 decimal digits: the count of millionths fits in int64.
  int64_t micros = 0;
  for (char c : digits) micros = micros * 10 + (c - '0');
  for (int64_t k = decimals; k < kDecimals; ++k) micros *= 10;
  return Quantity(micros);
}

Result<Quantity> Quantity::FromDouble(double value) {
  if (std::isnan(value)) return Refuse("NaN", "is not a number", rule::kQuantityNotANumber);
  if (std::isinf(value)) {
    return Refuse(value < 0 ? "-Infinity" : "Infinity", "is infinite", rule::kQuantityInfinite);
  }
  char buf[64];
  auto [end, error] = std::to_chars(buf, buf + sizeof buf, value);  // shortest round trip
  if (error != std::errc()) return Status::Internal("quantity: cannot write a double as text");
  return Parse(std::string_view(buf, static_cast<size_t>(end - buf)));
}

Result<Quantity> Quantity::FromMicros(int64_t micros) {
  if (micros < 0) return Negative(FormatMicros(micros));
  if (micros > kMaxMicros) return OutOfRange(FormatMicros(micros));
  return Quantity(micros);
}

std::string Quantity::ToString() const { return FormatMicros(micros_); }

double Quantity::ToDouble() const {
  const std::string text = ToString();
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);  // correctly rounded
  return value;
}

std::string FormatMicros(WideMicros micros) {
  const bool negative = micros < 0;
  // The magnitude, without overflow for the most negative value: -(m + 1) + 1.
  WideMicros rest = negative ? -(micros + 1) : micros;
  int carry = negative ? 1 : 0;
  std::string digits;
  do {
    int digit = static_cast<int>(rest % 10) + carry;
    carry = digit / 10;
    digits += static_cast<char>('0' + digit % 10);
    rest /= 10;
  } while (rest != 0 || carry != 0);
  while (digits.size() <= static_cast<size_t>(Quantity::kDecimals)) digits += '0';
  std::reverse(digits.begin(), digits.end());
  std::string whole = digits.substr(0, digits.size() - Quantity::kDecimals);
  std::string fraction = digits.substr(digits.size() - Quantity::kDecimals);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string out = negative ? "-" + whole : whole;
  return fraction.empty() ? out : out + "." + fraction;
}

}  // namespace jejak::epcis
