#include "node/ledger/event_time.h"

#include "node/epcis/rfc3339.h"
#include "node/ledger/rule_codes.h"

namespace jejak::ledger {
std::string DescribeDurationMs(int64_t ms) {
  auto plural = [](int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (ms % 3600000 == 0 && ms != 0) return plural(ms / 3600000, "hour");
  if (ms % 60000 == 0 && ms != 0) return plural(ms / 60000, "minute");
  if (ms % 1000 == 0) return plural(ms / 1000, "second");
  return std::to_string(ms) + " ms";
}

Status CheckEventTimeBounds(const EventTimeRules& rules, int64_t event_time_ms,
                            int64_t record_time_ms) {
  if (event_time_ms < rules.earliest_ms) {
    return Status::Invalid("eventTime " + epcis::FormatRfc3339Ms(event_time_ms) + " is before " +
                           epcis::FormatRfc3339Ms(rules.earliest_ms) +
                           ", the earliest event time this network accepts (genesis "
                           "event_time.earliest): check the date and the clock of the device "
                           "that wrote the event")
        .WithRule(rule::kTimeTooEarly);
  }
  // Subtraction, not addition: a block time near the top of int64 cannot overflow here.
  if (event_time_ms - rules.max_future_skew_ms > record_time_ms) {
    return Status::Invalid("eventTime " + epcis::FormatRfc3339Ms(event_time_ms) +
                           " is more than " + DescribeDurationMs(rules.max_future_skew_ms) +
                           " after the time the ledger records it (" +
                           epcis::FormatRfc3339Ms(record_time_ms) +
                           "): an event cannot be recorded before it happens; check the date, "
                           "the time zone and the clock of the device that wrote the event")
        .WithRule(rule::kTimeFuture);
  }
  return Status::Ok();
}

Status CheckNotBeforeLot(std::string_view lot_id, int64_t lot_created_ms, int64_t event_time_ms) {
  if (event_time_ms >= lot_created_ms) return Status::Ok();
  return Status::Invalid("eventTime " + epcis::FormatRfc3339Ms(event_time_ms) + " is before lot " +
                         std::string(lot_id) + " was created (" + epcis::FormatRfc3339Ms(lot_created_ms) +
                         "): nothing can happen to a lot before it exists")
      .WithRule(rule::kTimeBeforeLot);
}

Status CheckBlockTimeOrder(int64_t block_time_ms, int64_t previous_block_time_ms) {
  if (block_time_ms >= previous_block_time_ms) return Status::Ok();
  return Status::Invalid("the block time " + epcis::FormatRfc3339Ms(block_time_ms) +
                         " is before the previous block's (" + epcis::FormatRfc3339Ms(previous_block_time_ms) + ")")
      .WithRule(rule::kBlockTimeOrder);
}

Status CheckProposedBlockTime(const EventTimeRules& rules, int64_t block_time_ms, int64_t now_ms) {
  if (block_time_ms <= now_ms) return Status::Ok();
  // Once ahead, the difference fits in 64 unsigned bits whatever the two times are.
  const uint64_t ahead_ms = static_cast<uint64_t>(block_time_ms) - static_cast<uint64_t>(now_ms);
  if (ahead_ms <= static_cast<uint64_t>(rules.max_future_skew_ms)) return Status::Ok();
  return Status::Invalid("the proposed block is dated " + epcis::FormatRfc3339Ms(block_time_ms) + ", more than " +
                         DescribeDurationMs(rules.max_future_skew_ms) + " after this validator's clock (" +
                         epcis::FormatRfc3339Ms(now_ms) + "): the proposer's clock is wrong, or it lies")
      .WithRule(rule::kBlockTimeFuture);
}

}  // namespace jejak::ledger
