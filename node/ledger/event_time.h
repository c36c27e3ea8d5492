// Event time against record time: when an event says it happened (its eventTime) and when the
// chain recorded it (the time of its block, agreed in consensus). The bounds are chain rules, the
// same on every node, so they live in the genesis (genesis.h "event_time") and are judged against
// the block time only, never against a node's clock. A node checks a submitted event against its
// own clock first (the block time is not known yet); the block's time decides.
//
// Refusals carry a stable rule code (rule_codes.h: time-future, time-too-early, time-before-lot).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::ledger {


// 5 minutes, Kerberos' default clock tolerance: far above what NTP-synchronised clocks differ by,
// far below a time-zone mistake (local time written as UTC is hours off) or a wrong date.
inline constexpr int64_t kDefaultMaxFutureSkewMs = 5 * 60 * 1000;
// 2000-01-01T00:00:00Z: refuses clocks that were never set (1970, 1969: the epoch and just
// before it) and years misread from two digits, and still lets a network record real history
// that predates it (a lot harvested before the chain started). A network may move it later,
// e.g. to its own start.
inline constexpr int64_t kDefaultEarliestEventTimeMs = 946684800000;
// A larger skew would no longer be a clock's error but a date in the future.
inline constexpr int64_t kMaxFutureSkewLimitMs = 24LL * 3600 * 1000;

struct EventTimeRules {
  // An event may be dated at most this much after the time of the block that records it.
  int64_t max_future_skew_ms = kDefaultMaxFutureSkewMs;
  // No event may be dated before this (UTC milliseconds).
  int64_t earliest_ms = kDefaultEarliestEventTimeMs;

  bool operator==(const EventTimeRules&) const = default;
};

// Invalid "[time-future]" or "[time-too-early]" when `event_time_ms` is out of bounds
// for an event recorded at `record_time_ms` (a block's time, or a node's clock at submission).
Status CheckEventTimeBounds(const EventTimeRules& rules, int64_t event_time_ms,
                            int64_t record_time_ms);

// Invalid "[time-before-lot]" when an event about `lot_id` is dated before the event that
// created the lot.
Status CheckNotBeforeLot(std::string_view lot_id, int64_t lot_created_ms, int64_t event_time_ms);

// Invalid "[block-time-order]" when a block is dated before the block it follows.
Status CheckBlockTimeOrder(int64_t block_time_ms, int64_t previous_block_time_ms);

// Invalid "[block-time-future]" when a proposed block is dated more than max_future_skew_ms after
// `now_ms`, the clock of the validator judging the proposal. Without it one proposer could date a
// block days ahead, and every later block with it (block times never go back), which would let
// events dated days ahead in under [time-future]. Judged only when voting on a proposal: a
// committed block's certificate shows that a quorum judged it. It only grows more lenient as
// the clock moves on, so a proposal valid once stays valid (a locked value can still commit).
Status CheckProposedBlockTime(const EventTimeRules& rules, int64_t block_time_ms, int64_t now_ms);

// "5 minutes", "90 seconds", "1500 ms": a duration for messages.
std::string DescribeDurationMs(int64_t ms);

}  // namespace jejak::ledger
