// Stable codes of refusals by the EPCIS checks (Status::WithRule). Listed in
// docs/design.md, section 5, with the ledger's (node/ledger/rule_codes.h).
#pragma once

#include <string_view>

namespace jejak::epcis::rule {

inline constexpr std::string_view kQuantityNotANumber = "quantity-not-a-number";
inline constexpr std::string_view kQuantityInfinite = "quantity-infinite";
inline constexpr std::string_view kQuantityNegative = "quantity-negative";
// Above 999999999.999999.
inline constexpr std::string_view kQuantityOutOfRange = "quantity-out-of-range";
// More than 6 decimals.
inline constexpr std::string_view kQuantityTooPrecise = "quantity-too-precise";
inline constexpr std::string_view kQuantityMalformed = "quantity-malformed";
// A quantity in a format this version does not read (a float of format v1).
inline constexpr std::string_view kQuantityFormat = "quantity-format";
// Not a UN/CEFACT Recommendation 20 unit code.
inline constexpr std::string_view kUomUnknown = "uom-unknown";
// Any other refusal of the EPCIS 2.0 / CBV 2.0 checks (a field missing, malformed or out of
// place): the words name the field.
inline constexpr std::string_view kEpcisFormat = "epcis-format";

inline constexpr std::string_view kAll[] = {
    kQuantityNotANumber, kQuantityInfinite, kQuantityNegative, kQuantityOutOfRange, kQuantityTooPrecise,
    kQuantityMalformed,  kQuantityFormat,   kUomUnknown,       kEpcisFormat,
};

}  // namespace jejak::epcis::rule
