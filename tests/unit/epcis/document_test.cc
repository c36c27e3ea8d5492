#include "node/epcis/document.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "node/epcis/event_id.h"
#include "node/epcis/rfc3339.h"
#include "node/epcis/validate.h"

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

// Every .jsonld file of a conformance folder, sorted so failures are reproducible.
std::vector<fs::path> JsonLdFiles(const char* folder) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(JEJAK_CONFORMANCE_DIR) / folder)) {
    if (entry.path().extension() == ".jsonld") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const Json& EventListOf(const Json& doc) {
  const Json& body = doc.at("epcisBody");
  if (body.contains("queryResults")) return body["queryResults"]["resultsBody"]["eventList"];
  return body.at("eventList");
}

void ExpectRoundTrip(const fs::path& path) {
  SCOPED_TRACE(path.filename().string());
  const std::string text = ReadFile(path);
  Result<std::vector<jejak::v1::Event>> events = ParseDocument(text);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  const Json original = Json::parse(text);
  const Json& list = EventListOf(original);
  ASSERT_EQ(events->size(), list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    Result<Json> exported = EventToJson((*events)[i]);
    ASSERT_TRUE(exported.ok()) << exported.status().ToString();
    EXPECT_EQ(*exported, list[i]) << "event " << i + 1 << "\nexported: " << exported->dump()
                                  << "\noriginal: " << list[i].dump();
    // The serialised proto must carry everything, too.
    jejak::v1::Event reread;
    ASSERT_TRUE(reread.ParseFromString((*events)[i].SerializeAsString()));
    Result<Json> again = EventToJson(reread);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, list[i]);
  }
  // And a whole exported document reads back to the same events.
  Result<std::string> doc = ExportDocument(*events, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  Result<std::vector<jejak::v1::Event>> reparsed = ParseDocument(*doc);
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  ASSERT_EQ(reparsed->size(), events->size());
  for (std::size_t i = 0; i < events->size(); ++i) {
    Result<Json> a = EventToJson((*events)[i]);
    Result<Json> b = EventToJson((*reparsed)[i]);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b) << "event " << i + 1;
  }
}

TEST(DocumentTest, EveryOfficialExampleRoundTrips) {
  const std::vector<fs::path> files = JsonLdFiles("epcis-examples");
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& path : files) ExpectRoundTrip(path);
}

TEST(DocumentTest, EveryEventHashDocumentRoundTrips) {
  const std::vector<fs::path> files = JsonLdFiles("epcis-event-hash");
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& path : files) ExpectRoundTrip(path);
}

// Replaces, one at a time, every value inside an event (to a bounded depth) by values of other
// JSON kinds; whatever the parser accepts must export back exactly. This is what "lossless"
// means for input the standard does not allow.
void CollectPointers(const Json& v, const Json::json_pointer& at, int depth,
                     std::vector<Json::json_pointer>* out) {
  if (depth > 5) return;
  if (!at.empty()) out->push_back(at);
  if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      // Inside a user extension everything is kept as JSON text anyway: replace it whole only.
      if (key.find(':') != std::string::npos) {
        out->push_back(at / key);
        continue;
      }
      CollectPointers(value, at / key, depth + 1, out);
    }
  } else if (v.is_array()) {
    // Later items have the shape of the first ones; two are enough and keep the test fast.
    for (std::size_t i = 0; i < v.size() && i < 2; ++i) {
      CollectPointers(v[i], at / i, depth + 1, out);
    }
  }
}

TEST(DocumentTest, ValuesOfEveryOtherKindAreKeptOrRefusedNeverLost) {
  const Json odd_values[] = {Json::object(), Json::array(), Json(""), Json(-0.5), Json(true),
                             Json(9007199254740993ULL), Json::parse(R"({"x:y": [1, {"z": "w"}]})")};
  int accepted = 0, refused = 0;
  for (const fs::path& path : JsonLdFiles("epcis-examples")) {
    const Json doc = Json::parse(ReadFile(path));
    for (Json event : EventListOf(doc)) {
      // Big user extensions are opaque JSON text to the parser; one of them is enough here.
      bool kept_one = false;
      for (auto it = event.begin(); it != event.end();) {
        const bool extension = it.key().find(':') != std::string::npos;
        if (extension && kept_one) {
          it = event.erase(it);
        } else {
          kept_one = kept_one || extension;
          ++it;
        }
      }
      std::vector<Json::json_pointer> pointers;
      CollectPointers(event, Json::json_pointer(), 0, &pointers);
      for (const Json::json_pointer& p : pointers) {
        for (const Json& odd : odd_values) {
          Json mutated = event;
          mutated[p] = odd;
          Result<jejak::v1::Event> parsed = ParseEventJson(mutated.dump());
          if (!parsed.ok()) {
            ++refused;
            EXPECT_EQ(parsed.status().code(), StatusCode::kInvalid) << path << p.to_string();
            continue;
          }
          ++accepted;
          // The validator and the event id must cope with whatever the parser accepts.
          const Status verdict = ValidateForCapture(*parsed);
          EXPECT_TRUE(verdict.ok() || verdict.code() == StatusCode::kInvalid) << verdict.ToString();
          const Result<std::string> id = EventId(*parsed);
          EXPECT_NE(id.status().code(), StatusCode::kInternal) << id.status().ToString();
          Result<Json> back = EventToJson(*parsed);
          ASSERT_TRUE(back.ok()) << back.status().ToString();
          ASSERT_EQ(*back, mutated) << path.filename() << " " << p.to_string() << " = " << odd.dump();
        }
      }
    }
  }
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(refused, 10);
}

std::string Doc(const std::string& events, const std::string& context = "") {
  return R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld")" +
         (context.empty() ? "" : ", " + context) +
         R"(], "type": "EPCISDocument", "schemaVersion": "2.0",
         "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {"eventList": [)" +
         events + "]}}";
}

const char* kGoodEvent = R"({"type": "ObjectEvent", "action": "OBSERVE",
    "eventTime": "2005-04-03T20:33:31.116-06:00", "eventTimeZoneOffset": "-06:00",
    "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]})";

TEST(DocumentTest, TypesStandardFieldsAndTime) {
  Result<std::vector<jejak::v1::Event>> events = ParseDocument(Doc(kGoodEvent));
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  const jejak::v1::Event& ev = (*events)[0];
  EXPECT_EQ(ev.type(), jejak::v1::OBJECT_EVENT);
  EXPECT_EQ(ev.action(), jejak::v1::OBSERVE);
  EXPECT_EQ(ev.event_time(), "2005-04-03T20:33:31.116-06:00");
  // 2005-04-04T02:33:31.116Z
  EXPECT_EQ(ev.event_time_ms(), 1112582011116);
  EXPECT_EQ(ev.event_time_zone_offset(), "-06:00");
  ASSERT_EQ(ev.epc_list_size(), 1);
  EXPECT_TRUE(ev.unmodelled().empty());
  EXPECT_TRUE(ev.extensions().empty());
}

TEST(DocumentTest, QueryDocumentEventsAreFound) {
  const std::string doc = R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"ex": "http://ex.com/"}], "type": "EPCISQueryDocument",
    "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery",
    "resultsBody": {"eventList": [)" + std::string(kGoodEvent) + "]}}}}";
  Result<std::vector<jejak::v1::Event>> events = ParseDocument(doc);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(events->size(), 1u);
}

TEST(DocumentTest, KeepsExtensionsIlmdAndUsedNamespacesOnly) {
  const std::string ev = R"({"type": "ObjectEvent", "action": "ADD",
    "eventTime": "2020-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
    "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
    "ilmd": {"ext1:lot": "A", "ext1:n": 3}, "ext2:note": {"ext2:deep": [1, 2.5, true, null]}})";
  Result<std::vector<jejak::v1::Event>> events = ParseDocument(
      Doc(ev, R"({"ext1": "http://ext1.example.com/", "ext2": "http://ext2.example.com/",
                 "unused": "http://unused.example.com/"})"));
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  const jejak::v1::Event& e = (*events)[0];
  ASSERT_TRUE(e.has_ilmd());
  ASSERT_EQ(e.ilmd_size(), 2);
  EXPECT_EQ(e.ilmd(0).key(), "ext1:lot");
  EXPECT_EQ(e.ilmd(1).json(), "3");
  ASSERT_EQ(e.extensions_size(), 1);
  EXPECT_EQ(e.extensions(0).key(), "ext2:note");
  ASSERT_EQ(e.namespaces_size(), 2);
  EXPECT_EQ(e.namespaces(0).prefix(), "ext1");
  EXPECT_EQ(e.namespaces(0).uri(), "http://ext1.example.com/");
  EXPECT_EQ(e.namespaces(1).prefix(), "ext2");
}

TEST(DocumentTest, EventContextOverridesDocumentContextAndIsKept) {
  const std::string ev = R"({"@context": {"ext1": "http://mine.example.com/"},
    "type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2020-01-01T00:00:00Z",
    "eventTimeZoneOffset": "+00:00", "epcList": [], "ext1:x": "1"})";
  Result<std::vector<jejak::v1::Event>> events =
      ParseDocument(Doc(ev, R"({"ext1": "http://doc.example.com/"})"));
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  const jejak::v1::Event& e = (*events)[0];
  ASSERT_EQ(e.namespaces_size(), 1);
  EXPECT_EQ(e.namespaces(0).uri(), "http://mine.example.com/");
  ASSERT_EQ(e.empty_lists_size(), 1);
  Result<Json> back = EventToJson(e);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, Json::parse(ev));
}

TEST(DocumentTest, OddShapesAreKeptAsUnmodelled) {
  const std::string ev = R"({"type": "TransactionEvent", "action": "ADD",
    "eventTime": "2020-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
    "bizTransactionList": [{"bizTransaction": "urn:x:1"}], "epcList": ["urn:epc:id:giai:952005385.w2"],
    "sourceList": {"type": "location", "source": "urn:epc:id:sgln:952005385.481.0"},
    "action2": 1, "quantityList": [{"epcClass": "urn:x", "quantity": "3"}]})";
  Result<std::vector<jejak::v1::Event>> events = ParseDocument(Doc(ev));
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  const jejak::v1::Event& e = (*events)[0];
  ASSERT_EQ(e.unmodelled_size(), 2);
  EXPECT_EQ(e.unmodelled(0).key(), "sourceList");
  EXPECT_EQ(e.unmodelled(1).key(), "quantityList");
  EXPECT_EQ(e.source_list_size(), 0);
  Result<Json> back = EventToJson(e);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, Json::parse(ev));
}

TEST(DocumentTest, IgnoreFieldsOfTheDocumentAreRecorded) {
  const std::string doc = R"({"@context": ["https://gs1.github.io/EPCIS/epcis-context.jsonld",
    {"r": "https://r.example.com/"}],
    "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z",
    "r:ignoreFields": ["r:hash", "r:absent"], "epcisBody": {"eventList": [
    {"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2020-01-01T00:00:00Z",
     "eventTimeZoneOffset": "+00:00", "epcList": ["urn:epc:id:sgtin:0614141.107346.1"],
     "r:hash": "abc"}]}})";
  Result<std::vector<jejak::v1::Event>> events = ParseDocument(doc);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ((*events)[0].hash_ignore_fields_size(), 1);
  EXPECT_EQ((*events)[0].hash_ignore_fields(0), "r:hash");
}

TEST(DocumentTest, ExportedDocumentBindsEveryNamespace) {
  Result<std::vector<jejak::v1::Event>> a = ParseDocument(
      Doc(R"({"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2020-01-01T00:00:00Z",
              "eventTimeZoneOffset": "+00:00", "epcList": [], "p:x": "1"})",
          R"({"p": "http://one.example.com/"})"));
  Result<std::vector<jejak::v1::Event>> b = ParseDocument(
      Doc(R"({"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2020-01-01T00:00:00Z",
              "eventTimeZoneOffset": "+00:00", "epcList": [], "p:x": "2", "q:y": "3"})",
          R"({"p": "http://two.example.com/", "q": "http://q.example.com/"})"));
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<jejak::v1::Event> both = {(*a)[0], (*b)[0]};
  Result<nlohmann::ordered_json> doc = EventsToDocument(both, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const auto& context = (*doc)["@context"];
  ASSERT_EQ(context.size(), 2u);
  EXPECT_EQ(context[1]["p"], "http://one.example.com/");
  EXPECT_EQ(context[1]["q"], "http://q.example.com/");
  // The second event's own binding of p differs, so it travels with the event.
  const auto& second = (*doc)["epcisBody"]["eventList"][1];
  ASSERT_TRUE(second.contains("@context"));
  Result<std::vector<jejak::v1::Event>> reparsed = ParseDocument(doc->dump());
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  ASSERT_EQ((*reparsed)[1].namespaces_size(), 2);
  EXPECT_EQ((*reparsed)[1].namespaces(0).uri(), "http://two.example.com/");
}

// Each way a document can be broken gets a clear Invalid naming the event and the member.
struct BrokenCase {
  const char* name;
  std::string text;
  const char* expected_message_part;
};

TEST(DocumentTest, BrokenDocumentsAreRefusedWithTheReason) {
  const std::string second_bad_time = Doc(std::string(kGoodEvent) + "," +
      R"({"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2020-13-01T00:00:00Z",
          "eventTimeZoneOffset": "+00:00", "epcList": []})");
  const std::vector<BrokenCase> cases = {
      {"not json", "{\"type\": ", "not valid JSON"},
      {"not an object", "[1, 2]", "must be a JSON object"},
      {"no type", R"({"epcisBody": {"eventList": []}})", "type: missing"},
      {"wrong type", R"({"type": "Foo", "epcisBody": {"eventList": []}})", "type: 'Foo'"},
      {"no body", R"({"type": "EPCISDocument"})", "epcisBody"},
      {"no list", R"({"type": "EPCISDocument", "epcisBody": {}})", "eventList"},
      {"list not array", R"({"type": "EPCISDocument", "epcisBody": {"eventList": {}}})",
       "eventList"},
      {"query without results", R"({"type": "EPCISQueryDocument", "epcisBody": {}})",
       "queryResults"},
      {"event not object", Doc("42"), "event 1: an event must be a JSON object"},
      {"event without type", Doc(R"({"eventTime": "2020-01-01T00:00:00Z"})"),
       "event 1: type: missing"},
      {"unknown event type", Doc(R"({"type": "FooEvent", "eventTime": "2020-01-01T00:00:00Z"})"),
       "event 1: type: 'FooEvent' is not an EPCIS event type"},
      {"no event time", Doc(R"({"type": "ObjectEvent", "action": "ADD"})"),
       "event 1: eventTime: missing"},
      {"event time not a string", Doc(R"({"type": "ObjectEvent", "eventTime": 5})"),
       "event 1: eventTime: must be a string"},
      {"bad month", second_bad_time,
       "event 2: eventTime: not an RFC 3339 date-time: '2020-13-01T00:00:00Z'"},
      {"bad declaration time",
       Doc(R"({"type": "ObjectEvent", "eventTime": "2020-01-01T00:00:00Z",
              "errorDeclaration": {"declarationTime": "yesterday"}})"),
       "event 1: errorDeclaration.declarationTime: not an RFC 3339 date-time: 'yesterday'"},
      {"duplicate member",
       Doc(R"({"type": "ObjectEvent", "eventTime": "2020-01-01T00:00:00Z", "action": "ADD",
              "action": "DELETE"})"),
       "member 'action' appears twice"},
  };
  for (const BrokenCase& c : cases) {
    Result<std::vector<jejak::v1::Event>> r = ParseDocument(c.text);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalid) << c.name;
    EXPECT_NE(r.status().message().find(c.expected_message_part), std::string::npos)
        << c.name << ": " << r.status().message();
  }
}

TEST(DocumentTest, LimitsAreEnforced) {
  std::string deep(kMaxJsonDepth + 1, '[');
  deep += std::string(kMaxJsonDepth + 1, ']');
  Result<std::vector<jejak::v1::Event>> r = ParseDocument(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("nesting"), std::string::npos);

  std::string nested_event = R"({"type": "ObjectEvent", "eventTime": "2020-01-01T00:00:00Z", "x:y": )";
  nested_event += std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']') + "}";
  r = ParseDocument(Doc(nested_event));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);

  std::string big(kMaxDocumentBytes + 1, ' ');
  r = ParseDocument(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("bytes"), std::string::npos);

  std::string many;
  for (std::size_t i = 0; i <= kMaxEventsPerDocument; ++i) many += (i ? ",{}" : "{}");
  r = ParseDocument(Doc(many));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("events"), std::string::npos);
}

TEST(DocumentTest, SingleEventParse) {
  Result<jejak::v1::Event> ev = ParseEventJson(kGoodEvent);
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_EQ(ev->type(), jejak::v1::OBJECT_EVENT);
  EXPECT_FALSE(ParseEventJson("{}").ok());
}

TEST(Rfc3339Test, AcceptsAndConverts) {
  struct Case {
    const char* text;
    int64_t ms;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"1970-01-01T00:00:00.001Z", 1},
      {"1970-01-01T01:00:00+01:00", 0},
      {"1969-12-31T23:59:59.999Z", -1},
      {"2023-02-02T11:04:03.1415Z", 1675335843142},
      {"2023-02-02T11:04:03.1414Z", 1675335843141},
      {"2023-02-02T11:04:03.9995Z", 1675335844000},
      {"2000-02-29T12:00:00z", 951825600000},
      {"2005-04-03t20:33:31.116000-06:00", 1112582011116},
  };
  for (const Case& c : cases) {
    Result<int64_t> ms = ParseRfc3339Ms(c.text);
    ASSERT_TRUE(ms.ok()) << c.text << ": " << ms.status().ToString();
    EXPECT_EQ(*ms, c.ms) << c.text;
  }
}

TEST(Rfc3339Test, FormatsUtcAndReadsBack) {
  struct Case {
    int64_t ms;
    const char* text;
  };
  const Case cases[] = {
      {0, "1970-01-01T00:00:00Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {946684800000, "2000-01-01T00:00:00Z"},
      {951825600000, "2000-02-29T12:00:00Z"},
      {1675335843142, "2023-02-02T11:04:03.142Z"},
      {kMinRfc3339Ms, "0000-01-01T00:00:00Z"},
      {kMaxRfc3339Ms, "9999-12-31T23:59:59.999Z"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatRfc3339Ms(c.ms), c.text) << c.ms;
    Result<int64_t> back = ParseRfc3339Ms(FormatRfc3339Ms(c.ms));
    ASSERT_TRUE(back.ok()) << c.text;
    EXPECT_EQ(*back, c.ms) << c.text;
  }
}

// Times no clock shows still format without overflow (the sanitizer build caught one: a block
// time near INT64_MIN in a refusal's message), with a year out of RFC 3339's range.
TEST(Rfc3339Test, FormatsTheExtremesOfInt64) {
  EXPECT_EQ(FormatRfc3339Ms(INT64_MIN), "-292275055-05-16T16:47:04.192Z");
  EXPECT_EQ(FormatRfc3339Ms(INT64_MIN + 1), "-292275055-05-16T16:47:04.193Z");
  EXPECT_EQ(FormatRfc3339Ms(INT64_MAX), "292278994-08-17T07:12:55.807Z");
  EXPECT_FALSE(ParseRfc3339Ms(FormatRfc3339Ms(INT64_MIN)).ok());
}

TEST(Rfc3339Test, RefusesMalformed) {
  const char* bad[] = {"",
                       "2020-13-01T00:00:00Z",
                       "2020-02-30T00:00:00Z",
                       "2019-02-29T00:00:00Z",
                       "2020-01-01",
                       "2020-01-01 00:00:00Z",
                       "2020-01-01T24:00:00Z",
                       "2020-01-01T00:60:00Z",
                       "2020-01-01T00:00:00",
                       "2020-01-01T00:00:00.Z",
                       "2020-01-01T00:00:00+0100",
                       "2020-01-01T00:00:00+01:00x",
                       "20-01-01T00:00:00Z"};
  for (const char* text : bad) {
    Result<int64_t> ms = ParseRfc3339Ms(text);
    EXPECT_FALSE(ms.ok()) << text;
    if (!ms.ok()) {
      EXPECT_NE(ms.status().message().find("RFC 3339"), std::string::npos);
    }
  }
  EXPECT_TRUE(IsTimeZoneOffset("+14:00"));
  EXPECT_TRUE(IsTimeZoneOffset("-06:30"));
  EXPECT_FALSE(IsTimeZoneOffset("+14:30"));
  EXPECT_FALSE(IsTimeZoneOffset("+1:00"));
  EXPECT_FALSE(IsTimeZoneOffset("Z"));
}

}  // namespace
}  // namespace jejak::epcis
