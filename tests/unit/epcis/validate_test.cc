#include "node/epcis/validate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "node/epcis/document.h"

namespace jejak::epcis {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> JsonLdFiles(const char* folder) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(JEJAK_CONFORMANCE_DIR) / folder)) {
    if (entry.path().extension() == ".jsonld") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The two official examples the schema refuses (see conformance/README.md): the event, counted
// from 1, and what the message must name.
struct KnownInvalid {
  const char* event;
  std::vector<std::string> message_parts;
};
const std::map<std::string, KnownInvalid>& KnownInvalidExamples() {
  static const auto* known = new std::map<std::string, KnownInvalid>{
      {"Example-TransactionEvents-2020_07_03y.jsonld",
       {"event 2: ", {"sourceList", "array", "found an object"}}},
      {"object_event_all_possible_fields.jsonld",
       {"event 1: ", {"ilmd", "ADD ObjectEvent", "OBSERVE"}}},
  };
  return *known;
}

TEST(ValidateTest, OfficialExamplesAreAcceptedExceptTheTwoTheSchemaRefuses) {
  int refused = 0;
  for (const fs::path& path : JsonLdFiles("epcis-examples")) {
    SCOPED_TRACE(path.filename().string());
    Result<std::vector<jejak::v1::Event>> events = ParseDocument(ReadFile(path));
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    const Status s = ValidateAllForCapture(*events);
    auto known = KnownInvalidExamples().find(path.filename().string());
    if (known == KnownInvalidExamples().end()) {
      EXPECT_TRUE(s.ok()) << s.ToString();
      continue;
    }
    ++refused;
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kInvalid);
    EXPECT_EQ(s.rule_code(), "epcis-format") << s.message();
    EXPECT_EQ(s.message().rfind(known->second.event, 0), 0u) << s.message();
    for (const std::string& part : known->second.message_parts) {
      EXPECT_NE(s.message().find(part), std::string::npos) << s.message();
    }
  }
  EXPECT_EQ(refused, 2);
}

TEST(ValidateTest, EventHashConformanceDocumentsAreAccepted) {
  for (const fs::path& path : JsonLdFiles("epcis-event-hash")) {
    SCOPED_TRACE(path.filename().string());
    Result<std::vector<jejak::v1::Event>> events = ParseDocument(ReadFile(path));
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    const Status s = ValidateAllForCapture(*events);
    if (path.filename() == "epclist_normalisation.jsonld") {
      // A hashing test, not a valid capture: it lists a class (urn:epc:class:lgtin) in epcList,
      // which EPCIS reserves for single objects.
      EXPECT_NE(s.message().find("event 1: [epcis-format] epcList: 'urn:epc:class:lgtin"), std::string::npos)
          << s.ToString();
      continue;
    }
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
}

// A valid base event of each type; each case below breaks one thing.
Json Base(const std::string& type) {
  Json ev = {{"type", type},
             {"eventTime", "2024-05-01T08:00:00+07:00"},
             {"eventTimeZoneOffset", "+07:00"},
             {"bizStep", "commissioning"},
             {"readPoint", {{"id", "urn:epc:id:sgln:0614141.07346.1234"}}}};
  if (type == "ObjectEvent") {
    ev["action"] = "ADD";
    ev["epcList"] = {"urn:epc:id:sgtin:0614141.107346.2017"};
    ev["quantityList"] = {{{"epcClass", "urn:jejak:lot:kop-gayo:L1"}, {"quantity", 120.5}, {"uom", "KGM"}}};
  } else if (type == "AggregationEvent" || type == "AssociationEvent") {
    ev["action"] = "ADD";
    ev["parentID"] = "urn:epc:id:sscc:0614141.1234567890";
    ev["childEPCs"] = {"urn:epc:id:sgtin:0614141.107346.2017"};
  } else if (type == "TransactionEvent") {
    ev["action"] = "ADD";
    ev["bizTransactionList"] = {{{"type", "po"}, {"bizTransaction", "http://example.com/po/1"}}};
    ev["epcList"] = {"urn:epc:id:sgtin:0614141.107346.2017"};
  } else {
    ev["inputEPCList"] = {"urn:epc:id:sgtin:0614141.107346.2017"};
    ev["outputQuantityList"] = {{{"epcClass", "urn:jejak:lot:kop-gayo:L2"}, {"quantity", 100}, {"uom", "KGM"}}};
    ev["ilmd"] = {{"ex:harvest", "2024-04"}};
  }
  return ev;
}

Status Validate(const Json& ev) {
  Result<jejak::v1::Event> parsed = ParseEventJson(ev.dump());
  if (!parsed.ok()) return parsed.status();
  return ValidateForCapture(*parsed);
}

TEST(ValidateTest, BaseEventsOfEveryTypeAreAccepted) {
  for (const char* type : {"ObjectEvent", "AggregationEvent", "TransactionEvent",
                           "TransformationEvent", "AssociationEvent"}) {
    const Status s = Validate(Base(type));
    EXPECT_TRUE(s.ok()) << type << ": " << s.ToString();
  }
  Json delete_agg = Base("AggregationEvent");
  delete_agg["action"] = "DELETE";
  delete_agg.erase("childEPCs");
  EXPECT_TRUE(Validate(delete_agg).ok());
  Json observe_agg = Base("AggregationEvent");
  observe_agg["action"] = "OBSERVE";
  observe_agg.erase("parentID");
  EXPECT_TRUE(Validate(observe_agg).ok());
  Json empty_epcs = Base("ObjectEvent");
  empty_epcs.erase("quantityList");
  empty_epcs["epcList"] = Json::array();
  EXPECT_TRUE(Validate(empty_epcs).ok()) << Validate(empty_epcs).ToString();
  Json sensors_only = Base("ObjectEvent");
  sensors_only.erase("epcList");
  sensors_only.erase("quantityList");
  sensors_only["action"] = "OBSERVE";
  sensors_only["sensorElementList"] = {{{"sensorReport", {{{"type", "Temperature"}, {"value", 21}}}}}};
  EXPECT_TRUE(Validate(sensors_only).ok()) << Validate(sensors_only).ToString();
  Json own_context = Base("ObjectEvent");
  own_context["@context"] = {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                             {{"ex", "https://ex.example.com/"}}};
  EXPECT_TRUE(Validate(own_context).ok()) << Validate(own_context).ToString();
  Json other_web_uri = Base("ObjectEvent");
  other_web_uri["epcList"] = {"https://example.com/things/42"};
  EXPECT_TRUE(Validate(other_web_uri).ok());
  Json digital_link = Base("ObjectEvent");
  digital_link["epcList"] = {"https://id.gs1.org/01/10614141073464/21/2017"};
  EXPECT_TRUE(Validate(digital_link).ok());
}

struct BreakCase {
  const char* name;
  const char* type;
  std::function<void(Json&)> change;
  const char* expected;
};

TEST(ValidateTest, EachBrokenRuleIsRefusedNamingTheField) {
  const std::vector<BreakCase> cases = {
      {"no action", "ObjectEvent", [](Json& e) { e.erase("action"); }, "action: missing"},
      {"bad action", "ObjectEvent", [](Json& e) { e["action"] = "UPDATE"; }, "action: must be ADD"},
      {"action on transformation", "TransformationEvent", [](Json& e) { e["action"] = "ADD"; },
       "TransformationEvent has no action"},
      {"no offset", "ObjectEvent", [](Json& e) { e.erase("eventTimeZoneOffset"); },
       "eventTimeZoneOffset: missing"},
      {"bad offset", "ObjectEvent", [](Json& e) { e["eventTimeZoneOffset"] = "+15:00"; },
       "eventTimeZoneOffset: '+15:00'"},
      {"bad record time", "ObjectEvent", [](Json& e) { e["recordTime"] = "2024-05-01"; },
       "recordTime: not an RFC 3339"},
      {"ilmd on observe", "ObjectEvent", [](Json& e) { e["action"] = "OBSERVE"; e["ilmd"] = {{"ex:a", 1}}; },
       "ilmd: only an ADD ObjectEvent"},
      {"ilmd on aggregation", "AggregationEvent", [](Json& e) { e["ilmd"] = {{"ex:a", 1}}; },
       "ilmd: not a member of AggregationEvent"},
      {"ilmd not namespaced", "TransformationEvent", [](Json& e) { e["ilmd"] = {{"lot", 1}}; },
       "ilmd.lot: ILMD members must be namespaced"},
      {"ilmd not object", "TransformationEvent", [](Json& e) { e["ilmd"] = "x"; },
       "ilmd: must be an object (found a string)"},
      {"parentID on object", "ObjectEvent", [](Json& e) { e["parentID"] = "urn:epc:id:sscc:0614141.1234567890"; },
       "parentID: not a member of ObjectEvent"},
      {"epcList on aggregation", "AggregationEvent", [](Json& e) { e["epcList"] = Json::array(); },
       "epcList: not a member of AggregationEvent"},
      {"nothing observed", "ObjectEvent", [](Json& e) { e.erase("epcList"); e.erase("quantityList"); },
       "epcList: missing"},
      {"no parent", "AssociationEvent", [](Json& e) { e.erase("parentID"); }, "parentID: missing"},
      {"no parent on ADD aggregation", "AggregationEvent", [](Json& e) { e.erase("parentID"); },
       "parentID: missing"},
      {"no children", "AggregationEvent", [](Json& e) { e.erase("childEPCs"); }, "childEPCs: missing"},
      {"no biz transaction", "TransactionEvent", [](Json& e) { e.erase("bizTransactionList"); },
       "bizTransactionList: missing"},
      {"no outputs", "TransformationEvent", [](Json& e) { e.erase("outputQuantityList"); },
       "needs inputs and outputs"},
      {"source as object", "ObjectEvent",
       [](Json& e) { e["sourceList"] = {{"type", "location"}, {"source", "urn:epc:id:sgln:0614141.07346.1234"}}; },
       "sourceList: must be an array of {\"type\", \"source\"} objects (found an object)"},
      {"destination as object", "ObjectEvent",
       [](Json& e) { e["destinationList"] = {{"type", "location"}, {"destination", "urn:epc:id:sgln:0614141.07346.1234"}}; },
       "destinationList: must be an array"},
      {"source without type", "ObjectEvent",
       [](Json& e) { e["sourceList"] = {{{"source", "urn:epc:id:sgln:0614141.07346.1234"}}}; },
       "sourceList[0].type: missing"},
      {"bad source type", "ObjectEvent",
       [](Json& e) { e["sourceList"] = {{{"type", "owner"}, {"source", "urn:epc:id:sgln:0614141.07346.1234"}}}; },
       "sourceList[0].type: 'owner' is neither"},
      {"negative quantity", "ObjectEvent",
       [](Json& e) { e["quantityList"][0]["quantity"] = -1; }, "quantityList[0].quantity: [quantity-negative] quantity -1 is negative"},
      {"quantity beyond the range", "ObjectEvent",
       [](Json& e) { e["quantityList"][0]["quantity"] = 1.7e308; },
       "quantityList[0].quantity: [quantity-out-of-range] quantity 1.7e+308 is out of range"},
      {"quantity over 6 decimals", "ObjectEvent",
       [](Json& e) { e["quantityList"][0]["quantity"] = 0.1234567; },
       "quantityList[0].quantity: [quantity-too-precise] quantity 0.1234567 has more than 6 decimals"},
      {"unknown uom", "ObjectEvent", [](Json& e) { e["quantityList"][0]["uom"] = "KGX"; },
       "quantityList[0].uom: [uom-unknown] 'KGX' is not a UN/CEFACT Recommendation 20 unit code"},
      {"quantity as string", "ObjectEvent",
       [](Json& e) { e["quantityList"][0]["quantity"] = "5"; }, "quantityList: must be an array of"},
      {"bad uom", "ObjectEvent", [](Json& e) { e["quantityList"][0]["uom"] = "kg"; },
       "quantityList[0].uom: [uom-unknown] 'kg' is not a UN/CEFACT"},
      {"unknown sensor uom", "ObjectEvent",
       [](Json& e) {
         e["sensorElementList"] = {{{"sensorReport", {{{"type", "Temperature"}, {"value", 21}, {"uom", "XYZ"}}}}}};
       },
       "sensorReport[0].uom: [uom-unknown] 'XYZ' is not a UN/CEFACT Recommendation 20 unit code"},
      {"uom without quantity", "ObjectEvent",
       [](Json& e) { e["quantityList"][0].erase("quantity"); }, "uom: a unit of measure needs a quantity"},
      {"instance as class", "ObjectEvent",
       [](Json& e) { e["quantityList"][0]["epcClass"] = "urn:epc:id:sgtin:0614141.107346.2017"; },
       "epcClass: 'urn:epc:id:sgtin:0614141.107346.2017' names a single object"},
      {"class in epcList", "ObjectEvent",
       [](Json& e) { e["epcList"] = {"urn:epc:class:lgtin:4012345.012345.998877"}; },
       "epcList: 'urn:epc:class:lgtin:4012345.012345.998877' names a class"},
      {"malformed EPC", "ObjectEvent", [](Json& e) { e["epcList"] = {"urn:epc:id:sgtin:0614141.10734.2017"}; },
       "epcList: EPC URN"},
      {"malformed lot", "ObjectEvent",
       [](Json& e) { e["quantityList"][0]["epcClass"] = "urn:jejak:lot:KOP:1"; }, "organisation 'KOP'"},
      {"duplicate EPC", "ObjectEvent",
       [](Json& e) { e["epcList"] = {"urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2017"}; },
       "is listed twice"},
      {"not a URI", "ObjectEvent", [](Json& e) { e["epcList"] = {"lot 7"}; }, "epcList: 'lot 7' is not a URI"},
      {"bad bizStep", "ObjectEvent", [](Json& e) { e["bizStep"] = "harvesting"; },
       "bizStep: 'harvesting' is neither a CBV business step nor a URI"},
      {"CBV URN bizStep", "ObjectEvent", [](Json& e) { e["bizStep"] = "urn:epcglobal:cbv:bizstep:shipping"; },
       "bizStep: write CBV values by their short name"},
      {"bad disposition", "ObjectEvent", [](Json& e) { e["disposition"] = "ok"; }, "disposition: 'ok'"},
      {"empty persistent set", "ObjectEvent",
       [](Json& e) { e["persistentDisposition"] = {{"set", Json::array()}}; }, "persistentDisposition: must be"},
      {"empty persistent disposition", "ObjectEvent",
       [](Json& e) { e["persistentDisposition"] = Json::object(); },
       "persistentDisposition: needs a \"set\" or an \"unset\" list"},
      {"bad persistent value", "ObjectEvent",
       [](Json& e) { e["persistentDisposition"] = {{"unset", {"fine"}}}; }, "persistentDisposition.unset: 'fine'"},
      {"readPoint without id", "ObjectEvent", [](Json& e) { e["readPoint"] = {{"x:y", 1}}; },
       "readPoint: must be an object with a string \"id\""},
      {"bad biz transaction type", "TransactionEvent",
       [](Json& e) { e["bizTransactionList"][0]["type"] = "order"; }, "bizTransactionList[0].type: 'order'"},
      {"sensor element without report", "ObjectEvent",
       [](Json& e) { e["sensorElementList"] = {{{"sensorMetadata", {{"time", "2024-05-01T08:00:00Z"}}}}}; },
       "sensorElementList[0].sensorReport: missing"},
      {"sensor report without type", "ObjectEvent",
       [](Json& e) { e["sensorElementList"] = {{{"sensorReport", {{{"value", 1}}}}}}; },
       "sensorElementList[0].sensorReport[0].type: missing"},
      {"sensor value as string", "ObjectEvent",
       [](Json& e) { e["sensorElementList"] = {{{"sensorReport", {{{"type", "Temperature"}, {"value", "1"}}}}}}; },
       "sensorReport[0].value: has the wrong type (found a string)"},
      {"sensor bad hex", "ObjectEvent",
       [](Json& e) { e["sensorElementList"] = {{{"sensorReport", {{{"type", "Temperature"}, {"hexBinaryValue", "xyz"}}}}}}; },
       "hexBinaryValue: 'xyz' is not hexadecimal"},
      {"sensor bad time", "ObjectEvent",
       [](Json& e) { e["sensorElementList"] = {{{"sensorMetadata", {{"time", "noon"}}}, {"sensorReport", {{{"type", "Temperature"}}}}}}; },
       "sensorMetadata.time: not an RFC 3339"},
      {"GS1 voc URI measurement", "ObjectEvent",
       [](Json& e) { e["sensorElementList"] = {{{"sensorReport", {{{"type", "https://gs1.org/voc/Temperature"}}}}}}; },
       "write GS1 vocabulary values by their short name"},
      {"declaration without time", "ObjectEvent",
       [](Json& e) { e["errorDeclaration"] = {{"reason", "incorrect_data"}}; },
       "errorDeclaration.declarationTime: missing"},
      {"bad error reason", "ObjectEvent",
       [](Json& e) { e["errorDeclaration"] = {{"declarationTime", "2024-05-02T00:00:00Z"}, {"reason", "oops"}}; },
       "errorDeclaration.reason: 'oops'"},
      {"corrective ids not a list", "ObjectEvent",
       [](Json& e) { e["errorDeclaration"] = {{"declarationTime", "2024-05-02T00:00:00Z"}, {"correctiveEventIDs", "urn:uuid:1"}}; },
       "errorDeclaration.correctiveEventIDs: has the wrong type"},
      {"bad certification", "ObjectEvent", [](Json& e) { e["certificationInfo"] = "certificate 12"; },
       "certificationInfo: 'certificate 12' is not a URI"},
      {"overlong URI", "ObjectEvent",
       [](Json& e) { e["readPoint"]["id"] = "urn:x:" + std::string(3000, 'a'); },
       "readPoint.id: a URI of 3006 characters is longer than the limit"},
      {"digital link with bad check digit", "ObjectEvent",
       [](Json& e) { e["epcList"] = {"https://id.gs1.org/01/10614141073465/21/2017"}; },
       "epcList: GS1 Digital Link"},
      {"short-name digital link with bad check digit", "ObjectEvent",
       [](Json& e) { e["readPoint"]["id"] = "https://example.com/gln/0614141073460"; },
       "readPoint.id: GS1 Digital Link"},
      {"bad own context", "ObjectEvent", [](Json& e) { e["@context"] = 5; }, "@context: must be"},
      {"bad own context item", "ObjectEvent", [](Json& e) { e["@context"] = {"not a uri"}; },
       "@context: must be"},
      {"bad event id", "ObjectEvent", [](Json& e) { e["eventID"] = "42"; }, "eventID: '42' is not a URI"},
      {"unnamespaced extension", "ObjectEvent", [](Json& e) { e["evenTime"] = "x"; },
       "member 'evenTime' is not an EPCIS field"},
  };
  for (const BreakCase& c : cases) {
    Json ev = Base(c.type);
    c.change(ev);
    const Status s = Validate(ev);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.code(), StatusCode::kInvalid) << c.name;
    EXPECT_NE(s.message().find(c.expected), std::string::npos) << c.name << ": " << s.message();
    // Every refusal has a rule code: its own (a quantity's, a unit's) or the general one.
    EXPECT_FALSE(s.rule_code().empty()) << c.name << ": " << s.message();
  }
}

TEST(ValidateTest, OnlyUserExtensionsMayBeLeftOutOfTheEventId) {
  Result<jejak::v1::Event> ev = ParseEventJson(Base("ObjectEvent").dump());
  ASSERT_TRUE(ev.ok());
  ev->add_hash_ignore_fields("bizStep");
  const Status s = ValidateForCapture(*ev);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ignoreFields: 'bizStep' is a standard EPCIS member"),
            std::string::npos)
      << s.message();
  jejak::v1::JsonMember* m = ev->add_extensions();
  m->set_key("r:hash");
  m->set_json("\"x\"");
  ev->clear_hash_ignore_fields();
  ev->add_hash_ignore_fields("r:hash");
  EXPECT_TRUE(ValidateForCapture(*ev).ok()) << ValidateForCapture(*ev).ToString();
}

TEST(ValidateTest, UnsetTypeIsRefused) {
  jejak::v1::Event ev;
  EXPECT_FALSE(ValidateForCapture(ev).ok());
}

// Event bytes of format v1 carried a quantity as a double in QuantityElement field 2; read by
// this format they would silently have no quantity. They are refused instead.
TEST(ValidateTest, QuantityElementsOfTheOldFormatAreRefused) {
  Result<jejak::v1::Event> parsed = ParseEventJson(Base("ObjectEvent").dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  jejak::v1::QuantityElement* q = parsed->mutable_quantity_list(0);
  q->clear_quantity_micros();
  std::string bytes = q->SerializeAsString();
  const double v1_quantity = 120.5;
  bytes += '\x11';  // field 2, 64-bit
  bytes.append(reinterpret_cast<const char*>(&v1_quantity), sizeof v1_quantity);
  ASSERT_TRUE(q->ParseFromString(bytes));
  const Status s = ValidateForCapture(*parsed);
  EXPECT_NE(s.message().find("quantityList[0]: [quantity-format] written in an older format"), std::string::npos)
      << s.ToString();
  EXPECT_NE(s.message().find("[quantity-format]"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace jejak::epcis
