// EPCIS 2.0 JSON-LD documents <-> jejak::v1::Event (proto/jejak/v1/event.proto), without loss.
//
// Import: an EPCISDocument (epcisBody.eventList) or an EPCISQueryDocument
// (epcisBody.queryResults.resultsBody.eventList) becomes one Event per event, in document order.
// Standard members are typed; user extensions, ILMD members and anything written in a shape the
// model does not type (kept in Event.unmodelled, refused later by ValidateForCapture) are kept as
// JSON text, so exporting an Event gives back a JSON object equal (as a JSON value) to the one
// that was read. Each Event carries the namespace bindings (from the document's and its own
// @context) that its members use.
//
// Errors: input that cannot be read at all is Status::Invalid (or ResourceExhausted past a
// limit), naming the event ("event 2", counted from 1 in document order) and the member:
//   "event 3: eventTime: not an RFC 3339 date-time: '2020-13-01'".
// No exception leaves this module.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"

namespace jejak::epcis {

// Bounds on what an import accepts (TigerBeetle style: every input has a limit).
inline constexpr std::size_t kMaxDocumentBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxEventsPerDocument = 10000;
// Nesting of JSON arrays/objects, counted from the document root (which is depth 1).
inline constexpr int kMaxJsonDepth = 32;

// The @context a document must name, as its @context string or an entry of its @context array:
// the EPCIS 2.0 context (EPCIS 2.0, section 8.2) or one of the copies GS1 publishes with its
// official examples. Without it, no member of the document has its EPCIS 2.0 meaning.
inline constexpr const char* kEpcisContextUri =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
bool IsEpcisContextUri(std::string_view uri);

// The JSON of an EPCISDocument or EPCISQueryDocument, read exactly as strictly as ParseDocument
// reads it (size and depth limits, no member named twice in one object, the document type and
// body, the EPCIS 2.0 @context), without converting its events. For tools that work on the JSON
// itself (`jejak hash`), so they accept and refuse what capture accepts and refuses.
Result<nlohmann::ordered_json> ReadDocumentJson(std::string_view json_text);

// Reads a whole EPCISDocument or EPCISQueryDocument.
Result<std::vector<jejak::v1::Event>> ParseDocument(std::string_view json_text);

// Reads a single event object written on its own (it may carry its own @context).
Result<jejak::v1::Event> ParseEventJson(std::string_view json_text);

// The event as an EPCIS 2.0 JSON object: standard members in the standard's order, then user
// extensions in document order. Fails if the Event has no type (Invalid) or if JSON text stored
// inside it is corrupt (Corruption).
Result<nlohmann::ordered_json> EventToOrderedJson(const jejak::v1::Event& event);
Result<nlohmann::json> EventToJson(const jejak::v1::Event& event);

// An EPCISDocument holding `events`, with an @context that binds every namespace the events use.
// creation_date is written as the document's creationDate (the caller decides the clock).
Result<nlohmann::ordered_json> EventsToDocument(const std::vector<jejak::v1::Event>& events,
                                                std::string_view creation_date);
// The same, serialised with two-space indentation.
Result<std::string> ExportDocument(const std::vector<jejak::v1::Event>& events,
                                   std::string_view creation_date);

}  // namespace jejak::epcis
