#include "node/epcis/gs1_keys.h"

#include <string>

#include <gtest/gtest.h>

namespace jejak::epcis {
namespace {

struct KeyCase {
  const char* urn;
  const char* digital_link;
  int company_prefix_length;
};

// One case per GS1 key (and class / pattern form) of the EPC Tag Data Standard; the Digital Links
// were checked against the reference implementation's examples (check digits included).
const KeyCase kKeys[] = {
    {"urn:epc:id:sgtin:4012345.011111.9876", "https://id.gs1.org/01/04012345111118/21/9876", 7},
    {"urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()",
     "https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29", 7},
    {"urn:epc:id:sgtin:415056789012.0.987654", "https://id.gs1.org/01/04150567890128/21/987654", 12},
    {"urn:epc:id:sscc:4012345.0000000333", "https://id.gs1.org/00/040123450000003338", 7},
    {"urn:epc:id:sscc:4012345.3111111111", "https://id.gs1.org/00/340123451111111111", 7},
    {"urn:epc:id:sgln:4012345.00011.987", "https://id.gs1.org/414/4012345000115/254/987", 7},
    {"urn:epc:id:sgln:4012345.00005.0", "https://id.gs1.org/414/4012345000054", 7},
    {"urn:epc:id:pgln:4000001.00000", "https://id.gs1.org/417/4000001000005", 7},
    {"urn:epc:id:pgln:999999999999.", "https://id.gs1.org/417/9999999999994", 12},
    {"urn:epc:id:grai:4012345.00022.334455", "https://id.gs1.org/8003/04012345000221334455", 7},
    {"urn:epc:id:giai:4012345.ABC345", "https://id.gs1.org/8004/4012345ABC345", 7},
    {"urn:epc:id:gsrn:4012345.0000006765", "https://id.gs1.org/8018/401234500000067657", 7},
    {"urn:epc:id:gsrnp:4012345.0000000007", "https://id.gs1.org/8017/401234500000000074", 7},
    {"urn:epc:id:gdti:4012345.00009.PO-4711", "https://id.gs1.org/253/4012345000092PO-4711", 7},
    {"urn:epc:id:gdti:987659999999..9", "https://id.gs1.org/253/98765999999929", 12},
    {"urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
     "https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234", 7},
    {"urn:epc:id:sgcn:4012345.99999.44", "https://id.gs1.org/255/401234599999044", 7},
    {"urn:epc:id:ginc:0614141.xyz47%2F11", "https://id.gs1.org/401/0614141xyz47%2F11", 7},
    {"urn:epc:id:gsin:4012345.222333444", "https://id.gs1.org/402/40123452223334442", 7},
    {"urn:epc:id:itip:4012345.011111.01.02.987", "https://id.gs1.org/8006/040123451111180102/21/987", 7},
    {"urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
     "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB", 7},
    {"urn:epc:class:lgtin:4012345.012345.Lot987", "https://id.gs1.org/01/04012345123456/10/Lot987", 7},
    {"urn:epc:idpat:sgtin:4054739.099914.*", "https://id.gs1.org/01/04054739999148", 7},
    {"urn:epc:idpat:grai:4012345.66666.*", "https://id.gs1.org/8003/04012345666663", 7},
    {"urn:epc:idpat:gdti:4012345.55555.*", "https://id.gs1.org/253/4012345555554", 7},
    {"urn:epc:idpat:sgcn:4012345.99999.*", "https://id.gs1.org/255/4012345999990", 7},
    {"urn:epc:idpat:cpi:4012345.ABC.*", "https://id.gs1.org/8010/4012345ABC", 7},
    {"urn:epc:idpat:itip:4012345.012345.01.02.*", "https://id.gs1.org/8006/040123451234560102", 7},
};

TEST(Gs1Keys, EveryKeyUrnToDigitalLink) {
  for (const KeyCase& k : kKeys) {
    auto dl = EpcUrnToDigitalLink(k.urn);
    ASSERT_TRUE(dl.ok()) << k.urn << ": " << dl.status().ToString();
    EXPECT_EQ(*dl, k.digital_link) << k.urn;
    EXPECT_EQ(NormaliseGs1Identifier(k.urn).value_or(""), k.digital_link) << k.urn;
  }
}

TEST(Gs1Keys, EveryKeyDigitalLinkToUrn) {
  for (const KeyCase& k : kKeys) {
    auto urn = DigitalLinkToEpcUrn(k.digital_link, k.company_prefix_length);
    ASSERT_TRUE(urn.ok()) << k.digital_link << ": " << urn.status().ToString();
    EXPECT_EQ(*urn, k.urn) << k.digital_link;
  }
}

TEST(Gs1Keys, DefaultCompanyPrefixLengthIsSeven) {
  EXPECT_EQ(*DigitalLinkToEpcUrn("https://id.gs1.org/00/040123450000003338"),
            "urn:epc:id:sscc:4012345.0000000333");
  EXPECT_EQ(*DigitalLinkToEpcUrn("https://id.gs1.org/01/04012345111118/21/9876", 9),
            "urn:epc:id:sgtin:401234511.0111.9876");
  EXPECT_FALSE(DigitalLinkToEpcUrn("https://id.gs1.org/01/04012345111118", 5).ok());
  EXPECT_FALSE(DigitalLinkToEpcUrn("https://id.gs1.org/01/04012345111118", 13).ok());
}

TEST(Gs1Keys, CheckDigits) {
  EXPECT_EQ(Gs1CheckDigit("0401234511111"), '8');   // GTIN-14 04012345111118
  EXPECT_EQ(Gs1CheckDigit("04012345000000333"), '8');  // SSCC 040123450000003338
  EXPECT_EQ(Gs1CheckDigit("401234500011"), '5');    // GLN 4012345000115
  EXPECT_EQ(Gs1CheckDigit("629104150021"), '3');    // GTIN-13 6291041500213
  EXPECT_EQ(Gs1CheckDigit("999999999999"), '4');     // GLN 9999999999994
  EXPECT_EQ(Gs1CheckDigit("0000000000000"), '0');
}

TEST(Gs1Keys, CustomDomainsShortNamesAndQueryStrings) {
  EXPECT_EQ(*DigitalLinkToEpcUrn("https://brand.example.com/gtin/04012345111118/ser/9876?linkType=pip"),
            "urn:epc:id:sgtin:4012345.011111.9876");
  EXPECT_EQ(*DigitalLinkToEpcUrn("http://example.com/a/b/414/4012345000115"),
            "urn:epc:id:sgln:4012345.00011.0");
  EXPECT_EQ(*DigitalLinkToEpcUrn("https://id.gs1.org/01/04012345111118/10/L1/21/9876"),
            "urn:epc:id:sgtin:4012345.011111.9876");
  // A serial with characters the EPC URN must escape.
  EXPECT_EQ(*DigitalLinkToEpcUrn("https://id.gs1.org/01/04012345111118/21/A%2FB%21"),
            "urn:epc:id:sgtin:4012345.011111.A%2FB!");
}

TEST(Gs1Keys, NormalisedFormForHashing) {
  EXPECT_EQ(NormaliseGs1Identifier("https://example.com/gtin/09780345418913/21/765tz?abc=211121"),
            "https://id.gs1.org/01/09780345418913/21/765tz");
  EXPECT_EQ(NormaliseGs1Identifier("https://id.gs1.de/01/4012345999990/22/2A/10/L1"),
            "https://id.gs1.org/01/04012345999990/10/L1");  // GTIN-13 padded, CPV dropped
  EXPECT_EQ(NormaliseGs1Identifier("https://id.example.com/253/4012345000054987"),
            "https://id.gs1.org/253/4012345000054987");
  EXPECT_FALSE(NormaliseGs1Identifier("https://accreditation-council.example.org/certificate/ABC1").has_value());
  EXPECT_FALSE(NormaliseGs1Identifier("urn:epcglobal:cbv:bt:4012345000009:ASN1099").has_value());
  EXPECT_FALSE(NormaliseGs1Identifier("geo:47.506694,11.104301").has_value());
  EXPECT_FALSE(NormaliseGs1Identifier("https://id.gs1.org/01/04012345111118/254/1").has_value());
}

void ExpectInvalid(std::string_view urn, std::string_view reason_part) {
  auto r = EpcUrnToDigitalLink(urn);
  ASSERT_FALSE(r.ok()) << urn;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalid) << urn;
  EXPECT_NE(r.status().message().find(reason_part), std::string::npos)
      << urn << " -> " << r.status().message();
}

TEST(Gs1Keys, MalformedUrnsAreRejectedWithTheReason) {
  ExpectInvalid("urn:epc:id:sgtin:4012345.0111111.9876", "13");          // wrong digit count
  ExpectInvalid("urn:epc:id:sscc:4012345.000000033", "17");
  ExpectInvalid("urn:epc:id:sgtin:40123.0111111.9876", "6 to 12");      // company prefix too short
  ExpectInvalid("urn:epc:id:sgln:4012345678901.0.1", "6 to 12");        // too long
  ExpectInvalid("urn:epc:id:sgtin:4012345.011111", "expected");         // serial missing
  ExpectInvalid("urn:epc:id:sgtin:4012345.011111.", "serial");
  ExpectInvalid("urn:epc:id:sgtin:4012345.011111.ABCDEFGHIJKLMNOPQRSTU", "serial");  // 21 chars
  ExpectInvalid("urn:epc:id:sgtin:4012345.011111.a b", "character");
  ExpectInvalid("urn:epc:id:sgtin:4012345.011111.a%2", "escape");
  ExpectInvalid("urn:epc:id:sgtin:40A2345.011111.1", "digits");
  ExpectInvalid("urn:epc:id:cpi:4012345.abc.1", "0-9 A-Z");
  ExpectInvalid("urn:epc:id:sgcn:4012345.99999.4A", "digits");
  ExpectInvalid("urn:epc:id:itip:4012345.011111.1.02.987", "two digits");
  ExpectInvalid("urn:epc:id:bic:CSQU3054383", "not a GS1 key");         // unknown scheme
  ExpectInvalid("urn:isbn:9780345418913", "unknown scheme");
  ExpectInvalid("https://id.gs1.org/01/04012345111118", "unknown scheme");
  ExpectInvalid("urn:epc:idpat:sgtin:4012345.*.*", "only the last");
  ExpectInvalid("urn:epc:idpat:sscc:4012345.*", "single GS1 key");
  ExpectInvalid("urn:epc:id:sgtin", "missing ':'");
}

void ExpectBadLink(std::string_view uri, std::string_view reason_part) {
  auto r = DigitalLinkToEpcUrn(uri);
  ASSERT_FALSE(r.ok()) << uri;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalid) << uri;
  EXPECT_NE(r.status().message().find(reason_part), std::string::npos)
      << uri << " -> " << r.status().message();
}

TEST(Gs1Keys, MalformedDigitalLinksAreRejectedWithTheReason) {
  ExpectBadLink("https://id.gs1.org/01/04012345111119/21/9876", "check digit is 9, expected 8");
  ExpectBadLink("https://id.gs1.org/00/040123450000003339", "check digit");
  ExpectBadLink("https://id.gs1.org/414/4012345000116", "check digit");
  ExpectBadLink("https://id.gs1.org/01/04012345111/21/9876", "wrong length");
  ExpectBadLink("https://id.gs1.org/01/04012345111118/254/1", "qualifier");
  ExpectBadLink("https://example.com/products/42", "not a Digital Link");
  ExpectBadLink("ftp://id.gs1.org/01/04012345111118", "not a Digital Link");
  ExpectBadLink("https://id.gs1.org/8003/14012345000228334455", "start with 0");
  ExpectBadLink("https://id.gs1.org/01/04012345111118/21/a%ZZ", "escape");
}

}  // namespace
}  // namespace jejak::epcis
