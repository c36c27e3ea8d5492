// libFuzzer target: GS1 Digital Link and EPC URN parsing (gs1_keys.h) and identifier
// normalisation (identifiers.h), which decide under which key the ledger indexes a thing.
//
// Checked besides "never crashes":
//   * a Digital Link that converts to an EPC URN converts back to a Digital Link that gives the
//     same URN (the two forms of one thing index identically);
//   * a Digital Link made from an EPC URN carries a GS1 key (NormaliseGs1Identifier finds it; the
//     way back may need another company prefix length than the default, so it is not required);
//   * a normal form is a fixed point: NormalizeIdentifier(NormalizeIdentifier(x)) == itself.
#include <string>

#include "node/epcis/gs1_keys.h"
#include "node/epcis/identifiers.h"
#include "tests/fuzz/fuzz_support.h"

using namespace jejak;  // NOLINT

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);

  Result<std::string> urn = epcis::DigitalLinkToEpcUrn(text);
  if (urn.ok()) {
    Result<std::string> link = epcis::EpcUrnToDigitalLink(*urn);
    if (!link.ok()) fuzz::Fail("URN from a Digital Link does not convert back: " + *urn);
    Result<std::string> urn_again = epcis::DigitalLinkToEpcUrn(*link);
    if (!urn_again.ok() || *urn_again != *urn) fuzz::Fail("Digital Link round trip differs: " + *urn);
  }
  for (int prefix_length = 6; prefix_length <= 12; prefix_length += 3) {
    (void)epcis::DigitalLinkToEpcUrn(text, prefix_length);
  }

  Result<std::string> link = epcis::EpcUrnToDigitalLink(text);
  if (link.ok() && epcis::NormaliseGs1Identifier(*link) == std::nullopt) {
    fuzz::Fail("a Digital Link made from a URN is not one: " + *link);
  }

  (void)epcis::NormaliseGs1Identifier(text);
  (void)epcis::IsEpcUrnSyntax(text);
  (void)epcis::IsJejakLotSyntax(text);
  (void)epcis::CheckJejakLot(text);

  Result<std::string> normal = epcis::NormalizeIdentifier(text);
  if (normal.ok()) {
    Result<std::string> again = epcis::NormalizeIdentifier(*normal);
    if (!again.ok() || *again != *normal) {
      fuzz::Fail("the normal form is not a fixed point: " + *normal + " -> " +
                 (again.ok() ? *again : again.status().ToString()));
    }
  } else if (normal.status().message().empty()) {
    fuzz::Fail("a refusal without a reason");
  }
  return 0;
}
