#include "node/epcis/event_hash.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "node/epcis/cbv_context.h"
#include "node/epcis/event_hash_values.h"
#include "node/epcis/gs1_keys.h"

namespace jejak::epcis {
namespace {

using nlohmann::json;
using Pieces = std::vector<std::string>;

constexpr int kMaxDepth = 32;

// How one standard member is written into the pre-hash string.
struct Field {
  std::string_view key;
  std::string_view element = {};              // list members: the name each element takes
  std::optional<Vocabulary> vocabulary = {};  // scalar values: short names of this vocabulary
  std::span<const Field> children = {};       // object members (or list elements): their order
  bool is_time = false;
};

constexpr Field kQuantityElement[] = {{"epcClass"}, {"quantity"}, {"uom"}};
constexpr Field kLocation[] = {{"id"}};
constexpr Field kPersistentDisposition[] = {{"set", {}, Vocabulary::kDisposition},
                                            {"unset", {}, Vocabulary::kDisposition}};
constexpr Field kSensorMetadata[] = {
    {"time", {}, {}, {}, true}, {"startTime", {}, {}, {}, true}, {"endTime", {}, {}, {}, true},
    {"deviceID"}, {"deviceMetadata"}, {"rawData"}, {"dataProcessingMethod"}, {"bizRules"}};
constexpr Field kSensorReport[] = {
    {"type", {}, Vocabulary::kMeasurementType}, {"exception", {}, Vocabulary::kSensorAlertType},
    {"deviceID"}, {"deviceMetadata"}, {"rawData"}, {"dataProcessingMethod"},
    {"time", {}, {}, {}, true}, {"microorganism"}, {"chemicalSubstance"}, {"value"},
    {"component", {}, Vocabulary::kComponent}, {"stringValue"}, {"booleanValue"},
    {"hexBinaryValue"}, {"uriValue"}, {"minValue"}, {"maxValue"}, {"meanValue"}, {"sDev"},
    {"percRank"}, {"percValue"}, {"uom"}, {"coordinateReferenceSystem"}};
constexpr Field kSensorElement[] = {{"sensorMetadata", {}, {}, kSensorMetadata},
                                    {"sensorReport", {}, {}, kSensorReport}};
constexpr Field kCanonicalOrder[] = {
    {"eventTime", {}, {}, {}, true},
    {"eventTimeZoneOffset"},
    {"certificationInfo"},
    {"parentID"},
    {"epcList", "epc"},
    {"inputEPCList", "epc"},
    {"childEPCs", "epc"},
    {"quantityList", "quantityElement", {}, kQuantityElement},
    {"childQuantityList", "quantityElement", {}, kQuantityElement},
    {"inputQuantityList", "quantityElement", {}, kQuantityElement},
    {"outputEPCList", "epc"},
    {"outputQuantityList", "quantityElement", {}, kQuantityElement},
    {"action"},
    {"transformationID"},
    {"bizStep", {}, Vocabulary::kBizStep},
    {"disposition", {}, Vocabulary::kDisposition},
    {"persistentDisposition", {}, {}, kPersistentDisposition},
    {"readPoint", {}, {}, kLocation},
    {"bizLocation", {}, {}, kLocation},
    {"sensorElementList", "sensorElement", {}, kSensorElement},
};

// Lists whose elements are written "type=<type><value key>=<value>" (type first, no element name).
struct TypedList {
  std::string_view key;
  std::string_view value_key;
  Vocabulary type_vocabulary;
};
constexpr TypedList kTypedLists[] = {
    {"bizTransactionList", "bizTransaction", Vocabulary::kBizTransactionType},
    {"sourceList", "source", Vocabulary::kSourceDestType},
    {"destinationList", "destination", Vocabulary::kSourceDestType},
};

// Members that never take part in the hash.
bool IsExcludedTopLevel(std::string_view key) {
  return key == "type" || key == "eventID" || key == "recordTime" || key == "errorDeclaration" ||
         key == "@context";
}
bool IsComment(std::string_view key) { return key == "comment" || key == "rdfs:comment"; }

std::string Joined(Pieces pieces) {
  std::sort(pieces.begin(), pieces.end());
  std::string out;
  for (const std::string& p : pieces) out += p;
  return out;
}

void Append(Pieces* to, Pieces from) {
  for (std::string& p : from) to->push_back(std::move(p));
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const std::size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

class Canonicaliser {
 public:
  Canonicaliser(const NamespaceMap& namespaces, const HashOptions& options) : ns_(StandardNamespaces()) {
    for (const auto& [prefix, uri] : namespaces) ns_[prefix] = uri;
    for (const std::string& f : options.ignore_fields) {
      ignored_.insert(f);
      ignored_.insert(ExpandKey(f));
    }
  }

  Result<std::string> Event(const json& event) {
    if (!event.is_object()) return Status::Invalid("the event is not a JSON object");
    if (auto it = event.find("@context"); it != event.end()) AddContext(*it);
    auto type = event.find("type");
    if (type == event.end() || !type->is_string() || type->get<std::string>().empty()) {
      return Status::Invalid("field type: missing or not a string (ObjectEvent, ...)");
    }
    auto time = event.find("eventTime");
    if (time == event.end()) return Status::Invalid("field eventTime: missing");
    if (!time->is_string()) return Status::Invalid("field eventTime: not a string");
    std::string out = "eventType=" + type->get<std::string>();
    auto ordered = Ordered(event, kCanonicalOrder, 0);
    if (!ordered.ok()) return ordered.status();
    out += *ordered;
    auto rest = Leftovers(event, kCanonicalOrder, /*top_level=*/true, 0);
    if (!rest.ok()) return rest.status();
    return out + *rest;
  }

 private:
  void AddContext(const json& context) {
    if (context.is_array()) {
      for (const json& c : context) AddContext(c);
    } else if (context.is_object()) {
      for (const auto& [k, v] : context.items()) {
        if (v.is_string() && !k.starts_with("@")) ns_[k] = v.get<std::string>();
      }
    }
  }

  // "ext:field" -> "{https://ext.example/}field" for declared prefixes.
  std::string ExpandKey(std::string_view key) const {
    const std::size_t colon = key.find(':');
    if (colon == std::string_view::npos) return std::string(key);
    auto it = ns_.find(std::string(key.substr(0, colon)));
    if (it == ns_.end()) return std::string(key);
    return "{" + it->second + "}" + std::string(key.substr(colon + 1));
  }

  // A string value as it enters the pre-hash string.
  std::string Canonical(std::string_view raw, std::optional<Vocabulary> vocabulary) const {
    std::string text(Trim(raw));
    if (vocabulary) {
      if (auto uri = ExpandVocabulary(*vocabulary, text)) return std::string(*uri);
    }
    // Prefixed names of the GS1 vocabularies ("cbv:BizStep-shipping") are IRIs; other prefixed
    // values stay as written, as in the XML form of the same event.
    if (const std::size_t colon = text.find(':'); colon != std::string::npos) {
      auto it = ns_.find(text.substr(0, colon));
      if (it != ns_.end() && (it->second.starts_with("https://ref.gs1.org/") ||
                              it->second.starts_with("https://gs1.org/"))) {
        text = it->second + text.substr(colon + 1);
      }
    }
    if (auto web = UpgradeCbvUrn(text)) return *web;
    if (auto number = hash_internal::NormaliseNumber(text)) return *number;
    if (auto key = NormaliseGs1Identifier(text)) return *key;
    return text;
  }

  // Scalars (string, number, boolean) as text; nullopt for null.
  static std::optional<std::string> ScalarText(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return hash_internal::FormatNumber(v.get<double>());
    return std::nullopt;
  }

  // A number that is not finite (only an Event decoded from protobuf can hold one) has no EPCIS
  // form; FormatNumber must not see it.
  static Status CheckFinite(std::string_view name, const json& v) {
    if (v.is_number_float() && !std::isfinite(v.get<double>())) {
      return Status::Invalid("field " + std::string(name) + ": not a finite number");
    }
    return Status::Ok();
  }

  Result<Pieces> Scalar(std::string_view name, const json& v, const Field& f) const {
    JEJAK_RETURN_IF_ERROR(CheckFinite(name, v));
    auto text = ScalarText(v);
    if (!text) return Pieces{};
    std::string value;
    if (f.is_time) {
      auto t = hash_internal::NormaliseTimestamp(Trim(*text));
      if (!t.ok()) return t.status().WithContext("field " + std::string(name));
      value = *t;
    } else {
      value = Canonical(*text, f.vocabulary);
    }
    if (value.empty()) return Pieces{};
    return Pieces{std::string(name) + "=" + value};
  }

  // One standard member; repeated values (JSON arrays) give one piece each.
  Result<Pieces> Member(std::string_view name, const json& v, const Field& f, int depth) {
    if (depth > kMaxDepth) return Status::Invalid("field " + std::string(name) + ": nested too deeply");
    if (!f.element.empty()) return List(name, v, f, depth);
    if (v.is_array()) {
      Pieces all;
      for (const json& e : v) {
        auto p = Member(name, e, f, depth + 1);
        if (!p.ok()) return p.status();
        Append(&all, std::move(*p));
      }
      return all;
    }
    if (v.is_object()) {
      if (f.children.empty()) return Generic(std::string(name), v, depth);
      auto body = Ordered(v, f.children, depth + 1);
      if (!body.ok()) return body.status();
      auto rest = Leftovers(v, f.children, false, depth + 1);
      if (!rest.ok()) return rest.status();
      if (body->empty() && rest->empty()) return Pieces{};
      return Pieces{std::string(name) + *body + *rest};
    }
    if (!f.children.empty() && f.children.size() == 1 && f.children[0].key == "id") {
      // readPoint / bizLocation written as a bare identifier.
      auto id = Scalar("id", v, f.children[0]);
      if (!id.ok() || id->empty()) return id;
      return Pieces{std::string(name) + id->front()};
    }
    return Scalar(name, v, f);
  }

  Result<Pieces> List(std::string_view name, const json& v, const Field& f, int depth) {
    const Field element{f.element, {}, f.vocabulary, f.children};
    Pieces items;
    if (v.is_array()) {
      for (const json& e : v) {
        auto p = Member(f.element, e, element, depth + 1);
        if (!p.ok()) return p.status();
        Append(&items, std::move(*p));
      }
    } else {
      auto p = Member(f.element, v, element, depth + 1);
      if (!p.ok()) return p.status();
      items = std::move(*p);
    }
    if (items.empty()) return Pieces{};
    return Pieces{std::string(name) + Joined(std::move(items))};
  }

  Result<std::string> Ordered(const json& object, std::span<const Field> order, int depth) {
    std::string out;
    for (const Field& f : order) {
      auto it = object.find(f.key);
      if (it == object.end()) continue;
      auto pieces = Member(f.key, *it, f, depth);
      if (!pieces.ok()) return pieces.status();
      out += Joined(std::move(*pieces));
    }
    return out;
  }

  // Every member not in `order`, written generically and sorted.
  Result<std::string> Leftovers(const json& object, std::span<const Field> order, bool top_level,
                                int depth) {
    Pieces pieces;
    for (const auto& [key, value] : object.items()) {
      if (IsComment(key)) continue;
      // (key named outside the lambda: clang 14, which builds the fuzz targets, cannot capture a
      // structured binding)
      const auto is_key = [&name = key](const Field& f) { return f.key == name; };
      if (std::any_of(order.begin(), order.end(), is_key)) continue;
      if (top_level && (IsExcludedTopLevel(key) || ignored_.count(key) || ignored_.count(ExpandKey(key)))) {
        continue;
      }
      auto p = top_level ? TopLevelExtra(key, value, depth) : Generic(ExpandKey(key), value, depth + 1);
      if (!p.ok()) return p.status();
      Append(&pieces, std::move(*p));
    }
    return Joined(std::move(pieces));
  }

  Result<Pieces> TopLevelExtra(const std::string& key, const json& value, int depth) {
    for (const TypedList& t : kTypedLists) {
      if (key == t.key && (value.is_array() || value.is_object())) return Typed(t, value, depth);
    }
    return Generic(ExpandKey(key), value, depth + 1);
  }

  Result<Pieces> Typed(const TypedList& t, const json& value, int depth) {
    const json list = value.is_array() ? value : json::array({value});
    Pieces items;
    for (const json& e : list) {
      if (!e.is_object()) {
        auto p = Scalar(t.value_key, e, Field{t.value_key});
        if (!p.ok()) return p.status();
        Append(&items, std::move(*p));
        continue;
      }
      const Field order[] = {{"type", {}, t.type_vocabulary}, {t.value_key}};
      auto body = Ordered(e, order, depth + 1);
      if (!body.ok()) return body.status();
      auto rest = Leftovers(e, order, false, depth + 1);
      if (!rest.ok()) return rest.status();
      if (!body->empty() || !rest->empty()) items.push_back(*body + *rest);
    }
    if (items.empty()) return Pieces{};
    return Pieces{std::string(t.key) + Joined(std::move(items))};
  }

  // User extensions and anything else outside the canonical order: name=value, objects as
  // name + sorted members, arrays as repeated names (a "...List" array groups its elements under
  // the singular name, as the XML form does).
  Result<Pieces> Generic(const std::string& name, const json& v, int depth) {
    if (depth > kMaxDepth) return Status::Invalid("field " + name + ": nested too deeply");
    if (v.is_null()) return Pieces{};
    if (v.is_object()) {
      Pieces members;
      for (const auto& [key, value] : v.items()) {
        if (IsComment(key)) continue;
        auto p = Generic(ExpandKey(key), value, depth + 1);
        if (!p.ok()) return p.status();
        Append(&members, std::move(*p));
      }
      return Pieces{name + Joined(std::move(members))};
    }
    if (v.is_array()) {
      const bool grouped = name.size() > 4 && name.ends_with("List");
      const std::string element = grouped ? name.substr(0, name.size() - 4) : name;
      Pieces items;
      for (const json& e : v) {
        auto p = Generic(element, e, depth + 1);
        if (!p.ok()) return p.status();
        Append(&items, std::move(*p));
      }
      if (!grouped || items.empty()) return items;
      return Pieces{name + Joined(std::move(items))};
    }
    JEJAK_RETURN_IF_ERROR(CheckFinite(name, v));
    const std::string value = Canonical(*ScalarText(v), std::nullopt);
    return Pieces{value.empty() ? name : name + "=" + value};
  }

  NamespaceMap ns_;
  std::set<std::string> ignored_;
};

// "ignoreFields" (any prefix) on the document, its epcisBody or its queryResults.
std::vector<std::string> IgnoreFieldsOf(const json& document) {
  std::vector<std::string> out;
  auto scan = [&](const json& object) {
    if (!object.is_object()) return;
    for (const auto& [key, value] : object.items()) {
      const bool named = key == "ignoreFields" || key.ends_with(":ignoreFields");
      if (!named || !value.is_array()) continue;
      for (const json& f : value) {
        if (f.is_string()) out.push_back(f.get<std::string>());
      }
    }
  };
  scan(document);
  if (auto body = document.find("epcisBody"); body != document.end() && body->is_object()) {
    scan(*body);
    if (auto q = body->find("queryResults"); q != body->end()) scan(*q);
  }
  return out;
}

Result<const json*> EventListOf(const json& document) {
  if (!document.is_object()) return Status::Invalid("the document is not a JSON object");
  auto body = document.find("epcisBody");
  if (body == document.end() || !body->is_object()) return Status::Invalid("field epcisBody: missing");
  if (auto list = body->find("eventList"); list != body->end()) return &*list;
  if (auto q = body->find("queryResults"); q != body->end() && q->is_object()) {
    auto results = q->find("resultsBody");
    if (results != q->end() && results->is_object()) {
      if (auto list = results->find("eventList"); list != results->end()) return &*list;
    }
    return Status::Invalid("field epcisBody.queryResults.resultsBody.eventList: missing");
  }
  if (auto event = body->find("event"); event != body->end()) return &*event;
  return Status::Invalid("field epcisBody.eventList: missing");
}

Result<std::vector<std::string>> ForEachEvent(const json& document, bool hash) {
  auto list = EventListOf(document);
  if (!list.ok()) return list.status();
  const json& events = **list;
  const json single = events.is_array() ? json() : json::array({events});
  const json& all = events.is_array() ? events : single;
  const NamespaceMap namespaces = DocumentNamespaces(document);
  const HashOptions options{IgnoreFieldsOf(document)};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto r = hash ? EventHashId(all[i], namespaces, options)
                  : EventPreHashString(all[i], namespaces, options);
    if (!r.ok()) return r.status().WithContext("event " + std::to_string(i + 1));
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace

Result<std::string> EventPreHashString(const json& event, const NamespaceMap& namespaces,
                                       const HashOptions& options) {
  try {
    return Canonicaliser(namespaces, options).Event(event);
  } catch (const std::exception& e) {  // nlohmann type errors on odd input; never expected
    return Status::Invalid(std::string("the event cannot be read: ") + e.what());
  }
}

Result<std::string> EventHashId(const json& event, const NamespaceMap& namespaces,
                                const HashOptions& options) {
  auto pre = EventPreHashString(event, namespaces, options);
  if (!pre.ok()) return pre.status();
  return "ni:///sha-256;" + hash_internal::Sha256Hex(*pre) + "?ver=CBV2.0";
}

NamespaceMap DocumentNamespaces(const json& document) {
  NamespaceMap out;
  if (!document.is_object()) return out;
  auto ctx = document.find("@context");
  if (ctx == document.end()) return out;
  const json list = ctx->is_array() ? *ctx : json::array({*ctx});
  for (const json& c : list) {
    if (!c.is_object()) continue;
    for (const auto& [k, v] : c.items()) {
      if (v.is_string() && !k.starts_with("@")) out[k] = v.get<std::string>();
    }
  }
  return out;
}

Result<std::vector<std::string>> DocumentEventHashIds(const json& document) {
  return ForEachEvent(document, true);
}

Result<std::vector<std::string>> DocumentPreHashStrings(const json& document) {
  return ForEachEvent(document, false);
}

}  // namespace jejak::epcis
