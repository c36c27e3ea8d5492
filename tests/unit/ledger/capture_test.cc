// Events as EPCIS 2.0 JSON-LD, through node/epcis, into the ledger.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "node/epcis/document.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

std::string ReadConformance(const std::string& path) {
  std::ifstream in(std::string(JEJAK_CONFORMANCE_DIR) + "/" + path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

v1::Event ParseJson(const std::string& json) {
  auto e = epcis::ParseEventJson(json);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? *e : v1::Event();
}

TEST(CaptureTest, JsonCommissioningAndCertificationWithTheJejakNamespace) {
  Chain chain;
  chain.MustApply(kGayo, ParseJson(R"({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
                 {"jejak": "https://jejak.id/ns/epcis/v1/"}],
    "type": "ObjectEvent", "action": "ADD", "bizStep": "commissioning",
    "eventTime": "2026-03-01T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
    "quantityList": [{"epcClass": "urn:jejak:lot:koperasi-gayo:h-001", "quantity": 1000, "uom": "KGM"}],
    "ilmd": {"jejak:product": "cherries"}})"));
  v1::LotRecord lot = chain.Lot("urn:jejak:lot:koperasi-gayo:h-001");
  EXPECT_EQ(lot.product(), "cherries");
  EXPECT_EQ(lot.quantity_micros(), 1000'000'000);
  chain.MustApply(kCertifier, ParseJson(R"({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
                 {"jejak": "https://jejak.id/ns/epcis/v1/"}],
    "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "inspecting",
    "eventTime": "2026-03-02T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
    "epcList": ["urn:jejak:lot:koperasi-gayo:h-001"],
    "certificationInfo": "https://certs.example/organic/123",
    "jejak:certificate": {"documentHash": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                          "issuer": "Sucofindo", "scheme": "organic",
                          "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z"}})"));
  auto g = TraceBack(chain.store(), "urn:jejak:lot:koperasi-gayo:h-001");
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->nodes[0].certificates.size(), 1u);
  EXPECT_EQ(g->nodes[0].certificates[0].certification_info(), "https://certs.example/organic/123");
  EXPECT_EQ(g->nodes[0].certificates[0].valid_until_ms() - g->nodes[0].certificates[0].valid_from_ms(),
            365 * kDayMs);
}

// The conformance README: these two official examples break the schema and must be refused at
// capture, with a message naming the field.
TEST(CaptureTest, RefusesTheExamplesThatBreakTheSchema) {
  struct Case {
    const char* file;
    const char* field;
  };
  for (const Case& c : {Case{"epcis-examples/Example-TransactionEvents-2020_07_03y.jsonld", "sourceList"},
                        Case{"epcis-examples/object_event_all_possible_fields.jsonld", "ilmd"}}) {
    auto events = epcis::ParseDocument(ReadConformance(c.file));
    ASSERT_TRUE(events.ok()) << c.file << ": " << events.status().ToString();
    Ledger ledger(TestGenesis());
    MemoryStore store;
    bool refused = false;
    for (const v1::Event& e : *events) {
      Status s = ledger.ApplyEvent(store, Sign(kGayo, e), {1, 0, kT0}).status();
      if (s.code() == StatusCode::kInvalid && s.message().find(c.field) != std::string::npos) {
        refused = true;
      }
    }
    EXPECT_TRUE(refused) << c.file;
  }
}

}  // namespace
}  // namespace jejak::ledger
