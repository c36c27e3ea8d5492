#include "node/epcis/document.h"

#include <set>
#include <string>

#include "node/epcis/event_json.h"
#include "node/epcis/json_bounded.h"

namespace jejak::epcis {
namespace {

using Json = nlohmann::ordered_json;
using jejak::v1::Event;

// The namespace of Jejak's own members (the same URI as ledger::kJejakNamespace).
constexpr const char* kJejakNamespace = "https://jejak.id/ns/epcis/v1/";

std::string EventLabel(std::size_t index) { return "event " + std::to_string(index + 1); }

// Members named "ignoreFields" or "<prefix>:ignoreFields" list event members a repository
// added for itself (e.g. its own hash), which the Event Hash ID must not cover.
void CollectIgnoreFields(const Json& object, std::set<std::string>* out) {
  if (!object.is_object()) return;
  for (const auto& [key, value] : object.items()) {
    const bool named = key == "ignoreFields" ||
                       (key.size() > 13 && key.compare(key.size() - 13, 13, ":ignoreFields") == 0);
    if (!named || !value.is_array()) continue;
    for (const Json& item : value) {
      if (item.is_string()) out->insert(item.get<std::string>());
    }
  }
}

// Finds the event list; records the objects that may carry ignoreFields on the way.
Result<const Json*> FindEventList(const Json& root, std::set<std::string>* ignore_fields) {
  if (!root.is_object()) return Status::Invalid("the document must be a JSON object");
  if (!root.contains("type") || !root["type"].is_string()) {
    return Status::Invalid("type: missing (expected EPCISDocument or EPCISQueryDocument)");
  }
  const std::string& type = root["type"].get_ref<const std::string&>();
  if (type != "EPCISDocument" && type != "EPCISQueryDocument") {
    return Status::Invalid("type: '" + type + "' is not EPCISDocument or EPCISQueryDocument");
  }
  CollectIgnoreFields(root, ignore_fields);
  if (!root.contains("epcisBody") || !root["epcisBody"].is_object()) {
    return Status::Invalid("epcisBody: missing or not an object");
  }
  const Json* body = &root["epcisBody"];
  CollectIgnoreFields(*body, ignore_fields);
  if (type == "EPCISQueryDocument") {
    if (!body->contains("queryResults") || !(*body)["queryResults"].is_object()) {
      return Status::Invalid("epcisBody.queryResults: missing or not an object");
    }
    const Json& results = (*body)["queryResults"];
    CollectIgnoreFields(results, ignore_fields);
    if (!results.contains("resultsBody") || !results["resultsBody"].is_object()) {
      return Status::Invalid("epcisBody.queryResults.resultsBody: missing or not an object");
    }
    body = &results["resultsBody"];
    CollectIgnoreFields(*body, ignore_fields);
  }
  if (!body->contains("eventList") || !(*body)["eventList"].is_array()) {
    return Status::Invalid("eventList: missing or not an array");
  }
  return &(*body)["eventList"];
}

// The context array's or string's entries, as written, for the message when none is EPCIS 2.0's.
std::string ContextSummary(const Json& context) {
  std::string out;
  const Json list = context.is_array() ? context : Json::array({context});
  for (const Json& entry : list) {
    if (!out.empty()) out += ", ";
    out += entry.is_string() ? "\"" + entry.get<std::string>() + "\"" : std::string(entry.type_name());
    if (out.size() > 200) return out.substr(0, 200) + "...";
  }
  return out.empty() ? "nothing" : out;
}

Status CheckEpcisContext(const Json& root) {
  auto context = root.find("@context");
  if (context == root.end()) {
    return Status::Invalid(std::string("@context: missing; an EPCIS 2.0 document names the EPCIS "
                                       "2.0 context ") + kEpcisContextUri);
  }
  const Json list = context->is_array() ? *context : Json::array({*context});
  for (const Json& entry : list) {
    if (entry.is_string() && IsEpcisContextUri(entry.get_ref<const std::string&>())) {
      return Status::Ok();
    }
  }
  return Status::Invalid(std::string("@context: does not name the EPCIS 2.0 context ") +
                         kEpcisContextUri + " (it holds " + ContextSummary(*context) + ")");
}

Result<std::vector<Event>> ParseEvents(const Json& root) {
  std::set<std::string> ignore_fields;
  Result<const Json*> list = FindEventList(root, &ignore_fields);
  if (!list.ok()) return list.status();
  const Json& events = **list;
  if (events.size() > kMaxEventsPerDocument) {
    return Status::ResourceExhausted("the document has " + std::to_string(events.size()) +
                                     " events, more than the limit of " +
                                     std::to_string(kMaxEventsPerDocument));
  }
  PrefixMap bindings;
  if (root.contains("@context")) AddContextBindings(root["@context"], &bindings);
  std::vector<Event> out;
  out.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    Result<Event> ev = EventFromJson(events[i], bindings, ignore_fields);
    if (!ev.ok()) return ev.status().WithContext(EventLabel(i));
    out.push_back(std::move(*ev));
  }
  return out;
}

}  // namespace

bool IsEpcisContextUri(std::string_view uri) {
  // GS1's official examples name the copies on gs1.github.io; the reference implementation of
  // the event hash and EPCIS 2.0 itself name ref.gs1.org. All are the EPCIS 2.0 context.
  return uri == kEpcisContextUri || uri == "https://gs1.github.io/EPCIS/epcis-context.jsonld" ||
         uri == "https://gs1.github.io/EPCIS/epcis-context-simple.jsonld";
}

Result<nlohmann::ordered_json> ReadDocumentJson(std::string_view json_text) {
  Result<Json> root = ParseJsonBounded(json_text, kMaxDocumentBytes, kMaxJsonDepth);
  if (!root.ok()) return root.status();
  try {
    std::set<std::string> ignore_fields;
    Result<const Json*> list = FindEventList(*root, &ignore_fields);
    if (!list.ok()) return list.status();
    JEJAK_RETURN_IF_ERROR(CheckEpcisContext(*root));
  } catch (const std::exception& e) {  // a bug of ours, not the input's fault
    return Status::Internal(std::string("EPCIS document import failed: ") + e.what());
  }
  return root;
}

Result<std::vector<Event>> ParseDocument(std::string_view json_text) {
  Result<Json> root = ReadDocumentJson(json_text);
  if (!root.ok()) return root.status();
  try {
    return ParseEvents(*root);
  } catch (const std::exception& e) {  // a bug of ours, not the input's fault
    return Status::Internal(std::string("EPCIS document import failed: ") + e.what());
  }
}

Result<Event> ParseEventJson(std::string_view json_text) {
  Result<Json> root = ParseJsonBounded(json_text, kMaxDocumentBytes, kMaxJsonDepth);
  if (!root.ok()) return root.status();
  try {
    return EventFromJson(*root, PrefixMap{}, std::set<std::string>{});
  } catch (const std::exception& e) {
    return Status::Internal(std::string("EPCIS event import failed: ") + e.what());
  }
}

Result<nlohmann::ordered_json> EventToOrderedJson(const Event& event) {
  try {
    return EventToJsonObject(event);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("EPCIS event export failed: ") + e.what());
  }
}

Result<nlohmann::json> EventToJson(const Event& event) {
  Result<Json> ordered = EventToOrderedJson(event);
  if (!ordered.ok()) return ordered.status();
  try {
    return nlohmann::json(*ordered);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("EPCIS event export failed: ") + e.what());
  }
}

namespace {

// Puts an event-level @context on an event whose binding of a prefix differs from the one the
// document context already holds (two sources may use "ext1" for different namespaces).
Status AddEvent(const Event& ev, PrefixMap* doc_bindings, Json* list) {
  Result<Json> obj = EventToJsonObject(ev);
  if (!obj.ok()) return obj.status();
  Json conflicting = Json::object();
  for (const jejak::v1::NamespaceBinding& b : ev.namespaces()) {
    auto [it, inserted] = doc_bindings->emplace(b.prefix(), b.uri());
    if (!inserted && it->second != b.uri()) conflicting[b.prefix()] = b.uri();
  }
  if (!conflicting.empty()) {
    Json context = Json::array();
    if (obj->contains("@context")) {
      Json own = (*obj)["@context"];
      if (own.is_array()) {
        for (Json& item : own) context.push_back(std::move(item));
      } else {
        context.push_back(std::move(own));
      }
    }
    context.push_back(std::move(conflicting));
    Json with_context = Json::object();
    with_context["@context"] = std::move(context);
    for (auto& [key, value] : obj->items()) {
      if (key != "@context") with_context[key] = std::move(value);
    }
    *obj = std::move(with_context);
  }
  list->push_back(std::move(*obj));
  return Status::Ok();
}

// The events' hash_ignore_fields as one document-level list, so that a re-import hashes the
// events as before. One list covers the whole document, so it must not catch a member of an
// event that did not ignore it.
Result<std::set<std::string>> SharedIgnoreFields(const std::vector<Event>& events) {
  std::set<std::string> all;
  for (const Event& ev : events) all.insert(ev.hash_ignore_fields().begin(), ev.hash_ignore_fields().end());
  if (all.empty()) return all;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    const std::set<std::string> own(ev.hash_ignore_fields().begin(), ev.hash_ignore_fields().end());
    Result<Json> object = EventToJsonObject(ev);
    if (!object.ok()) return object.status().WithContext(EventLabel(i));
    for (const std::string& key : all) {
      if (object->contains(key) && own.count(key) == 0) {
        return Status::Invalid(EventLabel(i) + ": member '" + key +
                               "' counts in its event id here but is ignored by another event's; "
                               "export these events in separate documents");
      }
    }
  }
  return all;
}

}  // namespace

Result<nlohmann::ordered_json> EventsToDocument(const std::vector<Event>& events,
                                                std::string_view creation_date) {
  if (events.size() > kMaxEventsPerDocument) {
    return Status::ResourceExhausted("cannot export " + std::to_string(events.size()) +
                                     " events in one document (limit " +
                                     std::to_string(kMaxEventsPerDocument) + ")");
  }
  try {
    PrefixMap bindings;
    Json list = Json::array();
    for (std::size_t i = 0; i < events.size(); ++i) {
      Status s = AddEvent(events[i], &bindings, &list);
      if (!s.ok()) return s.WithContext(EventLabel(i));
    }
    Result<std::set<std::string>> ignore = SharedIgnoreFields(events);
    if (!ignore.ok()) return ignore.status();
    std::string ignore_key = "ignoreFields";
    if (!ignore->empty()) {
      auto [it, inserted] = bindings.emplace("jejak", kJejakNamespace);
      if (inserted || it->second == kJejakNamespace) ignore_key = "jejak:ignoreFields";
    }
    Json context = Json::array();
    context.push_back(kEpcisContextUri);
    if (!bindings.empty()) {
      Json prefixes = Json::object();
      for (const auto& [prefix, uri] : bindings) prefixes[prefix] = uri;
      context.push_back(std::move(prefixes));
    }
    Json doc = Json::object();
    doc["@context"] = std::move(context);
    doc["type"] = "EPCISDocument";
    doc["schemaVersion"] = "2.0";
    doc["creationDate"] = std::string(creation_date);
    if (!ignore->empty()) {
      Json list = Json::array();
      for (const std::string& field : *ignore) list.push_back(field);
      doc[ignore_key] = std::move(list);
    }
    doc["epcisBody"] = Json::object();
    doc["epcisBody"]["eventList"] = std::move(list);
    return doc;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("EPCIS document export failed: ") + e.what());
  }
}

Result<std::string> ExportDocument(const std::vector<Event>& events,
                                   std::string_view creation_date) {
  Result<Json> doc = EventsToDocument(events, creation_date);
  if (!doc.ok()) return doc.status();
  try {
    return doc->dump(2);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("EPCIS document export failed: ") + e.what());
  }
}

}  // namespace jejak::epcis
