// Issue 12: a document with a wrong or no @context was captured. A document must name the EPCIS
// 2.0 context; without it none of its members has its EPCIS meaning.
#include <gtest/gtest.h>

#include <string>

#include "node/epcis/document.h"

namespace jejak::epcis {
namespace {

const char* kEvent = R"({"type": "ObjectEvent", "action": "OBSERVE",
    "eventTime": "2005-04-03T20:33:31.116-06:00", "eventTimeZoneOffset": "-06:00",
    "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]})";

// A document whose @context member is `context` ("" leaves the member out).
std::string DocumentWithContext(const std::string& context) {
  return "{" + (context.empty() ? std::string() : "\"@context\": " + context + ", ") +
         R"("type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z",
            "epcisBody": {"eventList": [)" + kEvent + "]}}";
}

TEST(DocumentContextTest, ADocumentWithoutTheEpcisContextIsRefusedNamingIt) {
  struct Case {
    std::string context;
    std::string message;
  };
  const std::string needed = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
  for (const Case& c : {
           Case{"", "@context: missing; an EPCIS 2.0 document names the EPCIS 2.0 context " + needed},
           Case{R"("https://example.com/context.jsonld")",
                "@context: does not name the EPCIS 2.0 context " + needed +
                    " (it holds \"https://example.com/context.jsonld\")"},
           Case{R"([{"ex": "https://ex.example.com/"}, "https://ref.gs1.org/standards/epcis/1.2/x.jsonld"])",
                "@context: does not name the EPCIS 2.0 context " + needed +
                    " (it holds object, \"https://ref.gs1.org/standards/epcis/1.2/x.jsonld\")"},
           Case{"[]", "(it holds nothing)"},
       }) {
    Result<std::vector<v1::Event>> events = ParseDocument(DocumentWithContext(c.context));
    ASSERT_FALSE(events.ok()) << c.context;
    EXPECT_EQ(events.status().code(), StatusCode::kInvalid);
    EXPECT_NE(events.status().message().find(c.message), std::string::npos) << events.status().message();
  }
}

TEST(DocumentContextTest, TheContextMayBeAStringOrInAnArrayInEveryPublishedForm) {
  for (const std::string& context :
       {std::string(R"("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld")"),
        std::string(R"([{"ex": "https://ex.example.com/"}, "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"])"),
        std::string(R"(["https://gs1.github.io/EPCIS/epcis-context.jsonld"])"),
        std::string(R"(["https://gs1.github.io/EPCIS/epcis-context-simple.jsonld", {"ex": "https://ex.example.com/"}])")}) {
    Result<std::vector<v1::Event>> events = ParseDocument(DocumentWithContext(context));
    EXPECT_TRUE(events.ok()) << context << ": " << events.status().ToString();
  }
}

TEST(DocumentContextTest, ReadDocumentJsonRefusesWhatParseDocumentRefuses) {
  EXPECT_FALSE(ReadDocumentJson(DocumentWithContext("")).ok());
  std::string twice = DocumentWithContext(R"("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld")");
  twice.insert(twice.find("\"action\""), R"("action": "ADD", )");
  Result<nlohmann::ordered_json> refused = ReadDocumentJson(twice);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("member 'action' appears twice"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(ParseDocument(twice).ok());
}

}  // namespace
}  // namespace jejak::epcis
