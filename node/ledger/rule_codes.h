// Stable codes of ledger refusals, in the form of node/base/rule_code.h ("[lot-namespace] lot
// urn:jejak:lot:roaster:r-1 ...", "block 3: event 0: [lot-namespace] ..."). Listed in
// docs/design.md, section 5.
#pragma once

#include <string>
#include <string_view>

#include "node/base/rule_code.h"

namespace jejak::ledger::rule {

// Only organisation X creates lots named urn:jejak:lot:X:<local-id>.
inline constexpr std::string_view kLotNamespace = "lot-namespace";
// The outputs of a transformation weigh more than its inputs allow (genesis max_yield).
inline constexpr std::string_view kMassBalance = "mass-balance";
// A recalled lot is not transformed, packed or taking more lots; custody moves keep its recall.
inline constexpr std::string_view kRecalledLot = "recalled-lot";

// An event dated more than the genesis' max_future_skew_ms after its block's time.
inline constexpr std::string_view kTimeFuture = "time-future";
// An event dated before the genesis' event_time.earliest.
inline constexpr std::string_view kTimeTooEarly = "time-too-early";
// An event dated before the creation of a lot it touches.
inline constexpr std::string_view kTimeBeforeLot = "time-before-lot";

// A block dated before the block it follows.
inline constexpr std::string_view kBlockTimeOrder = "block-time-order";
// A proposed block dated more than the genesis' max_future_skew_ms after the judging validator's
// clock.
inline constexpr std::string_view kBlockTimeFuture = "block-time-future";

// A block naming a validator set other than the genesis'.
inline constexpr std::string_view kBlockValidatorSet = "block-validator-set";
// A block holding an event already in the chain, or one event twice.
inline constexpr std::string_view kBlockDuplicateEvent = "block-duplicate-event";

// "[code] words": the message of a refusal under rule `code`.
inline std::string Message(std::string_view code, const std::string& words) { return RuleMessage(code, words); }

}  // namespace jejak::ledger::rule
