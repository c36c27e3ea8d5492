// RFC 3339 date-times as EPCIS writes them ("2005-04-03T20:33:31.116-06:00").
#pragma once

#include <cstdint>
#include <string_view>

#include "node/base/status.h"

namespace jejak::epcis {

// UTC milliseconds since 1970-01-01T00:00:00Z, honouring the offset. Fractions finer than a
// millisecond are rounded half up (".1415" -> 142 ms), as the CBV 2.0 event hash does.
// Accepts years 0000-9999, "T"/"t" as separator, "Z"/"z" or "+HH:MM"/"-HH:MM" as offset and a
// leap second (:60). Refuses anything else with the reason.
Result<int64_t> ParseRfc3339Ms(std::string_view text);

// True for an EPCIS eventTimeZoneOffset: "+HH:MM" / "-HH:MM" from -14:00 to +14:00.
bool IsTimeZoneOffset(std::string_view text);

}  // namespace jejak::epcis
