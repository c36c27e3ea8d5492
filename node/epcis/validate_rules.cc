#include "node/epcis/validate_rules.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "node/epcis/event_json.h"
#include "node/epcis/identifiers.h"
#include "node/epcis/quantity.h"
#include "node/epcis/unit_codes.h"
#include "node/epcis/rfc3339.h"
#include "node/epcis/rule_codes.h"

namespace jejak::epcis {
namespace {

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The CBV 2.0 short names, as the EPCIS 2.0 JSON schema lists them.
const std::vector<std::string_view>& ShortNames(Vocab vocab) {
  static const std::vector<std::string_view> kBizSteps = {
      "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
      "creating_class_instance", "cycle_counting", "decommissioning", "departing", "destroying",
      "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting",
      "installing", "killing", "loading", "other", "packing", "picking", "receiving", "removing",
      "repackaging", "repairing", "replacing", "reserving", "retail_selling", "shipping",
      "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading",
      "unpacking", "void_shipping", "sensor_reporting", "sampling"};
  static const std::vector<std::string_view> kDispositions = {
      "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded",
      "expired", "in_progress", "in_transit", "inactive", "no_pedigree_match",
      "non_sellable_other", "partially_dispensed", "recalled", "reserved", "retail_sold",
      "returned", "sellable_accessible", "sellable_not_accessible", "stolen", "unknown",
      "available", "completeness_verified", "completeness_inferred", "conformant",
      "container_open", "mismatch_instance", "mismatch_class", "mismatch_quantity",
      "needs_replacement", "non_conformant", "unavailable"};
  static const std::vector<std::string_view> kBizTransactionTypes = {
      "bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma",
      "testprd", "testres", "upevt"};
  static const std::vector<std::string_view> kSourceDestTypes = {"owning_party",
                                                                 "possessing_party", "location"};
  static const std::vector<std::string_view> kErrorReasons = {"did_not_occur", "incorrect_data"};
  static const std::vector<std::string_view> kMeasurementTypes = {
      "AbsoluteHumidity", "AbsorbedDose", "AbsorbedDoseRate", "Acceleration", "Radioactivity",
      "Altitude", "AmountOfSubstance", "AmountOfSubstancePerUnitVolume", "Angle",
      "AngularAcceleration", "AngularMomentum", "AngularVelocity", "Area", "Capacitance",
      "Conductance", "Conductivity", "Count", "Density", "Dimensionless", "DoseEquivalent",
      "DoseEquivalentRate", "DynamicViscosity", "ElectricCharge", "ElectricCurrent",
      "ElectricCurrentDensity", "ElectricFieldStrength", "Energy", "Exposure", "Force",
      "Frequency", "Illuminance", "Inductance", "Irradiance", "KinematicViscosity", "Length",
      "LinearMomentum", "Luminance", "LuminousFlux", "LuminousIntensity", "MagneticFlux",
      "MagneticFluxDensity", "MagneticVectorPotential", "Mass", "MassConcentration",
      "MassFlowRate", "MassPerAreaTime", "MemoryCapacity", "MolalityOfSolute", "MolarEnergy",
      "MolarMass", "MolarVolume", "Power", "Pressure", "RadiantFlux", "RadiantIntensity",
      "RelativeHumidity", "Resistance", "Resistivity", "SolidAngle", "SpecificVolume", "Speed",
      "SurfaceDensity", "SurfaceTension", "Temperature", "Time", "Torque", "Voltage", "Volume",
      "VolumeFlowRate", "VolumeFraction", "VolumetricFlux", "Wavenumber"};
  static const std::vector<std::string_view> kAlertTypes = {"ALARM_CONDITION", "ERROR_CONDITION"};
  static const std::vector<std::string_view> kComponents = {
      "x", "y", "z", "axial_distance", "azimuth", "height", "spherical_radius", "polar_angle",
      "elevation_angle", "easting", "northing", "latitude", "longitude", "altitude"};
  switch (vocab) {
    case Vocab::kBizStep: return kBizSteps;
    case Vocab::kDisposition: return kDispositions;
    case Vocab::kBizTransactionType: return kBizTransactionTypes;
    case Vocab::kSourceDestType: return kSourceDestTypes;
    case Vocab::kErrorReason: return kErrorReasons;
    case Vocab::kMeasurementType: return kMeasurementTypes;
    case Vocab::kSensorAlertType: return kAlertTypes;
    case Vocab::kComponent: return kComponents;
  }
  return kBizSteps;
}

const char* VocabName(Vocab vocab) {
  switch (vocab) {
    case Vocab::kBizStep: return "a CBV business step";
    case Vocab::kDisposition: return "a CBV disposition";
    case Vocab::kBizTransactionType: return "a CBV business transaction type";
    case Vocab::kSourceDestType: return "a CBV source/destination type";
    case Vocab::kErrorReason: return "a CBV error reason";
    case Vocab::kMeasurementType: return "a GS1 measurement type";
    case Vocab::kSensorAlertType: return "a sensor alert type";
    case Vocab::kComponent: return "a CBV component";
  }
  return "";
}

bool IsHex(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isxdigit(c) != 0;
  });
}

Status CheckMetadata(const std::string& field, const jejak::v1::SensorMetadata& m) {
  static const char* const kStandard[] = {"time", "deviceID", "deviceMetadata", "rawData",
                                          "startTime", "endTime", "dataProcessingMethod",
                                          "bizRules"};
  for (const jejak::v1::JsonMember& x : m.extensions()) {
    for (const char* name : kStandard) {
      if (x.key() == name) {
        return Status::Invalid(field + "." + name + ": must be a string (found " +
                               JsonKindOf(x.json()) + ")");
      }
    }
  }
  if (m.has_time()) JEJAK_RETURN_IF_ERROR(CheckTime(field + ".time", m.time()));
  if (m.has_start_time()) JEJAK_RETURN_IF_ERROR(CheckTime(field + ".startTime", m.start_time()));
  if (m.has_end_time()) JEJAK_RETURN_IF_ERROR(CheckTime(field + ".endTime", m.end_time()));
  const std::pair<const char*, const std::string*> uris[] = {
      {"deviceID", m.has_device_id() ? &m.device_id() : nullptr},
      {"deviceMetadata", m.has_device_metadata() ? &m.device_metadata() : nullptr},
      {"rawData", m.has_raw_data() ? &m.raw_data() : nullptr},
      {"dataProcessingMethod", m.has_data_processing_method() ? &m.data_processing_method() : nullptr},
      {"bizRules", m.has_biz_rules() ? &m.biz_rules() : nullptr}};
  for (const auto& [name, value] : uris) {
    if (value != nullptr) JEJAK_RETURN_IF_ERROR(CheckUri(field + "." + name, *value));
  }
  return Status::Ok();
}

Status CheckReportExtensions(const std::string& field, const jejak::v1::SensorReport& r) {
  static const char* const kStandard[] = {
      "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
      "bizRules", "time", "microorganism", "chemicalSubstance", "coordinateReferenceSystem",
      "value", "component", "stringValue", "booleanValue", "hexBinaryValue", "uriValue",
      "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue", "uom"};
  for (const jejak::v1::JsonMember& x : r.extensions()) {
    for (const char* name : kStandard) {
      if (x.key() != name) continue;
      return Status::Invalid(field + "." + name + ": has the wrong type (found " +
                             JsonKindOf(x.json()) + ")");
    }
  }
  return Status::Ok();
}

Status CheckReport(const std::string& field, const jejak::v1::SensorReport& r) {
  JEJAK_RETURN_IF_ERROR(CheckReportExtensions(field, r));
  if (!r.has_type()) return Status::Invalid(field + ".type: missing (every sensor report needs one)");
  JEJAK_RETURN_IF_ERROR(CheckVocab(field + ".type", r.type(), Vocab::kMeasurementType));
  if (r.has_exception()) {
    JEJAK_RETURN_IF_ERROR(CheckVocab(field + ".exception", r.exception(), Vocab::kSensorAlertType));
  }
  if (r.has_component()) {
    JEJAK_RETURN_IF_ERROR(CheckVocab(field + ".component", r.component(), Vocab::kComponent));
  }
  if (r.has_time()) JEJAK_RETURN_IF_ERROR(CheckTime(field + ".time", r.time()));
  if (r.has_uom()) JEJAK_RETURN_IF_ERROR(CheckUnitCode(r.uom()).WithContext(field + ".uom"));
  if (r.has_hex_binary_value() && !IsHex(r.hex_binary_value())) {
    return Status::Invalid(field + ".hexBinaryValue: " + Quote(r.hex_binary_value()) +
                           " is not hexadecimal");
  }
  const std::pair<const char*, const std::string*> uris[] = {
      {"deviceID", r.has_device_id() ? &r.device_id() : nullptr},
      {"deviceMetadata", r.has_device_metadata() ? &r.device_metadata() : nullptr},
      {"rawData", r.has_raw_data() ? &r.raw_data() : nullptr},
      {"dataProcessingMethod", r.has_data_processing_method() ? &r.data_processing_method() : nullptr},
      {"microorganism", r.has_microorganism() ? &r.microorganism() : nullptr},
      {"chemicalSubstance", r.has_chemical_substance() ? &r.chemical_substance() : nullptr},
      {"coordinateReferenceSystem",
       r.has_coordinate_reference_system() ? &r.coordinate_reference_system() : nullptr},
      {"uriValue", r.has_uri_value() ? &r.uri_value() : nullptr},
      {"bizRules", r.has_biz_rules() ? &r.biz_rules() : nullptr}};
  for (const auto& [name, value] : uris) {
    if (value != nullptr) JEJAK_RETURN_IF_ERROR(CheckUri(field + "." + name, *value));
  }
  return Status::Ok();
}

// An http(s) URI whose first path segment names a GS1 primary key ("/01/...", "/gtin/...")
// claims to be a GS1 Digital Link, and must then be one (check digit, layout).
bool ClaimsToBeDigitalLink(std::string_view s) {
  std::size_t start;
  if (StartsWith(s, "https://")) {
    start = 8;
  } else if (StartsWith(s, "http://")) {
    start = 7;
  } else {
    return false;
  }
  const std::size_t slash = s.find('/', start);
  if (slash == std::string_view::npos) return false;
  std::string_view segment = s.substr(slash + 1);
  segment = segment.substr(0, segment.find_first_of("/?#"));
  static constexpr std::string_view kKeys[] = {
      "01",   "8006", "8010", "414",  "417",   "8017", "8018", "255",  "00",   "253",
      "401",  "402",  "8003", "8004", "gtin",  "itip", "cpid", "gln",  "party", "gsrnp",
      "gsrn", "gcn",  "sscc", "gdti", "ginc",  "gsin", "grai", "giai"};
  return std::find(std::begin(kKeys), std::end(kKeys), segment) != std::end(kKeys);
}

}  // namespace

bool IsUri(std::string_view s) {
  if (s.size() > kMaxUriChars) return false;
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const unsigned char c = s[i];
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return false;
    if (c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' ||
        c == '|' || c == '}') {
      return false;
    }
  }
  return true;
}

Status CheckUri(const std::string& field, const std::string& value) {
  if (IsUri(value)) return Status::Ok();
  if (value.size() > kMaxUriChars) {
    return Status::Invalid(field + ": a URI of " + std::to_string(value.size()) +
                           " characters is longer than the limit of " +
                           std::to_string(kMaxUriChars));
  }
  return Status::Invalid(field + ": " + Quote(value) + " is not a URI (scheme:...)");
}

Status CheckTime(const std::string& field, const std::string& value) {
  Result<int64_t> ms = ParseRfc3339Ms(value);
  return ms.ok() ? Status::Ok() : ms.status().WithContext(field);
}

Status CheckVocab(const std::string& field, const std::string& value, Vocab vocab) {
  const auto& names = ShortNames(vocab);
  if (std::find(names.begin(), names.end(), value) != names.end()) return Status::Ok();
  const bool gs1_voc_uri = vocab == Vocab::kMeasurementType || vocab == Vocab::kSensorAlertType;
  if (gs1_voc_uri && (StartsWith(value, "https://gs1.org/voc/") ||
                      StartsWith(value, "http://gs1.org/voc/") ||
                      StartsWith(value, "https://www.gs1.org/voc/") ||
                      StartsWith(value, "http://www.gs1.org/voc/"))) {
    return Status::Invalid(field + ": write GS1 vocabulary values by their short name, not as " +
                           Quote(value));
  }
  if (!gs1_voc_uri && (StartsWith(value, "urn:epcglobal:cbv") ||
                       StartsWith(value, "https://ns.gs1.org/cbv/") ||
                       StartsWith(value, "http://ns.gs1.org/cbv/"))) {
    return Status::Invalid(field + ": write CBV values by their short name, not as " +
                           Quote(value));
  }
  if (IsUri(value)) return Status::Ok();
  return Status::Invalid(field + ": " + Quote(value) + " is neither " + VocabName(vocab) +
                         " nor a URI");
}

Status CheckIdentifier(const std::string& field, const std::string& value, IdLevel level) {
  JEJAK_RETURN_IF_ERROR(CheckUri(field, value));
  if (IsEpcUrnSyntax(value)) {
    const bool is_class = StartsWith(value, "urn:epc:class:") || StartsWith(value, "urn:epc:idpat:");
    if (level == IdLevel::kInstance && is_class) {
      return Status::Invalid(field + ": " + Quote(value) +
                             " names a class of objects; list classes in a quantity list");
    }
    if (level == IdLevel::kClass && !is_class) {
      return Status::Invalid(field + ": " + Quote(value) +
                             " names a single object; an epcClass must be urn:epc:class or "
                             "urn:epc:idpat");
    }
  }
  if (IsEpcUrnSyntax(value) || IsJejakLotSyntax(value) || ClaimsToBeDigitalLink(value)) {
    Result<std::string> normal = NormalizeIdentifier(value);
    if (!normal.ok()) return normal.status().WithContext(field);
  }
  return Status::Ok();
}

Status CheckQuantityList(
    const std::string& field,
    const google::protobuf::RepeatedPtrField<jejak::v1::QuantityElement>& list) {
  for (int i = 0; i < list.size(); ++i) {
    const jejak::v1::QuantityElement& q = list[i];
    const std::string at = field + "[" + std::to_string(i) + "]";
    JEJAK_RETURN_IF_ERROR(CheckIdentifier(at + ".epcClass", q.epc_class(), IdLevel::kClass));
    if (!q.GetReflection()->GetUnknownFields(q).empty()) {
      return Status::Invalid("written in an older format (a quantity as a floating-point number, format v1); "
                             "quantities are exact decimals since format v2: upgrade the client that made the event")
          .WithRule(rule::kQuantityFormat)
          .WithContext(at);
    }
    if (q.has_quantity_micros()) {
      Result<Quantity> quantity = Quantity::FromMicros(q.quantity_micros());
      if (!quantity.ok()) return quantity.status().WithContext(at + ".quantity");
    }
    if (!q.uom().empty()) {
      if (!q.has_quantity_micros()) {
        return Status::Invalid(at + ".uom: a unit of measure needs a quantity");
      }
      JEJAK_RETURN_IF_ERROR(CheckUnitCode(q.uom()).WithContext(at + ".uom"));
    }
  }
  return Status::Ok();
}

Status CheckUnmodelledQuantityList(const std::string& field, const std::string& json_text) {
  const auto list = nlohmann::ordered_json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) return Status::Ok();
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object() || !list[i].contains("quantity")) continue;
    const auto& value = list[i]["quantity"];
    if (!value.is_number()) continue;
    Result<Quantity> quantity = QuantityOfJson(value);
    if (!quantity.ok()) {
      return quantity.status().WithContext(field + "[" + std::to_string(i) + "].quantity");
    }
  }
  return Status::Ok();
}

Status CheckSensorElement(const std::string& field, const jejak::v1::SensorElement& e) {
  for (const jejak::v1::JsonMember& x : e.extensions()) {
    if (x.key() == "sensorMetadata") {
      return Status::Invalid(field + ".sensorMetadata: must be an object (found " +
                             JsonKindOf(x.json()) + ")");
    }
    if (x.key() == "sensorReport") {
      return Status::Invalid(field + ".sensorReport: must be a non-empty array of objects (found " +
                             JsonKindOf(x.json()) + ")");
    }
  }
  if (e.has_sensor_metadata()) {
    JEJAK_RETURN_IF_ERROR(CheckMetadata(field + ".sensorMetadata", e.sensor_metadata()));
  }
  if (e.sensor_report_size() == 0) {
    return Status::Invalid(field + ".sensorReport: missing (every sensor element needs reports)");
  }
  for (int i = 0; i < e.sensor_report_size(); ++i) {
    JEJAK_RETURN_IF_ERROR(
        CheckReport(field + ".sensorReport[" + std::to_string(i) + "]", e.sensor_report(i)));
  }
  return Status::Ok();
}

std::string JsonKindOf(const std::string& json_text) {
  try {
    const nlohmann::json v = nlohmann::json::parse(json_text);
    if (v.is_object()) return v.empty() ? "an empty object" : "an object";
    if (v.is_array()) return v.empty() ? "an empty array" : "an array";
    if (v.is_string()) return v.get_ref<const std::string&>().empty() ? "an empty string" : "a string";
    if (v.is_boolean()) return "true or false";
    if (v.is_number()) return "a number";
    return "null";
  } catch (const std::exception&) {
    return "corrupt JSON text";
  }
}

}  // namespace jejak::epcis
