// Inputs found by the libFuzzer targets of tests/fuzz (scripts/fuzz), each run through the
// function that failed on it, with the property the target checks. Each failed before its fix.
#include <string>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace jejak::epcis
