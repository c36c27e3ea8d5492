#include "node/epcis/event_id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "node/epcis/document.h"

namespace jejak::epcis {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Every document with a .hashes file: parse -> EventId gives the reference hash, per event.
TEST(EventIdTest, MatchesTheReferenceHashOfEveryConformanceEvent) {
  const fs::path dir = fs::path(JEJAK_CONFORMANCE_DIR) / "epcis-event-hash";
  std::vector<fs::path> docs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".jsonld") docs.push_back(entry.path());
  }
  std::sort(docs.begin(), docs.end());
  ASSERT_GE(docs.size(), 10u);
  int checked = 0;
  for (const fs::path& doc : docs) {
    fs::path hashes = doc;
    hashes.replace_extension(".hashes");
    if (!fs::exists(hashes)) continue;
    SCOPED_TRACE(doc.filename().string());
    Result<std::vector<jejak::v1::Event>> events = ParseDocument(ReadFile(doc));
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    const std::vector<std::string> expected = Lines(ReadFile(hashes));
    ASSERT_EQ(events->size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      Result<std::string> id = EventId((*events)[i]);
      ASSERT_TRUE(id.ok()) << "event " << i + 1 << ": " << id.status().ToString();
      EXPECT_EQ(*id, expected[i]) << "event " << i + 1;
      ++checked;
    }
    // Exported as a document and read back, every event keeps its id.
    Result<std::string> exported = ExportDocument(*events, "2026-01-01T00:00:00Z");
    ASSERT_TRUE(exported.ok()) << exported.status().ToString();
    Result<std::vector<jejak::v1::Event>> again = ParseDocument(*exported);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    ASSERT_EQ(again->size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      Result<std::string> id = EventId((*again)[i]);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      EXPECT_EQ(*id, expected[i]) << "re-imported event " << i + 1;
    }
  }
  EXPECT_GE(checked, 20);
}

TEST(EventIdTest, SurvivesStorageAndIgnoresEventIdAndRecordTime) {
  const std::string doc = R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"ex": "https://ex.example.com/"}], "type": "EPCISDocument", "schemaVersion": "2.0",
    "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {"eventList": [
    {"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2020-01-01T00:00:00Z",
     "eventTimeZoneOffset": "+00:00", "epcList": ["urn:epc:id:sgtin:0614141.107346.1"],
     "ex:a": "1"},
    {"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2020-01-01T00:00:00Z",
     "eventID": "urn:uuid:1", "recordTime": "2021-01-01T00:00:00Z",
     "eventTimeZoneOffset": "+00:00", "epcList": ["urn:epc:id:sgtin:0614141.107346.1"],
     "ex:a": "1"},
    {"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2020-01-01T00:00:00Z",
     "eventTimeZoneOffset": "+00:00", "epcList": ["urn:epc:id:sgtin:0614141.107346.1"],
     "ex:a": "2"}]}})";
  Result<std::vector<jejak::v1::Event>> events = ParseDocument(doc);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  jejak::v1::Event stored;
  ASSERT_TRUE(stored.ParseFromString((*events)[0].SerializeAsString()));
  Result<std::string> a = EventId((*events)[0]);
  Result<std::string> a_stored = EventId(stored);
  Result<std::string> b = EventId((*events)[1]);
  Result<std::string> c = EventId((*events)[2]);
  ASSERT_TRUE(a.ok() && a_stored.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->rfind("ni:///sha-256;", 0), 0u);
  EXPECT_EQ(*a, *a_stored);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
}

TEST(EventIdTest, ExportRefusesAnIgnoreListThatWouldChangeAnotherEventsId) {
  jejak::v1::Event a;
  a.set_type(jejak::v1::OBJECT_EVENT);
  a.set_event_time("2020-01-01T00:00:00Z");
  jejak::v1::JsonMember* m = a.add_extensions();
  m->set_key("r:hash");
  m->set_json("\"x\"");
  jejak::v1::Event b = a;
  a.add_hash_ignore_fields("r:hash");
  Result<std::string> doc = ExportDocument({a, b}, "2026-01-01T00:00:00Z");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("event 2: member 'r:hash'"), std::string::npos)
      << doc.status().message();
  EXPECT_TRUE(ExportDocument({a, a}, "2026-01-01T00:00:00Z").ok());
}

TEST(EventIdTest, CorruptStoredEventIsAnError) {
  jejak::v1::Event ev;
  ev.set_type(jejak::v1::OBJECT_EVENT);
  ev.set_event_time("2020-01-01T00:00:00Z");
  jejak::v1::JsonMember* m = ev.add_extensions();
  m->set_key("ex:a");
  m->set_json("{not json");
  Result<std::string> id = EventId(ev);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace jejak::epcis
