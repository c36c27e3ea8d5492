// How a refusal carries a stable rule code: its message starts with the code in brackets
// ("[quantity-negative] quantity -1 is negative ..."), after any context a caller adds
// ("quantityList[0].quantity: [quantity-negative] ..."). Clients and tests match the code, never
// the words, which may be reworded; a code, once published, keeps its meaning. The codes are
// listed in docs/design.md, section 5; the ledger's in node/ledger/rule_codes.h.
#pragma once

#include <string>
#include <string_view>

namespace jejak {

// "[code] words": the message of a refusal under rule `code`.
inline std::string RuleMessage(std::string_view code, const std::string& words) {
  return "[" + std::string(code) + "] " + words;
}

}  // namespace jejak
