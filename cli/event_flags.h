// What `jejak lot ...` reads from its flags and from the machine for the events it builds
// (node/ledger/event_builders.h): the clock, lot quantities, validity times.
#pragma once

#include <string>
#include <string_view>

#include "node/base/status.h"
#include "node/epcis/quantity.h"
#include "node/ledger/event_builders.h"

namespace jejak::cli {

// The machine's clock and its local offset.
ledger::EventClock SystemClock();
// "LOT=Q" or "LOT" (no quantity). Invalid naming `flag` when Q is not a positive number.
Result<ledger::LotAmount> ParseLotQuantity(std::string_view text, std::string_view flag);
// --quantity: an exact decimal above 0 (node/epcis/quantity.h); Invalid naming `flag` and the
// problem (NaN, infinite, negative, out of range, more than 6 decimals).
Result<epcis::Quantity> ParseQuantityFlag(std::string_view text, std::string_view flag);
// --valid-from / --valid-until: RFC 3339, or a date YYYY-MM-DD meaning the start of that day
// (end_of_day = false) or its last second (end_of_day = true), UTC.
Result<std::string> ParseValidityTime(std::string_view text, bool end_of_day);

}  // namespace jejak::cli
