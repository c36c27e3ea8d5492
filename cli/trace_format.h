// What `jejak history`, `jejak trace back|forward` and `jejak events` print: text a person can
// read and the same facts as JSON. Pure functions of what the node answered; no I/O.
//
// A trace is printed as a tree from the lot asked about: upstream lots (inputs, lots packed into
// it) under it for `back`, downstream lots for `forward`. Each lot shows its quantity, product,
// owner and custodian, the event that made it (step, organisation, local time, place) and its
// certificates. A lot reached a second time (a diamond: two inputs from one harvest) is printed
// once in full and afterwards as "(shown above)", so the tree stays finite and readable.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "jejak/v1/event.pb.h"
#include "jejak/v1/ledger_service.pb.h"

namespace jejak::cli {

enum class TraceDirection { kBack, kForward };

// What the event did, in one or two words: "commissioning", "shipping", "transformation",
// "packing", "error declaration", ...
std::string EventStep(const v1::Event& event);

// The event's time in its own time zone: "2026-03-01 15:00:00 +07:00".
std::string LocalEventTime(const v1::Event& event);
// "2026-03-01 08:00:00 UTC"; WallTime leaves out the " UTC".
std::string UtcTime(int64_t ms);
std::string WallTime(int64_t ms);

// A quantity in millionths of its unit as the exact decimal, no trailing zeros: "500", "0.25",
// "0.000001".
std::string FormatQuantity(int64_t micros);

// Where it happened (bizLocation, else readPoint); "" if the event does not say.
std::string EventPlace(const v1::Event& event);

// One event in two lines: time, step, organisation, lots and place; then its id, block and the
// block's time (when the chain recorded it).
std::string FormatEvent(const v1::CommittedEvent& event);

std::string FormatHistory(const std::string& lot_id, const v1::EventList& events);
std::string FormatTrace(const v1::TraceGraph& graph, TraceDirection direction);

nlohmann::json CommittedEventJson(const v1::CommittedEvent& event);
nlohmann::json EventListJson(const v1::EventList& events);
nlohmann::json TraceJson(const v1::TraceGraph& graph, TraceDirection direction);

}  // namespace jejak::cli
