#include "node/epcis/gs1_keys.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jejak::epcis {
namespace {

// Longest URN or URI we look at; GS1 keys are far shorter, this only bounds the work.
constexpr std::size_t kMaxIdentifierChars = 512;

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// TDS "GS3A3" component: the GS1 AI encodable set 82, with the URN-reserved characters
// (" % & / < > ?) written as %XX escapes. Returns the number of characters it stands for.
bool IsGs3a3(std::string_view s, std::size_t* decoded_length) {
  static constexpr std::string_view kPunct = "!'()*+,-.:;=_";
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i, ++n) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && kPunct.find(c) == std::string_view::npos) {
      return false;
    }
  }
  *decoded_length = n;
  return true;
}

// Digital Link percent-encodes some characters an EPC URN leaves bare (GS1 DL 1.x table 7-1).
std::string DlEncode(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '!': out += "%21"; break;
      case '(': out += "%28"; break;
      case ')': out += "%29"; break;
      case '*': out += "%2A"; break;
      case '+': out += "%2B"; break;
      case ',': out += "%2C"; break;
      case ':': out += "%3A"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const std::size_t pos = s.find(sep);
    if (pos == std::string_view::npos) break;
    parts.push_back(s.substr(0, pos));
    s.remove_prefix(pos + 1);
  }
  parts.push_back(s);
  return parts;
}

Status Bad(std::string_view urn, const std::string& why) {
  return Status::Invalid("EPC URN '" + std::string(urn) + "': " + why);
}

Status CheckPrefix(std::string_view urn, std::string_view cp) {
  if (!IsDigits(cp)) return Bad(urn, "the GS1 Company Prefix must be digits");
  if (cp.size() < 6 || cp.size() > 12) {
    return Bad(urn, "the GS1 Company Prefix has " + std::to_string(cp.size()) +
                        " digits; it must have 6 to 12");
  }
  return Status::Ok();
}

// company prefix + a reference field of fixed combined length, all digits.
Status CheckDigitsTotal(std::string_view urn, std::string_view cp, std::string_view ref,
                        std::size_t total, std::string_view what) {
  JEJAK_RETURN_IF_ERROR(CheckPrefix(urn, cp));
  if (!ref.empty() && !IsDigits(ref)) return Bad(urn, std::string(what) + " must be digits");
  if (cp.size() + ref.size() != total) {
    return Bad(urn, "company prefix and " + std::string(what) + " have " +
                        std::to_string(cp.size() + ref.size()) + " digits together; they must have " +
                        std::to_string(total));
  }
  return Status::Ok();
}

Status CheckText(std::string_view urn, std::string_view value, std::size_t min_len,
                 std::size_t max_len, std::string_view what) {
  std::size_t n = 0;
  if (!IsGs3a3(value, &n)) {
    return Bad(urn, std::string(what) + " has a character an EPC URN does not allow (or a bad %-escape)");
  }
  if (n < min_len || n > max_len) {
    return Bad(urn, std::string(what) + " has " + std::to_string(n) + " characters; it must have " +
                        std::to_string(min_len) + " to " + std::to_string(max_len));
  }
  return Status::Ok();
}

Status CheckSerialDigits(std::string_view urn, std::string_view value, std::size_t max_len,
                         std::string_view what) {
  if (!IsDigits(value) || value.size() > max_len) {
    return Bad(urn, std::string(what) + " must be 1 to " + std::to_string(max_len) + " digits");
  }
  return Status::Ok();
}

// indicator/item reference first digit moves to the front: cp=4012345 ir=011111 -> 0 4012345 11111.
std::string Gtin14(std::string_view cp, std::string_view ir) {
  std::string body = std::string(ir.substr(0, 1)) + std::string(cp) + std::string(ir.substr(1));
  return body + Gs1CheckDigit(body);
}

std::string WithCheck(std::string body) {
  const char c = Gs1CheckDigit(body);
  return body + c;
}

constexpr std::string_view kDl = "https://id.gs1.org/";

bool IsCpiReference(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return false;
      const std::string_view esc = s.substr(i, 3);
      if (esc != "%23" && esc != "%2F" && esc != "%2f") return false;
      i += 2;
      continue;
    }
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
  }
  return !s.empty();
}

// ---- urn:epc:id:<scheme>:<body> ----

Result<std::string> IdToDl(std::string_view urn, std::string_view scheme, std::string_view body) {
  if (scheme == "sgtin" || scheme == "upui") {
    auto p = Split(body, '.', 3);
    if (p.size() != 3) return Bad(urn, "expected <company prefix>.<indicator+item ref>.<serial>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 13, "the indicator and item reference"));
    if (scheme == "sgtin") {
      JEJAK_RETURN_IF_ERROR(CheckText(urn, p[2], 1, 20, "the serial number"));
      return std::string(kDl) + "01/" + Gtin14(p[0], p[1]) + "/21/" + DlEncode(p[2]);
    }
    JEJAK_RETURN_IF_ERROR(CheckText(urn, p[2], 1, 28, "the third party controlled serial (TPX)"));
    return std::string(kDl) + "01/" + Gtin14(p[0], p[1]) + "/235/" + DlEncode(p[2]);
  }
  if (scheme == "sscc") {
    auto p = Split(body, '.', 2);
    if (p.size() != 2) return Bad(urn, "expected <company prefix>.<extension+serial ref>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 17, "the extension and serial reference"));
    return std::string(kDl) + "00/" +
           WithCheck(std::string(p[1].substr(0, 1)) + std::string(p[0]) + std::string(p[1].substr(1)));
  }
  if (scheme == "sgln") {
    auto p = Split(body, '.', 3);
    if (p.size() != 3) return Bad(urn, "expected <company prefix>.<location ref>.<extension>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 12, "the location reference"));
    JEJAK_RETURN_IF_ERROR(CheckText(urn, p[2], 1, 20, "the GLN extension"));
    std::string out = std::string(kDl) + "414/" + WithCheck(std::string(p[0]) + std::string(p[1]));
    if (p[2] != "0") out += "/254/" + DlEncode(p[2]);
    return out;
  }
  if (scheme == "pgln") {
    auto p = Split(body, '.', 2);
    if (p.size() != 2) return Bad(urn, "expected <company prefix>.<party ref>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 12, "the party reference"));
    return std::string(kDl) + "417/" + WithCheck(std::string(p[0]) + std::string(p[1]));
  }
  if (scheme == "grai") {
    auto p = Split(body, '.', 3);
    if (p.size() != 3) return Bad(urn, "expected <company prefix>.<asset type>.<serial>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 12, "the asset type"));
    JEJAK_RETURN_IF_ERROR(CheckText(urn, p[2], 1, 16, "the serial number"));
    return std::string(kDl) + "8003/" + WithCheck("0" + std::string(p[0]) + std::string(p[1])) +
           DlEncode(p[2]);
  }
  if (scheme == "giai" || scheme == "ginc") {
    auto p = Split(body, '.', 2);
    if (p.size() != 2) return Bad(urn, "expected <company prefix>.<reference>");
    JEJAK_RETURN_IF_ERROR(CheckPrefix(urn, p[0]));
    std::size_t n = 0;
    if (!IsGs3a3(p[1], &n) || n == 0) return Bad(urn, "the reference is empty or has a character not allowed");
    if (p[0].size() + n > 30) {
      return Bad(urn, "company prefix and reference have " + std::to_string(p[0].size() + n) +
                          " characters; at most 30 are allowed");
    }
    return std::string(kDl) + (scheme == "giai" ? "8004/" : "401/") + std::string(p[0]) + DlEncode(p[1]);
  }
  if (scheme == "gsrn" || scheme == "gsrnp") {
    auto p = Split(body, '.', 2);
    if (p.size() != 2) return Bad(urn, "expected <company prefix>.<service reference>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 17, "the service reference"));
    return std::string(kDl) + (scheme == "gsrn" ? "8018/" : "8017/") +
           WithCheck(std::string(p[0]) + std::string(p[1]));
  }
  if (scheme == "gdti" || scheme == "sgcn") {
    auto p = Split(body, '.', 3);
    if (p.size() != 3) return Bad(urn, "expected <company prefix>.<type or reference>.<serial>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 12,
                                           scheme == "gdti" ? "the document type" : "the coupon reference"));
    if (scheme == "gdti") {
      JEJAK_RETURN_IF_ERROR(CheckText(urn, p[2], 1, 17, "the serial number"));
    } else {
      JEJAK_RETURN_IF_ERROR(CheckSerialDigits(urn, p[2], 12, "the serial component"));
    }
    return std::string(kDl) + (scheme == "gdti" ? "253/" : "255/") +
           WithCheck(std::string(p[0]) + std::string(p[1])) + DlEncode(p[2]);
  }
  if (scheme == "cpi") {
    const std::size_t first = body.find('.');
    const std::size_t last = body.rfind('.');
    if (first == std::string_view::npos || last == first) {
      return Bad(urn, "expected <company prefix>.<component/part ref>.<serial>");
    }
    const std::string_view cp = body.substr(0, first);
    const std::string_view ref = body.substr(first + 1, last - first - 1);
    const std::string_view serial = body.substr(last + 1);
    JEJAK_RETURN_IF_ERROR(CheckPrefix(urn, cp));
    if (!IsCpiReference(ref)) {
      return Bad(urn, "the component/part reference allows only 0-9 A-Z - %23 %2F");
    }
    JEJAK_RETURN_IF_ERROR(CheckSerialDigits(urn, serial, 12, "the serial number"));
    return std::string(kDl) + "8010/" + std::string(cp) + std::string(ref) + "/8011/" + std::string(serial);
  }
  if (scheme == "gsin") {
    auto p = Split(body, '.', 2);
    if (p.size() != 2) return Bad(urn, "expected <company prefix>.<shipper reference>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 16, "the shipper reference"));
    return std::string(kDl) + "402/" + WithCheck(std::string(p[0]) + std::string(p[1]));
  }
  if (scheme == "itip") {
    auto p = Split(body, '.', 5);
    if (p.size() != 5) {
      return Bad(urn, "expected <company prefix>.<indicator+item ref>.<piece>.<total>.<serial>");
    }
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 13, "the indicator and item reference"));
    if (p[2].size() != 2 || !IsDigits(p[2]) || p[3].size() != 2 || !IsDigits(p[3])) {
      return Bad(urn, "piece and total must be two digits each");
    }
    JEJAK_RETURN_IF_ERROR(CheckText(urn, p[4], 1, 20, "the serial number"));
    return std::string(kDl) + "8006/" + Gtin14(p[0], p[1]) + std::string(p[2]) + std::string(p[3]) +
           "/21/" + DlEncode(p[4]);
  }
  return Bad(urn, "scheme '" + std::string(scheme) + "' is not a GS1 key with a Digital Link form");
}

// ---- urn:epc:idpat:<scheme>:<body>: only patterns that name one class (all but the serial) ----

Result<std::string> PatternToDl(std::string_view urn, std::string_view scheme, std::string_view body) {
  auto p = Split(body, '.', 6);
  if (p.empty() || p.back() != "*") {
    return Bad(urn, "a pattern must end in .* (only the serial may be a wildcard)");
  }
  for (std::size_t i = 0; i + 1 < p.size(); ++i) {
    if (p[i] == "*") return Bad(urn, "only the last component of a pattern may be *");
  }
  if ((scheme == "sgtin" || scheme == "upui") && p.size() == 3) {
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 13, "the indicator and item reference"));
    return std::string(kDl) + "01/" + Gtin14(p[0], p[1]);
  }
  if ((scheme == "grai" || scheme == "gdti" || scheme == "sgcn") && p.size() == 3) {
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 12, "the type or reference"));
    if (scheme == "grai") {
      return std::string(kDl) + "8003/" + WithCheck("0" + std::string(p[0]) + std::string(p[1]));
    }
    return std::string(kDl) + (scheme == "gdti" ? "253/" : "255/") +
           WithCheck(std::string(p[0]) + std::string(p[1]));
  }
  if (scheme == "cpi" && p.size() == 3) {
    JEJAK_RETURN_IF_ERROR(CheckPrefix(urn, p[0]));
    if (!IsCpiReference(p[1])) return Bad(urn, "the component/part reference allows only 0-9 A-Z - %23 %2F");
    return std::string(kDl) + "8010/" + std::string(p[0]) + std::string(p[1]);
  }
  if (scheme == "itip" && p.size() == 5) {
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 13, "the indicator and item reference"));
    if (p[2].size() != 2 || !IsDigits(p[2]) || p[3].size() != 2 || !IsDigits(p[3])) {
      return Bad(urn, "piece and total must be two digits each");
    }
    return std::string(kDl) + "8006/" + Gtin14(p[0], p[1]) + std::string(p[2]) + std::string(p[3]);
  }
  return Bad(urn, "pattern '" + std::string(scheme) + "' does not name a single GS1 key class");
}

}  // namespace

char Gs1CheckDigit(std::string_view digits) {
  int sum = 0;
  int weight = 3;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Result<std::string> EpcUrnToDigitalLink(std::string_view urn) {
  if (urn.size() > kMaxIdentifierChars) return Bad(urn.substr(0, 64), "longer than any GS1 key");
  constexpr std::string_view kId = "urn:epc:id:";
  constexpr std::string_view kPat = "urn:epc:idpat:";
  constexpr std::string_view kLgtin = "urn:epc:class:lgtin:";
  if (urn.starts_with(kLgtin)) {
    const std::string_view body = urn.substr(kLgtin.size());
    auto p = Split(body, '.', 3);
    if (p.size() != 3) return Bad(urn, "expected <company prefix>.<indicator+item ref>.<lot>");
    JEJAK_RETURN_IF_ERROR(CheckDigitsTotal(urn, p[0], p[1], 13, "the indicator and item reference"));
    JEJAK_RETURN_IF_ERROR(CheckText(urn, p[2], 1, 20, "the lot number"));
    return std::string(kDl) + "01/" + Gtin14(p[0], p[1]) + "/10/" + DlEncode(p[2]);
  }
  const bool is_id = urn.starts_with(kId);
  const bool is_pattern = urn.starts_with(kPat);
  if (!is_id && !is_pattern) {
    return Bad(urn, "unknown scheme: expected urn:epc:id:, urn:epc:idpat: or urn:epc:class:lgtin:");
  }
  const std::string_view rest = urn.substr(is_id ? kId.size() : kPat.size());
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return Bad(urn, "missing ':' after the EPC scheme name");
  const std::string_view scheme = rest.substr(0, colon);
  const std::string_view body = rest.substr(colon + 1);
  return is_id ? IdToDl(urn, scheme, body) : PatternToDl(urn, scheme, body);
}

}  // namespace jejak::epcis
