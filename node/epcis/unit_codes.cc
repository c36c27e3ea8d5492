#include "node/epcis/unit_codes.h"

#include <algorithm>
#include <iterator>

#include "node/epcis/rule_codes.h"

namespace jejak::epcis {
namespace {

struct UnitCode {
  std::string_view code;
  std::string_view name;
};

constexpr UnitCode kRec20[] = {
#include "node/epcis/unit_codes_rec20.inc"
};

// Symbols and abbreviations people write where Rec 20 wants its code.
constexpr std::pair<std::string_view, std::string_view> kUsualSlips[] = {
    {"KG", "KGM"}, {"KILO", "KGM"}, {"G", "GRM"},   {"GR", "GRM"},  {"L", "LTR"},
    {"LT", "LTR"}, {"ML", "MLT"},  {"T", "TNE"},   {"TON", "TNE"}, {"M", "MTR"},
    {"M2", "MTK"}, {"M3", "MTQ"},  {"PCS", "H87"}, {"PC", "H87"},  {"PCE", "H87"},
    {"LB", "LBR"}, {"LBS", "LBR"}, {"OZ", "ONZ"},  {"H", "HUR"},   {"C", "CEL"}};

}  // namespace

std::optional<std::string_view> UnitCodeName(std::string_view code) {
  auto it = std::lower_bound(std::begin(kRec20), std::end(kRec20), code,
                             [](const UnitCode& u, std::string_view c) { return u.code < c; });
  if (it == std::end(kRec20) || it->code != code) return std::nullopt;
  return it->name;
}

Status CheckUnitCode(std::string_view code) {
  if (UnitCodeName(code)) return Status::Ok();
  std::string shown(code.substr(0, 40));
  std::string msg = "'" + shown + "' is not a UN/CEFACT Recommendation 20 unit code";
  std::string upper(shown);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
  std::string_view suggestion;
  for (const auto& [slip, rec20] : kUsualSlips) {
    if (upper == slip) suggestion = rec20;
  }
  if (suggestion.empty() && upper != shown && UnitCodeName(upper)) {
    return Status::Invalid(msg + "; codes are upper case: did you mean " + upper + " (" +
                           std::string(*UnitCodeName(upper)) + ")?")
        .WithRule(rule::kUomUnknown);
  }
  if (!suggestion.empty()) {
    return Status::Invalid(msg + "; did you mean " + std::string(suggestion) + " (" +
                           std::string(*UnitCodeName(suggestion)) + ")?")
        .WithRule(rule::kUomUnknown);
  }
  return Status::Invalid(msg + "; e.g. KGM kilogram, LTR litre, EA each, H87 piece").WithRule(rule::kUomUnknown);
}

}  // namespace jejak::epcis
