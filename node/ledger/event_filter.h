// EPCIS query parameters (QueryEvents) as a predicate over committed events.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "jejak/v1/event.pb.h"
#include "jejak/v1/ledger_service.pb.h"
#include "node/base/status.h"

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

}  // namespace jejak::ledger
