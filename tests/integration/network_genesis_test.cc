// Validators with different genesis files are different chains: each refuses the other's peer
// streams naming the genesis hash, and block sync leaves out sources of another chain (issue 12:
// validators with different genesis files ran side by side).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "node/crypto/hex.h"
#include "node/ledger/genesis.h"
#include "tests/integration/network_fixture.h"

namespace jejak::testing {
namespace {

using namespace std::chrono_literals;

class NetworkGenesisTest : public NetworkFixture {};

// Adds an organisation to the node's genesis.json; returns the old and the new genesis hash (hex).
std::pair<std::string, std::string> AddOrganisation(const std::string& home) {
  const std::string path = home + "/genesis.json";
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<ledger::Genesis> genesis = ledger::ParseGenesis(text);
  EXPECT_TRUE(genesis.ok()) << genesis.status().ToString();
  if (!genesis.ok()) return {};
  const std::string old_hash = crypto::ToHex(ledger::GenesisHash(*genesis));
  ledger::Organisation added;
  added.id = "added-later";
  added.name = "Added Later";
  added.roles = {ledger::Role::kProducer};
  added.party_ids = {ledger::OrgPartyId(added.id)};
  genesis->organisations.push_back(added);
  std::ofstream(path, std::ios::trunc) << ledger::GenesisToJson(*genesis, 2);
  return {old_hash, crypto::ToHex(ledger::GenesisHash(*genesis))};
}

TEST_F(NetworkGenesisTest, ValidatorWithAnotherGenesisIsRefusedAndRefusesTheOthers) {
  NetworkOptions options;
  options.start = false;
  SetUpNetwork(options);
  const std::string odd = validators().back();
  const auto [ours, theirs] = AddOrganisation(Home(odd));
  ASSERT_FALSE(theirs.empty());
  // The others first: the odd validator's block sync asks them once at start-up, and a validator
  // asks again only when a peer shows it is behind, which none of these can (their streams are
  // refused). Started together, the odd one could ask before they listen, and never again.
  for (const std::string& node : validators()) {
    if (node != odd) Start(node);
  }
  Start(odd);

  // The three with the common genesis are a quorum and go on without the odd one.
  Result<v1::SubmitEventsResponse> submitted = Submit(validators().front(), {NextCommission()});
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_TRUE(WaitFor([&] { return LogHas(validators().front(), "runs genesis " + theirs); }, 30s))
      << "the others refuse the odd validator's streams, naming its genesis:\n" << Log(validators().front());
  EXPECT_TRUE(WaitFor([&] { return LogHas(odd, "runs genesis " + ours); }, 30s))
      << "the odd validator refuses the others' streams:\n" << Log(odd);
  EXPECT_TRUE(WaitFor([&] { return LogHas(odd, "serves another chain: its genesis is " + ours); }, 30s))
      << "its block sync leaves out sources of another chain:\n" << Log(odd);
  Result<uint64_t> odd_height = Height(odd);
  ASSERT_TRUE(odd_height.ok());
  EXPECT_EQ(*odd_height, 0u) << "the odd validator took blocks of another chain";
  Stop(odd);  // it holds none of the acknowledged events, by design
}

}  // namespace
}  // namespace jejak::testing
