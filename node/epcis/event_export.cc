// jejak::v1::Event -> JSON event object (the inverse of event_parse.cc).
#include <charconv>
#include <cmath>
#include <string>

#include "node/epcis/event_json.h"

namespace jejak::epcis {
namespace {

using Json = nlohmann::ordered_json;
using jejak::v1::Event;
using jejak::v1::JsonMember;
using Members = google::protobuf::RepeatedPtrField<JsonMember>;

constexpr double kMaxExactDouble = 9007199254740992.0;

// Integral values are written as JSON integers (26, not 26.0): equal as JSON values either way,
// and the shorter form is what most documents use.
Json Number(double d) {
  if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= kMaxExactDouble) {
    return Json(static_cast<int64_t>(d));
  }
  return Json(d);
}

// Whole quantities as JSON integers, others as the double nearest the exact decimal: every
// quantity the ledger accepts has at most 15 significant digits, so that double's shortest text
// (what the JSON is written with) is the decimal itself.
Json QuantityNumber(int64_t micros) {
  if (micros % Quantity::kMicrosPerUnit == 0) return Json(micros / Quantity::kMicrosPerUnit);
  const std::string text = FormatMicros(micros);
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return Json(value);
}

Status AddMembers(const Members& members, const char* where, Json* out) {
  for (const JsonMember& m : members) {
    try {
      (*out)[m.key()] = Json::parse(m.json());
    } catch (const std::exception& e) {
      return Status::Corruption(std::string(where) + " member '" + m.key() +
                                "': stored JSON text is not valid JSON");
    }
  }
  return Status::Ok();
}

Json StringList(const google::protobuf::RepeatedPtrField<std::string>& list) {
  Json out = Json::array();
  for (const std::string& s : list) out.push_back(s);
  return out;
}

Json QuantityList(const google::protobuf::RepeatedPtrField<jejak::v1::QuantityElement>& list) {
  Json out = Json::array();
  for (const jejak::v1::QuantityElement& q : list) {
    Json e = Json::object();
    e["epcClass"] = q.epc_class();
    if (q.has_quantity_micros()) e["quantity"] = QuantityNumber(q.quantity_micros());
    if (!q.uom().empty()) e["uom"] = q.uom();
    out.push_back(std::move(e));
  }
  return out;
}

Result<Json> LocationJson(const jejak::v1::Location& loc) {
  Json out = Json::object();
  out["id"] = loc.id();
  JEJAK_RETURN_IF_ERROR(AddMembers(loc.extensions(), "location", &out));
  return out;
}

Json SourceDestList(const google::protobuf::RepeatedPtrField<jejak::v1::SourceDest>& list,
                    const char* id_key) {
  Json out = Json::array();
  for (const jejak::v1::SourceDest& sd : list) {
    Json e = Json::object();
    if (!sd.type().empty()) e["type"] = sd.type();
    e[id_key] = sd.id();
    out.push_back(std::move(e));
  }
  return out;
}

Result<Json> SensorMetadataJson(const jejak::v1::SensorMetadata& m) {
  Json out = Json::object();
  if (m.has_time()) out["time"] = m.time();
  if (m.has_device_id()) out["deviceID"] = m.device_id();
  if (m.has_device_metadata()) out["deviceMetadata"] = m.device_metadata();
  if (m.has_raw_data()) out["rawData"] = m.raw_data();
  if (m.has_start_time()) out["startTime"] = m.start_time();
  if (m.has_end_time()) out["endTime"] = m.end_time();
  if (m.has_data_processing_method()) out["dataProcessingMethod"] = m.data_processing_method();
  if (m.has_biz_rules()) out["bizRules"] = m.biz_rules();
  JEJAK_RETURN_IF_ERROR(AddMembers(m.extensions(), "sensorMetadata", &out));
  return out;
}

Result<Json> SensorReportJson(const jejak::v1::SensorReport& r) {
  Json out = Json::object();
  if (r.has_type()) out["type"] = r.type();
  if (r.has_exception()) out["exception"] = r.exception();
  if (r.has_device_id()) out["deviceID"] = r.device_id();
  if (r.has_device_metadata()) out["deviceMetadata"] = r.device_metadata();
  if (r.has_raw_data()) out["rawData"] = r.raw_data();
  if (r.has_data_processing_method()) out["dataProcessingMethod"] = r.data_processing_method();
  if (r.has_time()) out["time"] = r.time();
  if (r.has_microorganism()) out["microorganism"] = r.microorganism();
  if (r.has_chemical_substance()) out["chemicalSubstance"] = r.chemical_substance();
  if (r.has_value()) out["value"] = Number(r.value());
  if (r.has_component()) out["component"] = r.component();
  if (r.has_string_value()) out["stringValue"] = r.string_value();
  if (r.has_boolean_value()) out["booleanValue"] = r.boolean_value();
  if (r.has_hex_binary_value()) out["hexBinaryValue"] = r.hex_binary_value();
  if (r.has_uri_value()) out["uriValue"] = r.uri_value();
  if (r.has_min_value()) out["minValue"] = Number(r.min_value());
  if (r.has_max_value()) out["maxValue"] = Number(r.max_value());
  if (r.has_mean_value()) out["meanValue"] = Number(r.mean_value());
  if (r.has_s_dev()) out["sDev"] = Number(r.s_dev());
  if (r.has_perc_rank()) out["percRank"] = Number(r.perc_rank());
  if (r.has_perc_value()) out["percValue"] = Number(r.perc_value());
  if (r.has_uom()) out["uom"] = r.uom();
  if (r.has_coordinate_reference_system()) {
    out["coordinateReferenceSystem"] = r.coordinate_reference_system();
  }
  if (r.has_biz_rules()) out["bizRules"] = r.biz_rules();
  JEJAK_RETURN_IF_ERROR(AddMembers(r.extensions(), "sensorReport", &out));
  return out;
}

Result<Json> SensorElementListJson(
    const google::protobuf::RepeatedPtrField<jejak::v1::SensorElement>& list) {
  Json out = Json::array();
  for (const jejak::v1::SensorElement& e : list) {
    Json element = Json::object();
    if (e.has_sensor_metadata()) {
      Result<Json> m = SensorMetadataJson(e.sensor_metadata());
      if (!m.ok()) return m.status();
      element["sensorMetadata"] = std::move(*m);
    }
    if (e.sensor_report_size() > 0) {
      Json reports = Json::array();
      for (const jejak::v1::SensorReport& r : e.sensor_report()) {
        Result<Json> rj = SensorReportJson(r);
        if (!rj.ok()) return rj.status();
        reports.push_back(std::move(*rj));
      }
      element["sensorReport"] = std::move(reports);
    }
    JEJAK_RETURN_IF_ERROR(AddMembers(e.extensions(), "sensorElement", &element));
    out.push_back(std::move(element));
  }
  return out;
}

Result<Json> ErrorDeclarationJson(const jejak::v1::ErrorDeclaration& d) {
  Json out = Json::object();
  if (!d.declaration_time().empty()) out["declarationTime"] = d.declaration_time();
  if (!d.reason().empty()) out["reason"] = d.reason();
  if (d.corrective_event_ids_size() > 0) {
    out["correctiveEventIDs"] = StringList(d.corrective_event_ids());
  }
  JEJAK_RETURN_IF_ERROR(AddMembers(d.extensions(), "errorDeclaration", &out));
  return out;
}

const char* ActionName(jejak::v1::Action a) {
  switch (a) {
    case jejak::v1::ADD: return "ADD";
    case jejak::v1::OBSERVE: return "OBSERVE";
    case jejak::v1::DELETE: return "DELETE";
    default: return "";
  }
}

void PutString(Json* out, const char* key, const std::string& value) {
  if (!value.empty()) (*out)[key] = value;
}

void PutStringList(Json* out, const char* key,
                   const google::protobuf::RepeatedPtrField<std::string>& list) {
  if (!list.empty()) (*out)[key] = StringList(list);
}

void PutQuantityList(Json* out, const char* key,
                     const google::protobuf::RepeatedPtrField<jejak::v1::QuantityElement>& list) {
  if (!list.empty()) (*out)[key] = QuantityList(list);
}

Status PutWhat(const Event& ev, Json* out) {
  PutStringList(out, "epcList", ev.epc_list());
  PutQuantityList(out, "quantityList", ev.quantity_list());
  PutString(out, "parentID", ev.parent_id());
  PutStringList(out, "childEPCs", ev.child_epcs());
  PutQuantityList(out, "childQuantityList", ev.child_quantity_list());
  PutStringList(out, "inputEPCList", ev.input_epc_list());
  PutQuantityList(out, "inputQuantityList", ev.input_quantity_list());
  PutStringList(out, "outputEPCList", ev.output_epc_list());
  PutQuantityList(out, "outputQuantityList", ev.output_quantity_list());
  PutString(out, "transformationID", ev.transformation_id());
  if (ev.action() != jejak::v1::ACTION_UNSPECIFIED) (*out)["action"] = ActionName(ev.action());
  return Status::Ok();
}

Status PutWhyWhere(const Event& ev, Json* out) {
  PutString(out, "bizStep", ev.biz_step());
  PutString(out, "disposition", ev.disposition());
  if (ev.has_persistent_disposition()) {
    Json pd = Json::object();
    PutStringList(&pd, "set", ev.persistent_disposition().set());
    PutStringList(&pd, "unset", ev.persistent_disposition().unset());
    (*out)["persistentDisposition"] = std::move(pd);
  }
  for (auto [key, has, loc] : {std::tuple{"readPoint", ev.has_read_point(), &ev.read_point()},
                               std::tuple{"bizLocation", ev.has_biz_location(), &ev.biz_location()}}) {
    if (!has) continue;
    Result<Json> l = LocationJson(*loc);
    if (!l.ok()) return l.status();
    (*out)[key] = std::move(*l);
  }
  if (!ev.biz_transaction_list().empty()) {
    Json list = Json::array();
    for (const jejak::v1::BizTransaction& bt : ev.biz_transaction_list()) {
      Json e = Json::object();
      if (!bt.type().empty()) e["type"] = bt.type();
      e["bizTransaction"] = bt.biz_transaction();
      list.push_back(std::move(e));
    }
    (*out)["bizTransactionList"] = std::move(list);
  }
  if (!ev.source_list().empty()) (*out)["sourceList"] = SourceDestList(ev.source_list(), "source");
  if (!ev.destination_list().empty()) {
    (*out)["destinationList"] = SourceDestList(ev.destination_list(), "destination");
  }
  return Status::Ok();
}

Status PutHowAndMore(const Event& ev, Json* out) {
  if (!ev.sensor_element_list().empty()) {
    Result<Json> list = SensorElementListJson(ev.sensor_element_list());
    if (!list.ok()) return list.status();
    (*out)["sensorElementList"] = std::move(*list);
  }
  if (ev.has_ilmd()) {
    Json ilmd = Json::object();
    JEJAK_RETURN_IF_ERROR(AddMembers(ev.ilmd(), "ilmd", &ilmd));
    (*out)["ilmd"] = std::move(ilmd);
  }
  if (ev.has_error_declaration()) {
    Result<Json> d = ErrorDeclarationJson(ev.error_declaration());
    if (!d.ok()) return d.status();
    (*out)["errorDeclaration"] = std::move(*d);
  }
  for (const std::string& key : ev.empty_lists()) (*out)[key] = Json::array();
  JEJAK_RETURN_IF_ERROR(AddMembers(ev.extensions(), "event", out));
  return AddMembers(ev.unmodelled(), "event", out);
}

}  // namespace

Result<Json> EventToJsonObject(const Event& ev) {
  Json out = Json::object();
  if (ev.has_context_json()) {
    try {
      out["@context"] = Json::parse(ev.context_json());
    } catch (const std::exception&) {
      return Status::Corruption("event @context: stored JSON text is not valid JSON");
    }
  }
  const char* type = EventTypeName(ev.type());
  if (*type == '\0') return Status::Invalid("event has no type");
  out["type"] = type;
  PutString(&out, "eventID", ev.event_id());
  PutString(&out, "eventTime", ev.event_time());
  PutString(&out, "eventTimeZoneOffset", ev.event_time_zone_offset());
  PutString(&out, "recordTime", ev.record_time());
  if (ev.certification_info_is_list()) {
    out["certificationInfo"] = StringList(ev.certification_info());
  } else if (ev.certification_info_size() == 1) {
    out["certificationInfo"] = ev.certification_info(0);
  } else if (ev.certification_info_size() > 1) {
    out["certificationInfo"] = StringList(ev.certification_info());
  }
  JEJAK_RETURN_IF_ERROR(PutWhat(ev, &out));
  JEJAK_RETURN_IF_ERROR(PutWhyWhere(ev, &out));
  JEJAK_RETURN_IF_ERROR(PutHowAndMore(ev, &out));
  return out;
}

}  // namespace jejak::epcis
