// Per lot: nothing happens to a lot before it exists. Every lot the event touched (named, or
// carried along in a packed parent) was created no later than the event says it happened. A
// shipping dated 1999 of a lot commissioned today is a wrong date, not history.
#include "node/ledger/event_time.h"
#include "node/ledger/rules.h"

namespace jejak::ledger::rules {

Status CheckLotsExistedAtEventTime(const EventContext& ctx) {
  for (const std::string& lot_id : ctx.record.lot_ids()) {
    auto lot = LoadLot(ctx, lot_id);
    if (!lot.ok()) return lot.status();
    if (!lot->has_value() || !(*lot)->has_created_event_time_ms()) continue;
    JEJAK_RETURN_IF_ERROR(
        CheckNotBeforeLot(lot_id, (*lot)->created_event_time_ms(), ctx.event.event_time_ms()));
  }
  return Status::Ok();
}

}  // namespace jejak::ledger::rules
