#include "node/epcis/identifiers.h"

#include <cctype>

#include "node/epcis/gs1_keys.h"

namespace jejak::epcis {
namespace {

constexpr std::string_view kLotPrefix = "urn:jejak:lot:";
constexpr std::string_view kEpcPrefix = "urn:epc:";

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool IsLocalIdChar(char c) {
  return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-';
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// The URN of a Digital Link, trying Company Prefix lengths in a fixed order (see the header).
Result<std::string> DigitalLinkToCanonicalUrn(std::string_view uri) {
  static constexpr int kLengths[] = {7, 6, 8, 9, 10, 11, 12};
  Result<std::string> first = DigitalLinkToEpcUrn(uri, kLengths[0]);
  if (first.ok()) return first;
  for (int length : kLengths) {
    Result<std::string> urn = DigitalLinkToEpcUrn(uri, length);
    if (urn.ok()) return urn;
  }
  return first.status();
}

Result<std::string> NormalizeEpcUrn(std::string_view id) {
  std::string urn(kEpcPrefix);
  urn.append(id.substr(kEpcPrefix.size()));
  Result<std::string> link = EpcUrnToDigitalLink(urn);
  if (!link.ok()) return link.status();
  Result<std::string> canonical = DigitalLinkToCanonicalUrn(*link);
  if (!canonical.ok()) {
    return Status::Internal("EPC URN " + Quote(id) + " converts to Digital Link " + Quote(*link) +
                            " which does not convert back: " + canonical.status().message());
  }
  return canonical;
}

}  // namespace

bool IsEpcUrnSyntax(std::string_view id) { return StartsWithNoCase(id, kEpcPrefix); }

bool IsJejakLotSyntax(std::string_view id) { return StartsWithNoCase(id, kLotPrefix); }

Status CheckJejakLot(std::string_view urn) {
  if (!IsJejakLotSyntax(urn)) {
    return Status::Invalid("lot identifier " + Quote(urn) + " must start with urn:jejak:lot:");
  }
  const std::string_view rest = urn.substr(kLotPrefix.size());
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return Status::Invalid("lot identifier " + Quote(urn) +
                           " must be urn:jejak:lot:<org>:<local-id>");
  }
  const std::string_view org = rest.substr(0, colon);
  const std::string_view local = rest.substr(colon + 1);
  if (org.size() < kMinLotOrgChars || org.size() > kMaxLotOrgChars) {
    return Status::Invalid("lot identifier " + Quote(urn) + ": organisation " + Quote(org) +
                           " must have 3 to 32 characters");
  }
  for (char c : org) {
    if (!IsLowerAlnum(c) && c != '-') {
      return Status::Invalid("lot identifier " + Quote(urn) + ": organisation " + Quote(org) +
                             " may use only a-z, 0-9 and '-'");
    }
  }
  if (org.front() == '-' || org.back() == '-') {
    return Status::Invalid("lot identifier " + Quote(urn) + ": organisation " + Quote(org) +
                           " must start and end with a letter or digit");
  }
  if (local.empty() || local.size() > kMaxLotLocalIdChars) {
    return Status::Invalid("lot identifier " + Quote(urn) + ": local id " + Quote(local) +
                           " must have 1 to 64 characters");
  }
  for (char c : local) {
    if (!IsLocalIdChar(c)) {
      return Status::Invalid("lot identifier " + Quote(urn) + ": local id " + Quote(local) +
                             " may use only A-Z, a-z, 0-9, '.', '_' and '-'");
    }
  }
  return Status::Ok();
}

Result<std::string> NormalizeIdentifier(std::string_view id) {
  if (id.empty()) return Status::Invalid("identifier is empty");
  if (id.size() > kMaxIdentifierChars) {
    return Status::Invalid("identifier has " + std::to_string(id.size()) +
                           " characters, more than the limit of " +
                           std::to_string(kMaxIdentifierChars));
  }
  if (IsJejakLotSyntax(id)) {
    JEJAK_RETURN_IF_ERROR(CheckJejakLot(id));
    return std::string(kLotPrefix) + std::string(id.substr(kLotPrefix.size()));
  }
  if (IsEpcUrnSyntax(id)) return NormalizeEpcUrn(id);
  if (StartsWithNoCase(id, "http://") || StartsWithNoCase(id, "https://")) {
    Result<std::string> urn = DigitalLinkToCanonicalUrn(id);
    if (!urn.ok()) return urn.status();
    // The URN of a Digital Link is already canonical, but passing it through the URN path as
    // well keeps one definition of the normal form.
    return NormalizeEpcUrn(*urn);
  }
  return Status::Invalid("identifier " + Quote(id) +
                         " is not an EPC URN (urn:epc:...), a GS1 Digital Link URI or a "
                         "urn:jejak:lot:<org>:<local-id>");
}

}  // namespace jejak::epcis
