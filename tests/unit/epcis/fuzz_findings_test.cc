// Inputs found by the libFuzzer targets of tests/fuzz (scripts/fuzz), each run through the
// function that failed on it, with the property the target checks. Each failed before its fix.
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "node/epcis/event_id.h"
#include "node/epcis/gs1_keys.h"
#include "node/epcis/identifiers.h"

namespace jejak::epcis {
namespace {

// digital_link_fuzz: a Digital Link whose lot (AI 10) has 35 characters became an LGTIN URN that
// the URN side refuses (a lot has at most 20): the two forms of one thing must agree on what is
// well-formed, so the ledger never indexes a key it cannot convert back.
TEST(FuzzFindings, DigitalLinkWithOverlongLotIsRefusedLikeItsUrn) {
  const std::string link = "https://id.gs1.org/01/00614141777778/10/9n:epc:id:gsin:01248id.gs1.org99997";
  Result<std::string> urn = DigitalLinkToEpcUrn(link);
  ASSERT_FALSE(urn.ok()) << "accepted as " << *urn;
  EXPECT_NE(urn.status().message().find("the lot number has 35 characters"), std::string::npos)
      << urn.status().message();
  EXPECT_FALSE(NormalizeIdentifier(link).ok());
  // At the bound it is accepted, both ways.
  const std::string at_bound = "https://id.gs1.org/01/00614141777778/10/ABCDEFGHIJ0123456789";
  Result<std::string> ok = DigitalLinkToEpcUrn(at_bound);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(EpcUrnToDigitalLink(*ok).ok());
}

// peer_message_fuzz (UBSan): a gossiped Event (protobuf, so any double) with a NaN quantity made
// the event hash format NaN as a number: pointer arithmetic past the start of a string, undefined
// behaviour, on every node the event reached. Infinity was hashed as "inf". A number that is not
// finite has no EPCIS form: the event id is refused, naming the field. (Quantities are exact
// decimals since, so only sensor values can still be such numbers.)
TEST(FuzzFindings, EventIdRefusesNumbersThatAreNotFinite) {
  for (const double bad : {std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity()}) {
    v1::Event sensor;
    sensor.set_type(v1::OBJECT_EVENT);
    sensor.set_action(v1::OBSERVE);
    sensor.set_event_time("2026-03-01T08:00:00.000Z");
    sensor.set_event_time_zone_offset("+07:00");
    v1::SensorReport* report = sensor.add_sensor_element_list()->add_sensor_report();
    report->set_type("Temperature");
    report->set_value(bad);
    EXPECT_FALSE(EventId(sensor).ok()) << bad;
  }
  // A finite quantity still hashes.
  v1::Event fine;
  fine.set_type(v1::OBJECT_EVENT);
  fine.set_action(v1::ADD);
  fine.set_event_time("2026-03-01T08:00:00.000Z");
  fine.set_event_time_zone_offset("+07:00");
  fine.add_quantity_list()->set_quantity_micros(1'500'000);
  EXPECT_TRUE(EventId(fine).ok()) << EventId(fine).status().ToString();
}

}  // namespace
}  // namespace jejak::epcis
