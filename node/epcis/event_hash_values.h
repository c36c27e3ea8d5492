// Internal to the event hash: value normalisation rules of the CBV 2.0 Event Hash ID, and the
// SHA-256 it is computed with. Exposed in a header only so that tests can reach them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::epcis::hash_internal {

// An xsd:dateTimeStamp as UTC with exactly three decimals: "2020-03-04T11:00:30+01:00" ->
// "2020-03-04T10:00:30.000Z". A fourth decimal of 5-9 rounds the third up (CBV 2.0). Invalid
// when the text is not a date-time with a time zone.
Result<std::string> NormaliseTimestamp(std::string_view text);

// Numbers as the reference writes them: "452.0" -> "452", "0.50" -> "0.5", "+7" -> "7",
// "1e-5" -> "1e-05" (the shortest text that reads back as the same double, Python style).
// nullopt when `text` is not a finite decimal number.
std::optional<std::string> NormaliseNumber(std::string_view text);
// `value` must be finite (the hash refuses NaN and infinities before it gets here).
std::string FormatNumber(double value);

// Lower-case hex SHA-256 (FIPS 180-4) of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace jejak::epcis::hash_internal
