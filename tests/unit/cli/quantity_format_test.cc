// `jejak history` prints quantities as the exact decimals the ledger holds (issue 12: it printed
// three decimals, and 1.7e308 as a 309-digit number). Events come from EPCIS JSON as a client
// writes them.
#include <gtest/gtest.h>

#include "cli/trace_format.h"
#include "node/epcis/document.h"

namespace jejak::cli {
namespace {

const std::string kLot = "urn:jejak:lot:koperasi-gayo:h-1";

v1::CommittedEvent Committed(const std::string& quantity, int minute) {
  auto e = epcis::ParseEventJson(
      R"({"@context": "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
          "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "inspecting",
          "eventTime": "2026-03-01T08:0)" + std::to_string(minute) + R"(:00+07:00",
          "eventTimeZoneOffset": "+07:00",
          "quantityList": [{"epcClass": ")" + kLot + R"(", "quantity": )" + quantity +
      R"(, "uom": "KGM"}]})");
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  v1::CommittedEvent c;
  c.set_event_id("ev-" + std::to_string(minute));
  c.set_signer_organization("koperasi-gayo");
  c.set_height(static_cast<uint64_t>(minute) + 1);
  if (e.ok()) *c.mutable_event() = *e;
  return c;
}

TEST(QuantityFormatTest, HistoryPrintsTheExactDecimal) {
  v1::EventList list;
  *list.add_events() = Committed("0.000123", 1);
  *list.add_events() = Committed("123456789.123456", 2);
  *list.add_events() = Committed("1e3", 3);
  const std::string text = FormatHistory(kLot, list);
  EXPECT_NE(text.find(kLot + " (0.000123 KGM)"), std::string::npos) << text;
  EXPECT_NE(text.find(kLot + " (123456789.123456 KGM)"), std::string::npos) << text;
  EXPECT_NE(text.find(kLot + " (1000 KGM)"), std::string::npos) << text;
}

}  // namespace
}  // namespace jejak::cli
