// GS1 Digital Link side of gs1_keys.h: parsing, the hash-canonical form, and DL -> EPC URN.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "node/epcis/gs1_keys.h"

namespace jejak::epcis {
namespace {

constexpr std::size_t kMaxUriChars = 512;
constexpr std::size_t kMaxQualifiers = 8;

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Short names some Digital Links use instead of AIs (GS1 DL 1.1, section 5).
std::string_view AiOf(std::string_view name) {
  static const std::map<std::string_view, std::string_view> kShort = {
      {"gtin", "01"},  {"itip", "8006"},  {"cpid", "8010"}, {"gln", "414"},   {"party", "417"},
      {"gsrnp", "8017"}, {"gsrn", "8018"}, {"gcn", "255"},   {"sscc", "00"},   {"gdti", "253"},
      {"ginc", "401"}, {"gsin", "402"},   {"grai", "8003"}, {"giai", "8004"}, {"cpv", "22"},
      {"lot", "10"},   {"ser", "21"}};
  auto it = kShort.find(name);
  return it == kShort.end() ? name : it->second;
}

bool IsPrimaryAi(std::string_view ai) {
  static constexpr std::string_view kPrimary[] = {"01",  "8006", "8010", "414",  "417",
                                                  "8017", "8018", "255", "00",   "253",
                                                  "401", "402",  "8003", "8004"};
  return std::find(std::begin(kPrimary), std::end(kPrimary), ai) != std::end(kPrimary);
}

struct ParsedLink {
  std::string key_ai;
  std::string key_value;
  std::map<std::string, std::string> qualifiers;  // AI -> value, as written (percent-encoded)
};

// Accepts https?://<any host>/<any path>/<key AI>/<value>[/<AI>/<value>]...[?query][#fragment].
// The key value must start with four digits (every GS1 key starts with a company prefix), which
// keeps paths like /01/abc on unrelated sites from being taken for GTINs.
std::optional<ParsedLink> ParseLink(std::string_view uri) {
  if (uri.size() > kMaxUriChars) return std::nullopt;
  std::string_view rest;
  if (uri.starts_with("https://")) {
    rest = uri.substr(8);
  } else if (uri.starts_with("http://")) {
    rest = uri.substr(7);
  } else {
    return std::nullopt;
  }
  rest = rest.substr(0, rest.find('#'));
  rest = rest.substr(0, rest.find('?'));
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  std::string_view path = rest.substr(slash + 1);
  if (path.ends_with('/')) path.remove_suffix(1);
  std::vector<std::string_view> seg;
  while (!path.empty() && seg.size() < 64) {
    const std::size_t pos = path.find('/');
    seg.push_back(path.substr(0, pos));
    path = pos == std::string_view::npos ? std::string_view() : path.substr(pos + 1);
  }
  for (std::size_t i = 0; i + 1 < seg.size(); ++i) {
    const std::string_view ai = AiOf(seg[i]);
    const std::string_view value = seg[i + 1];
    if (!IsPrimaryAi(ai) || value.size() < 5 || !IsDigits(value.substr(0, 4))) continue;
    ParsedLink link{std::string(ai), std::string(value), {}};
    const std::size_t left = seg.size() - i - 2;
    if (left % 2 != 0 || left / 2 > kMaxQualifiers) return std::nullopt;
    for (std::size_t j = i + 2; j + 1 < seg.size(); j += 2) {
      if (seg[j + 1].empty()) return std::nullopt;
      if (!link.qualifiers.emplace(std::string(AiOf(seg[j])), std::string(seg[j + 1])).second) {
        return std::nullopt;  // the same qualifier twice
      }
    }
    return link;
  }
  return std::nullopt;
}

bool OnlyQualifiers(const ParsedLink& link, std::initializer_list<std::string_view> allowed) {
  return std::all_of(link.qualifiers.begin(), link.qualifiers.end(), [&](const auto& q) {
    return std::find(allowed.begin(), allowed.end(), q.first) != allowed.end();
  });
}

bool DigitsThenAny(std::string_view v, std::size_t digits, std::size_t max_extra, bool extra_digits) {
  if (v.size() < digits || !IsDigits(v.substr(0, digits))) return false;
  const std::string_view extra = v.substr(digits);
  if (extra.size() > max_extra) return false;
  return !extra_digits || extra.empty() || IsDigits(extra);
}

// Checks the value's digit layout; pads short GTINs to 14 digits. False when the key is malformed.
bool NormaliseKeyValue(const std::string& ai, std::string* value) {
  std::string& v = *value;
  if (ai == "01") {
    if (!IsDigits(v)) return false;
    if (v.size() == 8 || v.size() == 12 || v.size() == 13) v.insert(0, 14 - v.size(), '0');
    return v.size() == 14;
  }
  if (ai == "00") return v.size() == 18 && IsDigits(v);
  if (ai == "8006" || ai == "8017" || ai == "8018") return v.size() == 18 && IsDigits(v);
  if (ai == "414" || ai == "417") return v.size() == 13 && IsDigits(v);
  if (ai == "402") return v.size() == 17 && IsDigits(v);
  if (ai == "253") return DigitsThenAny(v, 13, 3 * 17, false);
  if (ai == "255") return DigitsThenAny(v, 13, 12, true);
  if (ai == "8003") return DigitsThenAny(v, 14, 3 * 16, false);
  return !v.empty();  // 401, 8004, 8010: alphanumeric after the company prefix
}

// Where the check digit sits inside a key value, or npos for keys without one.
std::size_t CheckDigitPosition(std::string_view ai) {
  if (ai == "01" || ai == "8006" || ai == "8003") return 13;
  if (ai == "00" || ai == "8017" || ai == "8018") return 17;
  if (ai == "414" || ai == "417" || ai == "253" || ai == "255") return 12;
  if (ai == "402") return 16;
  return std::string_view::npos;
}

std::optional<std::string> Canonical(ParsedLink link) {
  if (!NormaliseKeyValue(link.key_ai, &link.key_value)) return std::nullopt;
  std::string out = "https://id.gs1.org/" + link.key_ai + "/" + link.key_value;
  const auto& q = link.qualifiers;
  auto has = [&](const char* ai) { return q.count(ai) != 0; };
  if (link.key_ai == "01" || link.key_ai == "8006") {
    if (!OnlyQualifiers(link, {"22", "10", "21", "235"})) return std::nullopt;
    if (has("235")) {
      if (link.key_ai != "01") return std::nullopt;
      return out + "/235/" + q.at("235");
    }
    if (has("21")) return out + "/21/" + q.at("21");  // the serial is the finest level
    if (has("10")) return out + "/10/" + q.at("10");
    return out;
  }
  if (link.key_ai == "414") {
    if (!OnlyQualifiers(link, {"254"})) return std::nullopt;
    return has("254") ? out + "/254/" + q.at("254") : out;
  }
  if (link.key_ai == "8010") {
    if (!OnlyQualifiers(link, {"8011"})) return std::nullopt;
    if (!has("8011")) return out;
    if (!IsDigits(q.at("8011")) || q.at("8011").size() > 12) return std::nullopt;
    return out + "/8011/" + q.at("8011");
  }
  if (!q.empty()) return std::nullopt;
  return out;
}

// ---- Digital Link -> EPC URN ----

Status Bad(std::string_view uri, const std::string& why) {
  return Status::Invalid("GS1 Digital Link '" + std::string(uri) + "': " + why);
}

// DL percent-encoding -> EPC URN escaping (TDS: only " % & / < > ? are escaped).
Result<std::string> ToUrnText(std::string_view uri, std::string_view dl_value, std::string_view what) {
  static constexpr std::string_view kLiteral = "!'()*+,-.:;=_";
  std::string out;
  for (std::size_t i = 0; i < dl_value.size(); ++i) {
    char c = dl_value[i];
    if (c == '%') {
      if (i + 2 >= dl_value.size()) return Bad(uri, std::string(what) + " has a broken %-escape");
      const std::string hex(dl_value.substr(i + 1, 2));
      if (!std::isxdigit(static_cast<unsigned char>(hex[0])) ||
          !std::isxdigit(static_cast<unsigned char>(hex[1]))) {
        return Bad(uri, std::string(what) + " has a broken %-escape");
      }
      c = static_cast<char>(std::stoi(hex, nullptr, 16));
      i += 2;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || kLiteral.find(c) != std::string_view::npos) {
      out += c;
    } else if (std::string_view("\"%&/<>?").find(c) != std::string_view::npos) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      return Bad(uri, std::string(what) + " has a character outside the GS1 character set");
    }
  }
  return out;
}

struct Split {
  std::string cp;
  std::string ref;
};

// digits = the key without its check digit; `lead` digits (indicator / extension) move behind the
// company prefix into the reference, as the EPC URN writes them.
Result<Split> SplitPrefix(std::string_view uri, std::string_view digits, std::size_t lead,
                          int cp_len) {
  const auto n = static_cast<std::size_t>(cp_len);
  if (lead + n > digits.size()) {
    return Bad(uri, "a company prefix of " + std::to_string(cp_len) + " digits does not fit the key");
  }
  return Split{std::string(digits.substr(lead, n)),
               std::string(digits.substr(0, lead)) + std::string(digits.substr(lead + n))};
}

Result<std::string> GtinUrn(std::string_view uri, const ParsedLink& link, int cp_len) {
  const std::string& v = link.key_value;
  auto s = SplitPrefix(uri, std::string_view(v).substr(0, 13), 1, cp_len);
  if (!s.ok()) return s.status();
  const std::string base = s->cp + "." + s->ref;
  const auto& q = link.qualifiers;
  if (q.count("235")) {
    auto tpx = ToUrnText(uri, q.at("235"), "the TPX (235)");
    if (!tpx.ok()) return tpx.status();
    return "urn:epc:id:upui:" + base + "." + *tpx;
  }
  if (q.count("21")) {
    auto serial = ToUrnText(uri, q.at("21"), "the serial (21)");
    if (!serial.ok()) return serial.status();
    return "urn:epc:id:sgtin:" + base + "." + *serial;
  }
  if (q.count("10")) {
    auto lot = ToUrnText(uri, q.at("10"), "the lot (10)");
    if (!lot.ok()) return lot.status();
    return "urn:epc:class:lgtin:" + base + "." + *lot;
  }
  return "urn:epc:idpat:sgtin:" + base + ".*";
}

Result<std::string> KeyToUrn(std::string_view uri, const ParsedLink& link, int cp_len) {
  const std::string& ai = link.key_ai;
  const std::string& v = link.key_value;
  const auto& q = link.qualifiers;
  if (ai == "01") return GtinUrn(uri, link, cp_len);
  auto split = [&](std::size_t digits, std::size_t lead) {
    return SplitPrefix(uri, std::string_view(v).substr(0, digits), lead, cp_len);
  };
  auto text = [&](std::string_view value, std::string_view what) { return ToUrnText(uri, value, what); };
  Result<Split> s = Status::Invalid("unset");
  if (ai == "00") {
    s = split(17, 1);
    if (s.ok()) return "urn:epc:id:sscc:" + s->cp + "." + s->ref;
  } else if (ai == "414" || ai == "417") {
    s = split(12, 0);
    if (!s.ok()) return s.status();
    if (ai == "417") return "urn:epc:id:pgln:" + s->cp + "." + s->ref;
    auto ext = text(q.count("254") ? std::string_view(q.at("254")) : std::string_view("0"),
                    "the GLN extension (254)");
    if (!ext.ok()) return ext.status();
    return "urn:epc:id:sgln:" + s->cp + "." + s->ref + "." + *ext;
  } else if (ai == "8017" || ai == "8018" || ai == "402") {
    s = split(ai == "402" ? 16 : 17, 0);
    const char* scheme = ai == "402" ? "gsin" : (ai == "8017" ? "gsrnp" : "gsrn");
    if (s.ok()) return "urn:epc:id:" + std::string(scheme) + ":" + s->cp + "." + s->ref;
  } else if (ai == "8003" || ai == "253" || ai == "255") {
    const bool grai = ai == "8003";
    if (grai && v[0] != '0') return Bad(uri, "a GRAI (8003) must start with 0");
    s = SplitPrefix(uri, std::string_view(v).substr(grai ? 1 : 0, grai ? 12 : 12), 0, cp_len);
    if (!s.ok()) return s.status();
    const std::string scheme = grai ? "grai" : (ai == "253" ? "gdti" : "sgcn");
    const std::string_view serial = std::string_view(v).substr(grai ? 14 : 13);
    if (serial.empty()) return "urn:epc:idpat:" + scheme + ":" + s->cp + "." + s->ref + ".*";
    auto ser = text(serial, "the serial");
    if (!ser.ok()) return ser.status();
    return "urn:epc:id:" + scheme + ":" + s->cp + "." + s->ref + "." + *ser;
  } else if (ai == "8004" || ai == "401" || ai == "8010") {
    const auto n = static_cast<std::size_t>(cp_len);
    if (v.size() <= n || !IsDigits(std::string_view(v).substr(0, n))) {
      return Bad(uri, "the key does not start with a " + std::to_string(cp_len) + "-digit company prefix");
    }
    const std::string cp = v.substr(0, n);
    if (ai == "8010") {
      const std::string ref = v.substr(n);  // %23 and %2F stay escaped, as the CPI URN writes them
      if (!q.count("8011")) return "urn:epc:idpat:cpi:" + cp + "." + ref + ".*";
      return "urn:epc:id:cpi:" + cp + "." + ref + "." + q.at("8011");
    }
    auto ref = text(std::string_view(v).substr(n), "the reference");
    if (!ref.ok()) return ref.status();
    return "urn:epc:id:" + std::string(ai == "8004" ? "giai" : "ginc") + ":" + cp + "." + *ref;
  } else if (ai == "8006") {
    s = split(13, 1);
    if (!s.ok()) return s.status();
    const std::string base = s->cp + "." + s->ref + "." + v.substr(14, 2) + "." + v.substr(16, 2);
    if (!q.count("21")) return "urn:epc:idpat:itip:" + base + ".*";
    auto ser = text(q.at("21"), "the serial (21)");
    if (!ser.ok()) return ser.status();
    return "urn:epc:id:itip:" + base + "." + *ser;
  }
  if (!s.ok()) return s.status();
  return Bad(uri, "key AI " + ai + " has no EPC URN form");
}

}  // namespace

std::optional<std::string> NormaliseGs1Identifier(std::string_view text) {
  if (text.starts_with("urn:epc:")) {
    auto dl = EpcUrnToDigitalLink(text);
    if (!dl.ok()) return std::nullopt;
    auto link = ParseLink(*dl);
    if (!link) return std::nullopt;
    return Canonical(std::move(*link));
  }
  auto link = ParseLink(text);
  if (!link) return std::nullopt;
  return Canonical(std::move(*link));
}

Result<std::string> DigitalLinkToEpcUrn(std::string_view uri) {
  return DigitalLinkToEpcUrn(uri, kDefaultCompanyPrefixLength);
}

Result<std::string> DigitalLinkToEpcUrn(std::string_view uri, int company_prefix_length) {
  if (company_prefix_length < 6 || company_prefix_length > 12) {
    return Bad(uri, "the company prefix length must be 6 to 12, not " +
                        std::to_string(company_prefix_length));
  }
  auto link = ParseLink(uri);
  if (!link) {
    return Bad(uri, "not a Digital Link of a GS1 key (expected https://<host>/<key AI>/<value>...)");
  }
  if (!NormaliseKeyValue(link->key_ai, &link->key_value)) {
    return Bad(uri, "the value of key AI " + link->key_ai + " has the wrong length or characters");
  }
  if (!Canonical(*link)) return Bad(uri, "a qualifier does not belong to key AI " + link->key_ai);
  const std::size_t pos = CheckDigitPosition(link->key_ai);
  if (pos != std::string_view::npos) {
    const std::string& v = link->key_value;
    const char expected = Gs1CheckDigit(std::string_view(v).substr(0, pos));
    if (v[pos] != expected) {
      return Bad(uri, std::string("check digit is ") + v[pos] + ", expected " + expected);
    }
  }
  Result<std::string> urn = KeyToUrn(uri, *link, company_prefix_length);
  if (!urn.ok()) return urn;
  // The URN must be one the URN side accepts (field lengths: a lot has at most 20 characters, ...),
  // or one thing would have a form that does not convert back.
  Result<std::string> back = EpcUrnToDigitalLink(*urn);
  if (!back.ok()) return Bad(uri, "its EPC URN would be malformed: " + back.status().message());
  return urn;
}

}  // namespace jejak::epcis
