// The event query (LedgerService.QueryEvents): EPCIS query parameters as a predicate over
// committed events, a scan of the chain in block order that answers a page at a time, and the
// committed event as every answer shows it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "jejak/v1/event.pb.h"
#include "jejak/v1/ledger_service.pb.h"
#include "jejak/v1/ledger_state.pb.h"
#include "node/base/status.h"
#include "node/ledger/chain_reader.h"

namespace jejak::ledger {

class EventFilter {
 public:
  // Invalid naming the parameter that cannot be read (a bad time, an unknown eventType, an
  // identifier that is not one).
  static Result<EventFilter> FromRequest(const v1::QueryEventsRequest& request);
  bool Matches(const v1::Event& event) const;

 private:
  std::set<int> event_types_;
  std::set<std::string> biz_steps_;      // CBV short names
  std::set<std::string> dispositions_;   // CBV short names
  std::optional<int64_t> ge_time_ms_;
  std::optional<int64_t> lt_time_ms_;
  std::set<std::string> any_epcs_;       // normalised
  std::set<std::string> epc_classes_;    // normalised
  std::set<std::string> biz_locations_;  // normalised
};

// Where a query goes on: the next event to look at. Its page token is "height:index".
struct EventCursor {
  uint64_t height = 1;
  uint32_t index = 0;
};
// The cursor of a page token this node gave out (empty: the first event); Invalid otherwise.
Result<EventCursor> ParsePageToken(const std::string& page_token);
std::string PageToken(EventCursor cursor);

struct EventQueryLimits {
  uint32_t page_size = 100;                // matching events in one answer
  uint64_t max_scanned_events = 200'000;   // events looked at before answering with a cursor
};

struct EventPage {
  std::vector<v1::CommittedEvent> events;  // in chain order
  std::optional<EventCursor> next;         // set when the scan stopped before the head
};

// The committed events from `from` on that match `filter`, in chain order: at most
// limits.page_size of them, after looking at no more than limits.max_scanned_events events.
Result<EventPage> QueryEvents(const ChainReader& chain, const EventFilter& filter, EventCursor from,
                              const EventQueryLimits& limits);

// A stored event as answers show it: the event parsed, its event_time_ms derived from eventTime
// (the field travels as the submitter wrote it; the ledger goes by eventTime). Corruption when the
// stored bytes do not parse.
Result<v1::CommittedEvent> ToCommittedEvent(const v1::EventRecord& record);

}  // namespace jejak::ledger
