// RFC 3339 date-times as EPCIS writes them ("2005-04-03T20:33:31.116-06:00").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::epcis {

// UTC milliseconds since 1970-01-01T00:00:00Z, honouring the offset. Fractions finer than a
// millisecond are rounded half up (".1415" -> 142 ms), as the CBV 2.0 event hash does.
// Accepts years 0000-9999, "T"/"t" as separator, "Z"/"z" or "+HH:MM"/"-HH:MM" as offset and a
// leap second (:60). Refuses anything else with the reason.
Result<int64_t> ParseRfc3339Ms(std::string_view text);

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: every instant FormatRfc3339Ms writes in a
// form ParseRfc3339Ms reads back.
inline constexpr int64_t kMinRfc3339Ms = -62167219200000;
inline constexpr int64_t kMaxRfc3339Ms = 253402300799999;

// The UTC form of `ms`: "2026-03-01T08:00:00Z", with ".123" before the Z when the milliseconds
// are not zero. Years outside 0000-9999 are written as they are (ParseRfc3339Ms refuses them).
// Computed, not read from the C library's time zone tables: the same text on every machine.
std::string FormatRfc3339Ms(int64_t ms);

// True for an EPCIS eventTimeZoneOffset: "+HH:MM" / "-HH:MM" from -14:00 to +14:00.
bool IsTimeZoneOffset(std::string_view text);

}  // namespace jejak::epcis
