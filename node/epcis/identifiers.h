// Identifiers of things (lots, items, pallets, locations, parties) normalised to one form, so that
// the ledger indexes one thing under one key however a document wrote it.
//
// Accepted:
//   * EPC URNs (GS1 EPC Tag Data Standard): urn:epc:id:<scheme>:..., urn:epc:class:lgtin:...,
//     urn:epc:idpat:<scheme>:... ("urn:epc:" in any case).
//   * GS1 Digital Link URIs on any domain: https://id.gs1.org/01/09506000134352/21/1234,
//     http://example.com/gtin/.../21/..., with check digits verified.
//   * urn:jejak:lot:<org>:<local-id>, for cooperatives without a GS1 Company Prefix:
//       <org>       3 to 32 characters of a-z 0-9 '-', starting and ending with a letter or digit
//                   (lower case only, so one organisation has one spelling);
//       <local-id>  1 to 64 characters of A-Z a-z 0-9 '.' '_' '-' (case matters: "Lot7" and
//                   "lot7" are two lots).
//     "urn:jejak:lot:" itself may be written in any case.
//
// Normal form:
//   * GS1 keys: the EPC URN, with the GS1 Company Prefix taken as 7 digits (or, where a 7-digit
//     split is impossible, the first of 6, 8, 9, 10, 11, 12 that works). A Digital Link does not
//     say how long the Company Prefix is, so a fixed split is what lets the URN and the Digital
//     Link of one thing index identically; %-escapes are canonical (upper-case hex, only where
//     the URN syntax requires them). The key stays readable and convertible: it is a valid EPC URN.
//   * jejak lots: the URN as written (prefix lower-cased).
// Anything else (urn:uuid:..., geo:..., a web URI that is not a GS1 Digital Link) is refused with
// the reason.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::epcis {

inline constexpr std::size_t kMaxIdentifierChars = 512;
inline constexpr std::size_t kMinLotOrgChars = 3;
inline constexpr std::size_t kMaxLotOrgChars = 32;
inline constexpr std::size_t kMaxLotLocalIdChars = 64;

// The normal form of `id`, or Status::Invalid saying why it is not a well-formed identifier.
Result<std::string> NormalizeIdentifier(std::string_view id);

// Checks urn:jejak:lot:<org>:<local-id> alone (see above); Invalid with the reason otherwise.
Status CheckJejakLot(std::string_view urn);

// True if `id` claims to be one of the accepted kinds (starts like an EPC URN, a jejak lot URN
// or an http(s) URI), whether or not it is well-formed.
bool IsEpcUrnSyntax(std::string_view id);
bool IsJejakLotSyntax(std::string_view id);

}  // namespace jejak::epcis
