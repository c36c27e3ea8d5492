// Identifiers and vocabulary as the rules compare them: lot ids in one form, CBV terms by their
// short names, and the jejak extension namespace.
//
// Jejak extension members live in the namespace kJejakNamespace; a document binds it to a prefix
// in its @context (conventionally "jejak"). Members the rules read:
//   ILMD      jejak:product      the product a new lot is of (for mass-balance rules), a string
//   event     jejak:certificate  {"documentHash": "<64 hex: SHA-256 of the certificate document>",
//                                 "issuer": "...", "scheme": "organic",
//                                 "validFrom": "<RFC 3339>", "validUntil": "<RFC 3339>"}
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"

namespace jejak::ledger {

inline constexpr std::string_view kJejakNamespace = "https://jejak.id/ns/epcis/v1/";
inline constexpr size_t kMaxLotIdBytes = 512;

// The one form lot ids are indexed in (epcis::NormalizeIdentifier): EPC URNs for GS1 keys (Digital
// Link URIs are converted), urn:jejak:lot:<org>:<local> as written. Invalid for malformed ids and
// product patterns (urn:epc:idpat:..., which name a product, not a lot).
Result<std::string> NormalizeLotId(std::string_view raw);

// The product a lot id names, if the identifier says: urn:epc:class:lgtin:CP.IR.LOT and
// urn:epc:id:sgtin:CP.IR.SER give urn:epc:idpat:sgtin:CP.IR.*; other ids give "".
std::string ProductOfLotId(std::string_view lot_id);

// CBV short name of a bizStep, disposition or source/destination type written as a short name,
// a https://ref.gs1.org/cbv/<Vocab>-<name> URI or a urn:epcglobal:cbv:<vocab>:<name> URN.
std::string CbvShortName(std::string_view term);

// The value of the jejak extension member `name` (e.g. "certificate") among `members`, as JSON
// text; nullopt if absent.
std::optional<std::string> FindJejakMember(const v1::Event& event,
                                           const google::protobuf::RepeatedPtrField<v1::JsonMember>&
                                               members,
                                           std::string_view name);

}  // namespace jejak::ledger
