// The identity of a stored event: its CBV 2.0 Event Hash ID ("ni:///sha-256;...?ver=CBV2.0").
#pragma once

#include <string>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"

namespace jejak::epcis {

// Exports the event to JSON and hashes it with the namespaces it carries, leaving out the
// members its document asked to ignore (Event.hash_ignore_fields). The eventID written in the
// event plays no part (the hash never covers eventID), so an event keeps its identity whether or
// not it states one. Deterministic: the same Event always gives the same id.
Result<std::string> EventId(const jejak::v1::Event& event);

}  // namespace jejak::epcis
