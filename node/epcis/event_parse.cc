// JSON event object -> jejak::v1::Event.
//
// Rule that keeps the import lossless: a standard member is typed only when its value has
// exactly the shape the model can write back (e.g. sourceList as an array of {type, source}
// objects). Any other shape goes, unchanged, to Event.unmodelled (for a member of the event)
// or to the enclosing object's `extensions` (for a member of a sub-object such as
// sensorMetadata); ValidateForCapture refuses both. Only what the model cannot hold at all
// (no type, an unknown type, an eventTime that is not a date-time) fails here.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include "node/epcis/event_json.h"
#include "node/epcis/rfc3339.h"

namespace jejak::epcis {
namespace {

using Json = nlohmann::ordered_json;
using jejak::v1::Event;
using jejak::v1::JsonMember;

// Integers beyond 2^53 do not survive a trip through a double.
constexpr uint64_t kMaxExactInteger = 9007199254740992ULL;  // 2^53

void AddMember(google::protobuf::RepeatedPtrField<JsonMember>* members, const std::string& key,
               const Json& value) {
  JsonMember* m = members->Add();
  m->set_key(key);
  m->set_json(value.dump());
}

bool IsNonEmptyString(const Json& v) { return v.is_string() && !v.get_ref<const std::string&>().empty(); }

// A number that a double holds exactly (so the export writes the same value back).
bool AsExactDouble(const Json& v, double* out) {
  if (v.is_number_float()) {
    *out = v.get<double>();
    return std::isfinite(*out);
  }
  // Compare as integers: the conversion to double would round 2^53 + 1 down to 2^53.
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > kMaxExactInteger) return false;
    *out = static_cast<double>(u);
    return true;
  }
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i > static_cast<int64_t>(kMaxExactInteger) || i < -static_cast<int64_t>(kMaxExactInteger)) {
      return false;
    }
    *out = static_cast<double>(i);
    return true;
  }
  return false;
}

bool ParseStringList(const Json& v, google::protobuf::RepeatedPtrField<std::string>* out) {
  if (!v.is_array() || v.empty()) return false;
  for (const Json& item : v) {
    if (!IsNonEmptyString(item)) return false;
  }
  for (const Json& item : v) out->Add(item.get<std::string>());
  return true;
}

// A quantity the ledger can hold exactly (node/epcis/quantity.h); any other number leaves the
// list unmodelled, and ValidateForCapture names what is wrong with it.
bool SetQuantity(const Json& v, jejak::v1::QuantityElement* q) {
  Result<Quantity> quantity = QuantityOfJson(v);
  if (!quantity.ok()) return false;
  q->set_quantity_micros(quantity->micros());
  return true;
}

bool ParseQuantityList(const Json& v,
                       google::protobuf::RepeatedPtrField<jejak::v1::QuantityElement>* out) {
  if (!v.is_array() || v.empty()) return false;
  google::protobuf::RepeatedPtrField<jejak::v1::QuantityElement> parsed;
  for (const Json& item : v) {
    if (!item.is_object()) return false;
    jejak::v1::QuantityElement* q = parsed.Add();
    for (const auto& [key, value] : item.items()) {
      if (key == "epcClass" && IsNonEmptyString(value)) {
        q->set_epc_class(value.get<std::string>());
      } else if (key == "quantity" && SetQuantity(value, q)) {
      } else if (key == "uom" && IsNonEmptyString(value)) {
        q->set_uom(value.get<std::string>());
      } else {
        return false;
      }
    }
    if (q->epc_class().empty()) return false;
  }
  out->Swap(&parsed);
  return true;
}

bool ParseLocation(const Json& v, jejak::v1::Location* out) {
  if (!v.is_object() || !v.contains("id") || !IsNonEmptyString(v["id"])) return false;
  for (const auto& [key, value] : v.items()) {
    if (key == "id") {
      out->set_id(value.get<std::string>());
    } else {
      AddMember(out->mutable_extensions(), key, value);
    }
  }
  return true;
}

bool ParseBizTransactions(const Json& v,
                          google::protobuf::RepeatedPtrField<jejak::v1::BizTransaction>* out) {
  if (!v.is_array() || v.empty()) return false;
  google::protobuf::RepeatedPtrField<jejak::v1::BizTransaction> parsed;
  for (const Json& item : v) {
    if (!item.is_object()) return false;
    jejak::v1::BizTransaction* bt = parsed.Add();
    for (const auto& [key, value] : item.items()) {
      if (key == "type" && IsNonEmptyString(value)) {
        bt->set_type(value.get<std::string>());
      } else if (key == "bizTransaction" && IsNonEmptyString(value)) {
        bt->set_biz_transaction(value.get<std::string>());
      } else {
        return false;
      }
    }
    if (bt->biz_transaction().empty()) return false;
  }
  out->Swap(&parsed);
  return true;
}

// `id_key` is "source" or "destination".
bool ParseSourceDest(const Json& v, const char* id_key,
                     google::protobuf::RepeatedPtrField<jejak::v1::SourceDest>* out) {
  if (!v.is_array() || v.empty()) return false;
  google::protobuf::RepeatedPtrField<jejak::v1::SourceDest> parsed;
  for (const Json& item : v) {
    if (!item.is_object()) return false;
    jejak::v1::SourceDest* sd = parsed.Add();
    for (const auto& [key, value] : item.items()) {
      if (key == "type" && IsNonEmptyString(value)) {
        sd->set_type(value.get<std::string>());
      } else if (key == id_key && IsNonEmptyString(value)) {
        sd->set_id(value.get<std::string>());
      } else {
        return false;
      }
    }
    if (sd->id().empty()) return false;
  }
  out->Swap(&parsed);
  return true;
}

bool ParsePersistentDisposition(const Json& v, jejak::v1::PersistentDisposition* out) {
  if (!v.is_object()) return false;
  jejak::v1::PersistentDisposition parsed;
  for (const auto& [key, value] : v.items()) {
    if (key == "set") {
      if (!ParseStringList(value, parsed.mutable_set())) return false;
    } else if (key == "unset") {
      if (!ParseStringList(value, parsed.mutable_unset())) return false;
    } else {
      return false;
    }
  }
  *out = std::move(parsed);
  return true;
}

Status ParseErrorDeclaration(const Json& v, jejak::v1::ErrorDeclaration* out, bool* fits) {
  *fits = v.is_object();
  if (!*fits) return Status::Ok();
  for (const auto& [key, value] : v.items()) {
    if (key == "declarationTime" && IsNonEmptyString(value)) {
      Result<int64_t> ms = ParseRfc3339Ms(value.get<std::string>());
      if (!ms.ok()) return ms.status().WithContext("errorDeclaration.declarationTime");
      out->set_declaration_time(value.get<std::string>());
      out->set_declaration_time_ms(*ms);
    } else if (key == "reason" && IsNonEmptyString(value)) {
      out->set_reason(value.get<std::string>());
    } else if (key == "correctiveEventIDs" &&
               ParseStringList(value, out->mutable_corrective_event_ids())) {
      // typed
    } else {
      AddMember(out->mutable_extensions(), key, value);
    }
  }
  return Status::Ok();
}

// Sets an optional string field of a sensor message when the value is a string.
template <typename Setter>
bool SetString(const Json& value, Setter setter) {
  if (!value.is_string()) return false;
  setter(value.get<std::string>());
  return true;
}

template <typename Setter>
bool SetNumber(const Json& value, Setter setter) {
  double d;
  if (!AsExactDouble(value, &d)) return false;
  setter(d);
  return true;
}

void ParseSensorMetadata(const Json& v, jejak::v1::SensorMetadata* m) {
  for (const auto& [key, value] : v.items()) {
    bool typed = false;
    // (value captured by name: clang 14, which builds the fuzz targets, cannot capture a binding)
    auto str = [&, &value = value](auto setter) { typed = SetString(value, setter); };
    if (key == "time") str([&](std::string s) { m->set_time(std::move(s)); });
    else if (key == "deviceID") str([&](std::string s) { m->set_device_id(std::move(s)); });
    else if (key == "deviceMetadata") str([&](std::string s) { m->set_device_metadata(std::move(s)); });
    else if (key == "rawData") str([&](std::string s) { m->set_raw_data(std::move(s)); });
    else if (key == "startTime") str([&](std::string s) { m->set_start_time(std::move(s)); });
    else if (key == "endTime") str([&](std::string s) { m->set_end_time(std::move(s)); });
    else if (key == "dataProcessingMethod") str([&](std::string s) { m->set_data_processing_method(std::move(s)); });
    else if (key == "bizRules") str([&](std::string s) { m->set_biz_rules(std::move(s)); });
    if (!typed) AddMember(m->mutable_extensions(), key, value);
  }
}

bool ParseSensorReportString(const std::string& key, const Json& value, jejak::v1::SensorReport* r) {
  using R = jejak::v1::SensorReport;
  static const std::pair<const char*, void (R::*)(const std::string&)> kFields[] = {
      {"type", &R::set_type},
      {"exception", &R::set_exception},
      {"deviceID", &R::set_device_id},
      {"deviceMetadata", &R::set_device_metadata},
      {"rawData", &R::set_raw_data},
      {"dataProcessingMethod", &R::set_data_processing_method},
      {"time", &R::set_time},
      {"microorganism", &R::set_microorganism},
      {"chemicalSubstance", &R::set_chemical_substance},
      {"component", &R::set_component},
      {"stringValue", &R::set_string_value},
      {"hexBinaryValue", &R::set_hex_binary_value},
      {"uriValue", &R::set_uri_value},
      {"uom", &R::set_uom},
      {"coordinateReferenceSystem", &R::set_coordinate_reference_system},
      {"bizRules", &R::set_biz_rules},
  };
  for (const auto& [name, setter] : kFields) {
    if (key == name) {
      if (!value.is_string()) return false;
      (r->*setter)(value.get<std::string>());
      return true;
    }
  }
  return false;
}

bool ParseSensorReportNumber(const std::string& key, const Json& value, jejak::v1::SensorReport* r) {
  using R = jejak::v1::SensorReport;
  static const std::pair<const char*, void (R::*)(double)> kFields[] = {
      {"value", &R::set_value},         {"minValue", &R::set_min_value},
      {"maxValue", &R::set_max_value},  {"meanValue", &R::set_mean_value},
      {"sDev", &R::set_s_dev},          {"percRank", &R::set_perc_rank},
      {"percValue", &R::set_perc_value},
  };
  for (const auto& [name, setter] : kFields) {
    if (key == name) {
      return SetNumber(value, [&, setter = setter](double d) { (r->*setter)(d); });
    }
  }
  return false;
}

void ParseSensorReport(const Json& v, jejak::v1::SensorReport* r) {
  for (const auto& [key, value] : v.items()) {
    bool typed = ParseSensorReportString(key, value, r) || ParseSensorReportNumber(key, value, r);
    if (!typed && key == "booleanValue" && value.is_boolean()) {
      r->set_boolean_value(value.get<bool>());
      typed = true;
    }
    if (!typed) AddMember(r->mutable_extensions(), key, value);
  }
}

bool ParseSensorElements(const Json& v,
                         google::protobuf::RepeatedPtrField<jejak::v1::SensorElement>* out) {
  if (!v.is_array() || v.empty()) return false;
  for (const Json& item : v) {
    if (!item.is_object()) return false;
  }
  for (const Json& item : v) {
    jejak::v1::SensorElement* e = out->Add();
    for (const auto& [key, value] : item.items()) {
      if (key == "sensorMetadata" && value.is_object()) {
        ParseSensorMetadata(value, e->mutable_sensor_metadata());
      } else if (key == "sensorReport" && value.is_array() && !value.empty() &&
                 std::all_of(value.begin(), value.end(), [](const Json& r) { return r.is_object(); })) {
        for (const Json& report : value) ParseSensorReport(report, e->add_sensor_report());
      } else {
        AddMember(e->mutable_extensions(), key, value);
      }
    }
  }
  return true;
}

bool ParseCertificationInfo(const Json& v, Event* ev) {
  if (IsNonEmptyString(v)) {
    ev->add_certification_info(v.get<std::string>());
    ev->set_certification_info_is_list(false);
    return true;
  }
  if (!v.is_array()) return false;
  for (const Json& item : v) {
    if (!IsNonEmptyString(item)) return false;
  }
  for (const Json& item : v) ev->add_certification_info(item.get<std::string>());
  ev->set_certification_info_is_list(true);
  return true;
}

Status ParseType(const Json& object, Event* ev) {
  if (!object.contains("type")) return Status::Invalid("type: missing (every event needs one)");
  const Json& t = object["type"];
  if (!t.is_string()) return Status::Invalid("type: must be a string");
  static const std::pair<const char*, jejak::v1::EventType> kTypes[] = {
      {"ObjectEvent", jejak::v1::OBJECT_EVENT},
      {"AggregationEvent", jejak::v1::AGGREGATION_EVENT},
      {"TransformationEvent", jejak::v1::TRANSFORMATION_EVENT},
      {"TransactionEvent", jejak::v1::TRANSACTION_EVENT},
      {"AssociationEvent", jejak::v1::ASSOCIATION_EVENT},
  };
  for (const auto& [name, type] : kTypes) {
    if (t.get_ref<const std::string&>() == name) {
      ev->set_type(type);
      return Status::Ok();
    }
  }
  return Status::Invalid("type: '" + t.get<std::string>() +
                         "' is not an EPCIS event type (ObjectEvent, AggregationEvent, "
                         "TransformationEvent, TransactionEvent, AssociationEvent)");
}

Status ParseEventTime(const Json& value, Event* ev) {
  if (!value.is_string()) return Status::Invalid("eventTime: must be a string");
  Result<int64_t> ms = ParseRfc3339Ms(value.get<std::string>());
  if (!ms.ok()) return ms.status().WithContext("eventTime");
  ev->set_event_time(value.get<std::string>());
  ev->set_event_time_ms(*ms);
  return Status::Ok();
}

bool ParseAction(const Json& value, Event* ev) {
  if (!value.is_string()) return false;
  const std::string& a = value.get_ref<const std::string&>();
  if (a == "ADD") ev->set_action(jejak::v1::ADD);
  else if (a == "OBSERVE") ev->set_action(jejak::v1::OBSERVE);
  else if (a == "DELETE") ev->set_action(jejak::v1::DELETE);
  else return false;
  return true;
}

bool IsListMember(const std::string& key) {
  static const char* const kLists[] = {
      "epcList",         "quantityList",       "childEPCs",         "childQuantityList",
      "inputEPCList",    "inputQuantityList",  "outputEPCList",     "outputQuantityList",
      "bizTransactionList", "sourceList",      "destinationList",   "sensorElementList"};
  for (const char* k : kLists) {
    if (key == k) return true;
  }
  return false;
}

// Sets a plain string member; false if `key` is not one or the value is not a non-empty string.
bool ParseStringMember(const std::string& key, const Json& value, Event* ev) {
  static const std::pair<const char*, void (Event::*)(const std::string&)> kFields[] = {
      {"eventID", &Event::set_event_id},
      {"eventTimeZoneOffset", &Event::set_event_time_zone_offset},
      {"recordTime", &Event::set_record_time},
      {"bizStep", &Event::set_biz_step},
      {"disposition", &Event::set_disposition},
      {"parentID", &Event::set_parent_id},
      {"transformationID", &Event::set_transformation_id},
  };
  for (const auto& [name, setter] : kFields) {
    if (key == name) {
      if (!IsNonEmptyString(value)) return false;
      (ev->*setter)(value.get<std::string>());
      return true;
    }
  }
  return false;
}

bool ParseListMember(const std::string& key, const Json& value, Event* ev) {
  if (key == "epcList") return ParseStringList(value, ev->mutable_epc_list());
  if (key == "childEPCs") return ParseStringList(value, ev->mutable_child_epcs());
  if (key == "inputEPCList") return ParseStringList(value, ev->mutable_input_epc_list());
  if (key == "outputEPCList") return ParseStringList(value, ev->mutable_output_epc_list());
  if (key == "quantityList") return ParseQuantityList(value, ev->mutable_quantity_list());
  if (key == "childQuantityList") return ParseQuantityList(value, ev->mutable_child_quantity_list());
  if (key == "inputQuantityList") return ParseQuantityList(value, ev->mutable_input_quantity_list());
  if (key == "outputQuantityList") return ParseQuantityList(value, ev->mutable_output_quantity_list());
  if (key == "bizTransactionList") return ParseBizTransactions(value, ev->mutable_biz_transaction_list());
  if (key == "sourceList") return ParseSourceDest(value, "source", ev->mutable_source_list());
  if (key == "destinationList") return ParseSourceDest(value, "destination", ev->mutable_destination_list());
  if (key == "sensorElementList") return ParseSensorElements(value, ev->mutable_sensor_element_list());
  return false;
}

bool ParseIlmd(const Json& value, Event* ev) {
  if (!value.is_object()) return false;
  ev->set_has_ilmd(true);
  for (const auto& [key, member] : value.items()) AddMember(ev->mutable_ilmd(), key, member);
  return true;
}

// Which standard members this parser knows; anything else at event level is a user extension.
bool IsStandardMember(const std::string& key) {
  static const char* const kOthers[] = {
      "type",        "eventID",     "eventTime",       "eventTimeZoneOffset", "recordTime",
      "action",      "bizStep",     "disposition",     "readPoint",           "bizLocation",
      "persistentDisposition",      "errorDeclaration", "certificationInfo",  "parentID",
      "transformationID",           "ilmd"};
  for (const char* k : kOthers) {
    if (key == k) return true;
  }
  return IsListMember(key);
}

// Parses one standard member; *fits is false when the value's shape is not the typed one.
Status ParseStandardMember(const std::string& key, const Json& value, Event* ev, bool* fits) {
  *fits = true;
  if (key == "type") return Status::Ok();  // read by ParseType
  if (key == "eventTime") return ParseEventTime(value, ev);
  if (key == "errorDeclaration") {
    jejak::v1::ErrorDeclaration declaration;
    JEJAK_RETURN_IF_ERROR(ParseErrorDeclaration(value, &declaration, fits));
    if (*fits) *ev->mutable_error_declaration() = std::move(declaration);
    return Status::Ok();
  }
  if (IsListMember(key) && value.is_array() && value.empty()) {
    ev->add_empty_lists(key);
    return Status::Ok();
  }
  if (ParseStringMember(key, value, ev) || ParseListMember(key, value, ev)) return Status::Ok();
  jejak::v1::Location location;
  jejak::v1::PersistentDisposition persistent;
  if (key == "action") {
    *fits = ParseAction(value, ev);
  } else if (key == "readPoint" || key == "bizLocation") {
    *fits = ParseLocation(value, &location);
    if (*fits && key == "readPoint") *ev->mutable_read_point() = std::move(location);
    if (*fits && key == "bizLocation") *ev->mutable_biz_location() = std::move(location);
  } else if (key == "persistentDisposition") {
    *fits = ParsePersistentDisposition(value, &persistent);
    if (*fits) *ev->mutable_persistent_disposition() = std::move(persistent);
  } else if (key == "certificationInfo") {
    *fits = ParseCertificationInfo(value, ev);
  } else if (key == "ilmd") {
    *fits = ParseIlmd(value, ev);
  } else {
    *fits = false;
  }
  return Status::Ok();
}

void CollectPrefixes(const Json& v, const PrefixMap& bound, PrefixMap* used, int depth) {
  if (depth > 64) return;  // the parser already bounds depth; this guards direct callers
  auto note = [&](const std::string& s) {
    const std::size_t colon = s.find(':');
    if (colon == std::string::npos || colon == 0) return;
    auto it = bound.find(s.substr(0, colon));
    if (it != bound.end()) (*used)[it->first] = it->second;
  };
  if (v.is_string()) {
    note(v.get_ref<const std::string&>());
  } else if (v.is_array()) {
    for (const Json& item : v) CollectPrefixes(item, bound, used, depth + 1);
  } else if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      if (key == "@context") continue;
      note(key);
      CollectPrefixes(value, bound, used, depth + 1);
    }
  }
}

}  // namespace

void AddContextBindings(const Json& context, PrefixMap* bindings) {
  if (context.is_array()) {
    for (const Json& item : context) {
      if (item.is_object()) AddContextBindings(item, bindings);
    }
    return;
  }
  if (!context.is_object()) return;  // a remote context URI: nothing we can read offline
  for (const auto& [key, value] : context.items()) {
    if (key.empty() || key[0] == '@' || !value.is_string()) continue;
    if (key.find(':') != std::string::npos) continue;  // a compact IRI term, not a prefix
    (*bindings)[key] = value.get<std::string>();
  }
}

Result<Quantity> QuantityOfJson(const Json& value) {
  if (value.is_number_unsigned()) return Quantity::Parse(std::to_string(value.get<uint64_t>()));
  if (value.is_number_integer()) return Quantity::Parse(std::to_string(value.get<int64_t>()));
  if (value.is_number_float()) return Quantity::FromDouble(value.get<double>());
  return Status::Invalid("quantity must be a number (found " + value.dump().substr(0, 40) + ")");
}

Result<Event> EventFromJson(const Json& object, const PrefixMap& inherited,
                            const std::set<std::string>& ignore_fields) {
  if (!object.is_object()) return Status::Invalid("an event must be a JSON object");
  Event ev;
  JEJAK_RETURN_IF_ERROR(ParseType(object, &ev));
  if (!object.contains("eventTime")) {
    return Status::Invalid("eventTime: missing (every event needs one)");
  }
  PrefixMap bound = inherited;
  for (const auto& [key, value] : object.items()) {
    if (key == "@context") {
      ev.set_context_json(value.dump());
      AddContextBindings(value, &bound);
      continue;
    }
    if (ignore_fields.count(key) != 0) ev.add_hash_ignore_fields(key);
    if (!IsStandardMember(key)) {
      AddMember(ev.mutable_extensions(), key, value);
      continue;
    }
    bool fits = true;
    JEJAK_RETURN_IF_ERROR(ParseStandardMember(key, value, &ev, &fits));
    if (!fits) AddMember(ev.mutable_unmodelled(), key, value);
  }
  PrefixMap used;
  CollectPrefixes(object, bound, &used, 0);
  for (const auto& [prefix, uri] : used) {
    jejak::v1::NamespaceBinding* b = ev.add_namespaces();
    b->set_prefix(prefix);
    b->set_uri(uri);
  }
  return ev;
}

const char* EventTypeName(jejak::v1::EventType type) {
  switch (type) {
    case jejak::v1::OBJECT_EVENT: return "ObjectEvent";
    case jejak::v1::AGGREGATION_EVENT: return "AggregationEvent";
    case jejak::v1::TRANSFORMATION_EVENT: return "TransformationEvent";
    case jejak::v1::TRANSACTION_EVENT: return "TransactionEvent";
    case jejak::v1::ASSOCIATION_EVENT: return "AssociationEvent";
    default: return "";
  }
}

}  // namespace jejak::epcis
