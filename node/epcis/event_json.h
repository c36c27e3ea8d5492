// One event object <-> jejak::v1::Event. Used by document.cc; public API is document.h.
#pragma once

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"
#include "node/epcis/quantity.h"

namespace jejak::epcis {

// prefix -> namespace URI, as declared in @context objects.
using PrefixMap = std::map<std::string, std::string>;

// Adds the prefix bindings of an @context value (a URI string, an object or an array of both).
// Term definitions ({"@id": ...} objects) and keywords ("@vocab") are not prefix bindings.
void AddContextBindings(const nlohmann::ordered_json& context, PrefixMap* bindings);

// Reads one event object. `inherited` holds the enclosing document's bindings; `ignore_fields`
// the document's ignoreFields list (see Event.hash_ignore_fields).
Result<jejak::v1::Event> EventFromJson(const nlohmann::ordered_json& object,
                                       const PrefixMap& inherited,
                                       const std::set<std::string>& ignore_fields);

// Standard members first (in the standard's order), then extensions and unmodelled members.
Result<nlohmann::ordered_json> EventToJsonObject(const jejak::v1::Event& event);

// A quantity element's "quantity": integers exactly, other numbers as the shortest decimal that
// reads back as the same double (what any JSON reader, and the CBV event hash, takes them for).
// Invalid naming the problem (NaN, negative, out of range, more than 6 decimals).
Result<Quantity> QuantityOfJson(const nlohmann::ordered_json& value);

// Names of EventType values as EPCIS writes them ("ObjectEvent"); "" for unspecified.
const char* EventTypeName(jejak::v1::EventType type);

}  // namespace jejak::epcis
