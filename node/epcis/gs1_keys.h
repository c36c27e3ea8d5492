// GS1 keys: EPC URNs (EPC Tag Data Standard 2.x) <-> GS1 Digital Link URIs.
//
// Offers
//   EpcUrnToDigitalLink     urn:epc:id / urn:epc:class / urn:epc:idpat -> canonical
//                           https://id.gs1.org/... URI, check digits computed.
//   DigitalLinkToEpcUrn     any GS1 Digital Link (id.gs1.org or a custom domain, short names
//                           such as /gtin/ accepted) -> EPC URN; check digits verified.
//   NormaliseGs1Identifier  the form the CBV 2.0 Event Hash ID uses: canonical Digital Link at the
//                           finest level of identification (serial beats lot, CPV and query
//                           string dropped); nullopt for text that carries no GS1 key.
//   Gs1CheckDigit           the GS1 mod-10 check digit.
//
// A Digital Link does not say how long the GS1 Company Prefix is, but an EPC URN must. The
// one-argument DigitalLinkToEpcUrn assumes kDefaultCompanyPrefixLength; callers that know the
// prefix length (from the GS1 prefix list or their own registry) pass it explicitly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::epcis {

inline constexpr int kDefaultCompanyPrefixLength = 7;

// Invalid, with the reason, for URNs that are malformed or name no GS1 key.
Result<std::string> EpcUrnToDigitalLink(std::string_view urn);

// Invalid, with the reason, for URIs that are not a GS1 Digital Link of a key, have a wrong
// check digit, or cannot be split with the given company prefix length (6..12).
Result<std::string> DigitalLinkToEpcUrn(std::string_view uri);
Result<std::string> DigitalLinkToEpcUrn(std::string_view uri, int company_prefix_length);

// See above. Never fails: text that is not a GS1 key yields nullopt.
std::optional<std::string> NormaliseGs1Identifier(std::string_view text);

// `digits` must be all decimal digits (the key without its check digit).
char Gs1CheckDigit(std::string_view digits);

}  // namespace jejak::epcis
