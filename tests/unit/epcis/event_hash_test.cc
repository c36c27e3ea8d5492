#include "node/epcis/event_hash.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node/epcis/cbv_context.h"
#include "node/epcis/event_hash_values.h"

namespace jejak::epcis {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kHashDir = fs::path(JEJAK_CONFORMANCE_DIR) / "epcis-event-hash";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const fs::path& p) {
  std::vector<std::string> out;
  std::istringstream in(ReadFile(p));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<fs::path> ConformanceDocuments() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kHashDir)) {
    if (entry.path().extension() == ".jsonld") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(EventHashConformance, FolderHasDocuments) { EXPECT_GE(ConformanceDocuments().size(), 10u); }

// Every document of the reference implementation's examples gives exactly its .hashes lines.
TEST(EventHashConformance, EveryDocumentMatchesReferenceHashes) {
  for (const fs::path& doc : ConformanceDocuments()) {
    SCOPED_TRACE(doc.filename().string());
    fs::path hashes = doc;
    hashes.replace_extension(".hashes");
    ASSERT_TRUE(fs::exists(hashes));
    const json document = json::parse(ReadFile(doc));
    auto ids = DocumentEventHashIds(document);
    ASSERT_TRUE(ids.ok()) << ids.status().ToString();
    EXPECT_EQ(*ids, Lines(hashes));

    // The .prehashes lines show where a mismatch starts; some are stale for events whose hash
    // still matches, so only lines that hash to the expected id are compared.
    fs::path prehashes = doc;
    prehashes.replace_extension(".prehashes");
    if (!fs::exists(prehashes)) continue;
    auto pre = DocumentPreHashStrings(document);
    ASSERT_TRUE(pre.ok());
    const auto expected_pre = Lines(prehashes);
    const auto expected_ids = Lines(hashes);
    for (std::size_t i = 0; i < expected_pre.size() && i < pre->size() && i < expected_ids.size(); ++i) {
      const std::string id = "ni:///sha-256;" + hash_internal::Sha256Hex(expected_pre[i]) + "?ver=CBV2.0";
      if (id == expected_ids[i]) {
        EXPECT_EQ((*pre)[i], expected_pre[i]) << "event " << i + 1;
      }
    }
  }
}

json BaseEvent() {
  return json::parse(R"({
    "type": "ObjectEvent",
    "eventTime": "2020-03-04T11:00:30.000+01:00",
    "eventTimeZoneOffset": "+01:00",
    "epcList": ["urn:epc:id:sgtin:4012345.011111.9876", "urn:epc:id:sscc:4012345.0000000333"],
    "action": "OBSERVE",
    "bizStep": "shipping",
    "disposition": "in_transit",
    "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"},
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO1"}],
    "ex:temperature": {"ex:value": "21.50", "ex:unit": "CEL"}
  })");
}

const NamespaceMap kNs = {{"ex", "https://ns.example.com/epcis/"}};

std::string HashOf(const json& e, const NamespaceMap& ns = kNs) {
  auto id = EventHashId(e, ns);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? *id : "";
}

TEST(EventHash, PreHashStringOfAKnownEvent) {
  auto pre = EventPreHashString(BaseEvent(), kNs);
  ASSERT_TRUE(pre.ok()) << pre.status().ToString();
  EXPECT_EQ(*pre,
            "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00"
            "epcListepc=https://id.gs1.org/00/040123450000003338"
            "epc=https://id.gs1.org/01/04012345111118/21/9876action=OBSERVE"
            "bizStep=https://ref.gs1.org/cbv/BizStep-shipping"
            "disposition=https://ref.gs1.org/cbv/Disp-in_transit"
            "readPointid=https://id.gs1.org/414/4012345000115/254/987"
            "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-po"
            "bizTransaction=urn:epcglobal:cbv:bt:4012345000009:PO1"
            "{https://ns.example.com/epcis/}temperature{https://ns.example.com/epcis/}unit=CEL"
            "{https://ns.example.com/epcis/}value=21.5");
  EXPECT_TRUE(HashOf(BaseEvent()).starts_with("ni:///sha-256;"));
  EXPECT_TRUE(HashOf(BaseEvent()).ends_with("?ver=CBV2.0"));
}

TEST(EventHash, MemberAndListOrderDoNotMatter) {
  const json a = json::parse(R"({"type": "ObjectEvent", "action": "OBSERVE",
      "eventTime": "2020-03-04T11:00:30Z", "epcList": ["urn:epc:id:sgtin:4012345.011111.1",
      "urn:epc:id:sgtin:4012345.011111.2"], "ex:a": {"ex:x": "1", "ex:y": ["b", "a"]},
      "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:1:1"},
                             {"type": "inv", "bizTransaction": "urn:epcglobal:cbv:bt:1:2"}]})");
  const json b = json::parse(R"({"bizTransactionList": [
      {"bizTransaction": "urn:epcglobal:cbv:bt:1:2", "type": "inv"},
      {"bizTransaction": "urn:epcglobal:cbv:bt:1:1", "type": "po"}],
      "ex:a": {"ex:y": ["a", "b"], "ex:x": "1"}, "epcList": ["urn:epc:id:sgtin:4012345.011111.2",
      "urn:epc:id:sgtin:4012345.011111.1"], "eventTime": "2020-03-04T11:00:30Z",
      "action": "OBSERVE", "type": "ObjectEvent"})");
  EXPECT_EQ(HashOf(a), HashOf(b));
}

// Every member of every conformance event replaced by every JSON kind: a result or an Invalid
// status, never a crash or an exception.
TEST(EventHash, OddMemberValuesNeverCrash) {
  const std::vector<json> kinds = {nullptr, 0, -1.5, "", "x", true, json::array(), json::object(),
                                   json::array({nullptr, json::object()}), json{{"k", json::array()}}};
  int rejected = 0;
  int accepted = 0;
  for (const fs::path& doc : ConformanceDocuments()) {
    const json document = json::parse(ReadFile(doc));
    const NamespaceMap ns = DocumentNamespaces(document);
    const json& body = document.at("epcisBody");
    const json& list = body.contains("eventList") ? body.at("eventList")
                                                   : body.at("queryResults").at("resultsBody").at("eventList");
    for (const json& event : list) {
      for (const auto& [key, value] : event.items()) {
        for (const json& kind : kinds) {
          json mutated = event;
          mutated[key] = kind;
          auto r = EventHashId(mutated, ns);
          if (r.ok()) {
            ++accepted;
          } else {
            ++rejected;
            EXPECT_EQ(r.status().code(), StatusCode::kInvalid) << r.status().ToString();
            // An exception caught at the module edge would mean a missing check inside.
            EXPECT_EQ(r.status().message().find("cannot be read"), std::string::npos);
          }
        }
      }
    }
  }
  EXPECT_GT(accepted, 0);
  EXPECT_GT(rejected, 0);  // at least eventTime and type of the wrong kind
}

TEST(EventHash, IgnoredMembersDoNotChangeTheHash) {
  json b = BaseEvent();
  b["eventID"] = "urn:uuid:1";
  b["recordTime"] = "2021-01-01T00:00:00Z";
  b["rdfs:comment"] = "a note";
  b["errorDeclaration"] = {{"declarationTime", "2021-01-01T00:00:00Z"}};
  EXPECT_EQ(HashOf(BaseEvent()), HashOf(b));
  json c = BaseEvent();
  c["ex:capture"] = "x";
  EXPECT_NE(HashOf(BaseEvent()), HashOf(c));
  auto with_ignore = EventHashId(c, kNs, HashOptions{{"ex:capture"}});
  ASSERT_TRUE(with_ignore.ok());
  EXPECT_EQ(*with_ignore, HashOf(BaseEvent()));
}

TEST(EventHash, DifferentContentHashesDifferently) {
  const std::string base = HashOf(BaseEvent());
  auto changed = [&](const char* key, json value) {
    json e = BaseEvent();
    e[key] = std::move(value);
    return HashOf(e);
  };
  EXPECT_NE(base, changed("action", "ADD"));
  EXPECT_NE(base, changed("bizStep", "receiving"));
  EXPECT_NE(base, changed("eventTime", "2020-03-04T11:00:30.001+01:00"));
  EXPECT_NE(base, changed("epcList", json::array({"urn:epc:id:sgtin:4012345.011111.9876"})));
  EXPECT_NE(base, changed("ex:temperature", json{{"ex:value", "21.6"}, {"ex:unit", "CEL"}}));
}

TEST(EventHash, UrnAndDigitalLinkFormsHashTheSame) {
  json dl = BaseEvent();
  dl["epcList"] = {"https://id.gs1.org/01/04012345111118/21/9876",
                   "https://example.com/some/path/sscc/040123450000003338?linkType=all"};
  dl["readPoint"]["id"] = "https://id.gs1.org/414/4012345000115/254/987";
  EXPECT_EQ(HashOf(BaseEvent()), HashOf(dl));
}

TEST(EventHash, EquivalentWritingsHashTheSame) {
  json other = BaseEvent();
  other["eventTime"] = "2020-03-04T10:00:30Z";                         // same instant
  other["bizStep"] = "urn:epcglobal:cbv:bizstep:shipping";              // CBV 1.x URN
  other["disposition"] = "https://ref.gs1.org/cbv/Disp-in_transit";    // full URI
  other["ex:temperature"]["ex:value"] = 21.5;                           // number, not string
  EXPECT_EQ(HashOf(BaseEvent()), HashOf(other));
  // A different prefix for the same namespace is the same member.
  json renamed = BaseEvent();
  renamed.erase("ex:temperature");
  renamed["other:temperature"] = {{"other:value", "21.5"}, {"other:unit", "CEL"}};
  EXPECT_EQ(HashOf(BaseEvent()), HashOf(renamed, {{"other", "https://ns.example.com/epcis/"}}));
}

TEST(EventHash, MalformedInputIsRejectedWithTheField) {
  auto not_object = EventHashId(json::array(), kNs);
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.status().code(), StatusCode::kInvalid);
  EXPECT_NE(not_object.status().message().find("not a JSON object"), std::string::npos);

  json no_time = BaseEvent();
  no_time.erase("eventTime");
  auto r1 = EventHashId(no_time, kNs);
  ASSERT_FALSE(r1.ok());
  EXPECT_NE(r1.status().message().find("eventTime"), std::string::npos);

  for (const char* bad : {"2020-13-04T11:00:30Z", "2020-03-04 11:00", "2020-03-04T11:00:30",
                          "2020-02-30T11:00:30Z", "yesterday", "2020-03-04T11:00:30+25:00"}) {
    json e = BaseEvent();
    e["eventTime"] = bad;
    auto r = EventHashId(e, kNs);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("eventTime"), std::string::npos) << r.status().message();
  }
  json numeric_time = BaseEvent();
  numeric_time["eventTime"] = 5;
  EXPECT_FALSE(EventHashId(numeric_time, kNs).ok());

  json no_type = BaseEvent();
  no_type.erase("type");
  auto r2 = EventHashId(no_type, kNs);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("type"), std::string::npos);

  json bad_sensor_time = BaseEvent();
  bad_sensor_time["sensorElementList"] = {{{"sensorMetadata", {{"time", "noon"}}}}};
  auto r3 = EventHashId(bad_sensor_time, kNs);
  ASSERT_FALSE(r3.ok());
  EXPECT_NE(r3.status().message().find("field time"), std::string::npos);
}

TEST(EventHash, BadUrnIsHashedAsWrittenNotConverted) {
  // A malformed EPC URN is not a GS1 key: it is kept verbatim (as the reference does), so it can
  // never collide with the well-formed key it resembles.
  json bad = BaseEvent();
  bad["epcList"] = {"urn:epc:id:sgtin:4012345.0111111.9876"};  // 14 digits: wrong
  auto pre = EventPreHashString(bad, kNs);
  ASSERT_TRUE(pre.ok());
  EXPECT_NE(pre->find("epc=urn:epc:id:sgtin:4012345.0111111.9876"), std::string::npos);
}

TEST(EventHash, DeepNestingIsRefusedNotCrashed) {
  json e = BaseEvent();
  json deep = "x";
  for (int i = 0; i < 100; ++i) deep = json{{"ex:n", deep}};
  e["ex:deep"] = deep;
  auto r = EventHashId(e, kNs);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested too deeply"), std::string::npos);
}

TEST(EventHashDocument, ErrorsNameTheEventAndMissingBody) {
  json doc = {{"epcisBody", {{"eventList", json::array({BaseEvent(), json{{"type", "ObjectEvent"}}})}}}};
  auto r = DocumentEventHashIds(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("event 2"), std::string::npos) << r.status().message();
  EXPECT_FALSE(DocumentEventHashIds(json{{"type", "EPCISDocument"}}).ok());
  EXPECT_FALSE(DocumentEventHashIds(json("text")).ok());
}

TEST(EventHashDocument, ReadsPrefixesFromTheContext) {
  json doc = {{"@context", json::array({"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                                        json{{"ex", "https://ns.example.com/epcis/"}}})},
              {"epcisBody", {{"eventList", json::array({BaseEvent()})}}}};
  auto ids = DocumentEventHashIds(doc);
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->size(), 1u);
  EXPECT_EQ(ids->front(), HashOf(BaseEvent()));
}

TEST(EventHashValues, Timestamps) {
  using hash_internal::NormaliseTimestamp;
  EXPECT_EQ(*NormaliseTimestamp("2020-03-04T11:00:30+01:00"), "2020-03-04T10:00:30.000Z");
  EXPECT_EQ(*NormaliseTimestamp("2023-02-02T11:04:03.1415Z"), "2023-02-02T11:04:03.142Z");
  EXPECT_EQ(*NormaliseTimestamp("2023-02-02T11:04:03.1414Z"), "2023-02-02T11:04:03.141Z");
  EXPECT_EQ(*NormaliseTimestamp("2019-12-31T23:59:59.9999Z"), "2020-01-01T00:00:00.000Z");
  EXPECT_EQ(*NormaliseTimestamp("2022-02-15T01:33:31.116000-06:00"), "2022-02-15T07:33:31.116Z");
  EXPECT_EQ(*NormaliseTimestamp("2024-02-29T23:30:00-0130"), "2024-03-01T01:00:00.000Z");
  EXPECT_FALSE(NormaliseTimestamp("2023-02-29T00:00:00Z").ok());
  EXPECT_FALSE(NormaliseTimestamp("2023-01-01T00:00:00.Z").ok());
  EXPECT_FALSE(NormaliseTimestamp("").ok());
}

TEST(EventHashValues, Numbers) {
  using hash_internal::NormaliseNumber;
  EXPECT_EQ(*NormaliseNumber("452.0"), "452");
  EXPECT_EQ(*NormaliseNumber("0.50"), "0.5");
  EXPECT_EQ(*NormaliseNumber("+7"), "7");
  EXPECT_EQ(*NormaliseNumber("-0.0"), "0");
  EXPECT_EQ(*NormaliseNumber("0614141"), "614141");
  EXPECT_EQ(*NormaliseNumber("1e-5"), "1e-05");
  EXPECT_EQ(*NormaliseNumber("1e20"), "100000000000000000000");
  EXPECT_EQ(*NormaliseNumber("12.1"), "12.1");
  EXPECT_EQ(*NormaliseNumber("0.001"), "0.001");
  EXPECT_EQ(*NormaliseNumber("123456.789"), "123456.789");
  EXPECT_FALSE(NormaliseNumber("2019-10-21").has_value());
  EXPECT_FALSE(NormaliseNumber("+01:00").has_value());
  EXPECT_FALSE(NormaliseNumber("1e999").has_value());
  EXPECT_FALSE(NormaliseNumber("nan").has_value());
  EXPECT_FALSE(NormaliseNumber(".").has_value());
}

TEST(EventHashValues, Sha256KnownAnswers) {
  using hash_internal::Sha256Hex;
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(CbvContext, ShortNamesExpandAndCompact) {
  EXPECT_EQ(*ExpandVocabulary(Vocabulary::kBizStep, "shipping"), "https://ref.gs1.org/cbv/BizStep-shipping");
  EXPECT_EQ(*ExpandVocabulary(Vocabulary::kMeasurementType, "Temperature"), "https://gs1.org/voc/Temperature");
  EXPECT_EQ(*CompactVocabulary(Vocabulary::kDisposition, "https://ref.gs1.org/cbv/Disp-in_transit"),
            "in_transit");
  EXPECT_FALSE(ExpandVocabulary(Vocabulary::kBizStep, "in_transit").has_value());
  EXPECT_EQ(*UpgradeCbvUrn("urn:epcglobal:cbv:sdt:owning_party"), "https://ref.gs1.org/cbv/SDT-owning_party");
  EXPECT_EQ(StandardNamespaces().at("cbvmda"), "urn:epcglobal:cbv:mda:");
}

}  // namespace
}  // namespace jejak::epcis
