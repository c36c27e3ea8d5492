#include "node/epcis/identifiers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jejak::epcis {
namespace {

std::string Normal(const std::string& id) {
  Result<std::string> r = NormalizeIdentifier(id);
  EXPECT_TRUE(r.ok()) << id << ": " << r.status().ToString();
  return r.ok() ? *r : "";
}

TEST(IdentifiersTest, UrnAndDigitalLinkOfOneThingIndexIdentically) {
  struct Pair {
    const char* urn;
    const char* link;
  };
  const Pair pairs[] = {
      {"urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"},
      {"urn:epc:id:sgtin:0614141.107346.2017", "http://example.com/01/10614141073464/21/2017"},
      {"urn:epc:id:sgtin:0614141.107346.2017", "https://id.example.org/gtin/10614141073464/21/2017"},
      {"urn:epc:class:lgtin:0614141.077777.987", "https://id.gs1.org/01/00614141777778/10/987"},
      {"urn:epc:idpat:sgtin:4012345.066666.*", "https://id.gs1.org/01/04012345666663"},
      {"urn:epc:id:sgln:0614141.07346.1234", "https://id.gs1.org/414/0614141073467/254/1234"},
      {"urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908"},
      {"urn:epc:id:pgln:4012345.00225", "https://id.gs1.org/417/4012345002256"},
      {"urn:epc:id:giai:4012345.ABC345", "https://id.gs1.org/8004/4012345ABC345"},
  };
  for (const Pair& p : pairs) {
    EXPECT_EQ(Normal(p.urn), Normal(p.link)) << p.urn << " vs " << p.link;
  }
  // A URN with a 7-digit Company Prefix is already in normal form.
  EXPECT_EQ(Normal("urn:epc:id:sgtin:0614141.107346.2017"), "urn:epc:id:sgtin:0614141.107346.2017");
}

TEST(IdentifiersTest, CompanyPrefixLengthAndEscapesDoNotSplitOneThing) {
  // The same SSCC written with a 9-digit and a 7-digit Company Prefix.
  EXPECT_EQ(Normal("urn:epc:id:sscc:952005385.01111111"), Normal("urn:epc:id:sscc:9520053.0851111111"));
  EXPECT_EQ(Normal("urn:epc:id:pgln:999999999999."), Normal("urn:epc:id:pgln:9999999.99999"));
  // Lower- and upper-case %-escapes; an upper-case "urn:epc:" prefix.
  EXPECT_EQ(Normal("urn:epc:id:sgtin:0614141.107346.a%2f"), "urn:epc:id:sgtin:0614141.107346.a%2F");
  EXPECT_EQ(Normal("URN:EPC:id:sgtin:0614141.107346.2017"), "urn:epc:id:sgtin:0614141.107346.2017");
}

TEST(IdentifiersTest, JejakLotsAreKeptAsWritten) {
  EXPECT_EQ(Normal("urn:jejak:lot:koperasi-gayo:2024-H1.lot_07"),
            "urn:jejak:lot:koperasi-gayo:2024-H1.lot_07");
  EXPECT_EQ(Normal("URN:Jejak:LOT:kop:A"), "urn:jejak:lot:kop:A");
  EXPECT_NE(Normal("urn:jejak:lot:kop:Lot7"), Normal("urn:jejak:lot:kop:lot7"));
  EXPECT_TRUE(CheckJejakLot("urn:jejak:lot:" + std::string(32, 'a') + ":" + std::string(64, 'x')).ok());
}

TEST(IdentifiersTest, MalformedIdentifiersAreRefusedWithTheReason) {
  struct Case {
    std::string id;
    const char* reason_part;
  };
  const std::vector<Case> cases = {
      {"", "empty"},
      {std::string(kMaxIdentifierChars + 1, 'a'), "limit"},
      {"urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8", "is not an EPC URN"},
      {"geo:47.506694,11.104301", "is not an EPC URN"},
      {"urn:epc:id:sgtin:0614141.10734.2017", "13"},
      {"urn:epc:id:sgtin:061414a.107346.2017", "digits"},
      {"urn:epc:id:sgtin:0614141.107346.a/b", "character"},
      {"urn:epc:id:sgtin:0614141.107346.", "serial"},
      {"urn:epc:id:nosuch:0614141.107346.1", ""},
      {"https://id.gs1.org/01/04012345666664", "check digit"},
      {"https://example.com/products/42", ""},
      {"urn:jejak:lot:kop", "<org>:<local-id>"},
      {"urn:jejak:lot:ab:1", "3 to 32"},
      {"urn:jejak:lot:" + std::string(33, 'a') + ":1", "3 to 32"},
      {"urn:jejak:lot:Koperasi:1", "a-z, 0-9"},
      {"urn:jejak:lot:kop_a:1", "a-z, 0-9"},
      {"urn:jejak:lot:-kop:1", "start and end"},
      {"urn:jejak:lot:kop-:1", "start and end"},
      {"urn:jejak:lot:kop:", "1 to 64"},
      {"urn:jejak:lot:kop:" + std::string(65, 'x'), "1 to 64"},
      {"urn:jejak:lot:kop:a:b", "may use only"},
      {"urn:jejak:lot:kop:a b", "may use only"},
      {"urn:jejak:lot:kop:a%20b", "may use only"},
  };
  for (const Case& c : cases) {
    Result<std::string> r = NormalizeIdentifier(c.id);
    ASSERT_FALSE(r.ok()) << c.id << " -> " << *r;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalid) << c.id;
    EXPECT_NE(r.status().message().find(c.reason_part), std::string::npos)
        << c.id << ": " << r.status().message();
  }
}

TEST(IdentifiersTest, SyntaxPredicates) {
  EXPECT_TRUE(IsEpcUrnSyntax("urn:epc:id:x"));
  EXPECT_TRUE(IsEpcUrnSyntax("URN:EPC:ID:x"));
  EXPECT_FALSE(IsEpcUrnSyntax("urn:uuid:1"));
  EXPECT_TRUE(IsJejakLotSyntax("urn:jejak:lot:a"));
  EXPECT_FALSE(IsJejakLotSyntax("urn:jejak:lo"));
}

}  // namespace
}  // namespace jejak::epcis
