// Units of measure: the UN/CEFACT Recommendation 20 common codes EPCIS 2.0 names for `uom`
// (quantity elements and sensor reports), e.g. KGM kilogram, LTR litre, EA each, H87 piece.
//
// The table (unit_codes_rec20.inc, 1508 codes) was written from knowledge of Rec 20 and then
// checked code by code against Revision 17 (2021); codes Rec 20 marks deleted are left out,
// deprecated ones are kept. It holds every code of the quantity categories GS1 and EPCIS
// practice uses (mass, volume, length, area, count, time, temperature, concentration, speed,
// energy, ...). Not in it: about 320 rarely used Rec 20 codes (most of J40-L99, derived units of
// engineering, and some deprecated CGS units); an event naming one is refused like an unknown
// code, and the code can be added to the table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::epcis {

// The English name of a Rec 20 code ("kilogram" for "KGM"); nullopt when it is not in the table.
std::optional<std::string_view> UnitCodeName(std::string_view code);

// Ok, or Invalid: "[uom-unknown] 'KG' is not a UN/CEFACT Recommendation 20 unit code; did you
// mean KGM (kilogram)?" with a suggestion for the usual slips (KG, L, PCS, ...).
Status CheckUnitCode(std::string_view code);

}  // namespace jejak::epcis
