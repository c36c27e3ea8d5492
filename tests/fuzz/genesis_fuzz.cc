// libFuzzer target: the genesis reader (ParseGenesis), which every node and every offline
// verifier trusts first.
//
// Checked besides "never crashes": an accepted genesis passes ValidateGenesis, and its canonical
// JSON reads back to the same canonical JSON and the same GenesisHash (the hash a proof bundle
// and, later, peers compare).
#include <string>

#include "node/ledger/genesis.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/unit/ledger/test_support.h"

using namespace jejak;  // NOLINT

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  const ledger::Genesis genesis = ledger::testing::TestGenesis();
  fuzz::WriteSeed("genesis-compact.json", ledger::GenesisToJson(genesis));
  fuzz::WriteSeed("genesis-indented.json", ledger::GenesisToJson(genesis, 2));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<ledger::Genesis> genesis = ledger::ParseGenesis(fuzz::AsText(data, size));
  if (!genesis.ok()) {
    if (genesis.status().message().empty()) fuzz::Fail("a refusal without a reason");
    return 0;
  }
  const Status valid = ledger::ValidateGenesis(*genesis);
  if (!valid.ok()) fuzz::Fail("accepted a genesis ValidateGenesis refuses: " + valid.ToString());
  const std::string canonical = ledger::GenesisToJson(*genesis);
  Result<ledger::Genesis> again = ledger::ParseGenesis(canonical);
  if (!again.ok()) fuzz::Fail("canonical JSON does not read back: " + again.status().ToString());
  if (ledger::GenesisToJson(*again) != canonical) fuzz::Fail("canonical JSON changed on reading");
  if (ledger::GenesisHash(*again) != ledger::GenesisHash(*genesis)) fuzz::Fail("genesis hash changed");
  for (const ledger::Organisation& org : genesis->organisations) {
    if (genesis->FindOrganisation(org.id) == nullptr) fuzz::Fail("an organisation is not found");
  }
  return 0;
}
