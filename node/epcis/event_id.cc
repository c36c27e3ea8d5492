#include "node/epcis/event_id.h"

#include <exception>
#include <string>

#include "node/epcis/document.h"
#include "node/epcis/event_hash.h"

namespace jejak::epcis {

Result<std::string> EventId(const jejak::v1::Event& event) {
  Result<nlohmann::json> object = EventToJson(event);
  if (!object.ok()) return object.status().WithContext("event id");
  NamespaceMap namespaces;
  for (const jejak::v1::NamespaceBinding& b : event.namespaces()) namespaces[b.prefix()] = b.uri();
  HashOptions options;
  options.ignore_fields.assign(event.hash_ignore_fields().begin(),
                               event.hash_ignore_fields().end());
  try {
    return EventHashId(*object, namespaces, options);
  } catch (const std::exception& e) {  // the hash promises not to throw; never let it escape
    return Status::Internal(std::string("event id: hashing failed: ") + e.what());
  }
}

}  // namespace jejak::epcis
