// `jejak testnet` itself: a network written, started, addressed, stopped and restarted through the
// CLI, and each way the command refuses (an existing network, bad counts, a node that won't start).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "node/crypto/hex.h"
#include "node/crypto/tls_identity.h"
#include "node/config/config.h"
#include "tests/integration/network_fixture.h"

namespace jejak::testing {
namespace {

using namespace std::chrono_literals;

class TestnetCliTest : public ::testing::Test {
 protected:
  CommandResult Jejak(std::vector<std::string> args) {
    args.insert(args.begin(), kNetJejak);
    return RunCommand(args, 90s);
  }
  void TearDown() override {
    if (std::filesystem::exists(net_))
      Jejak({"--home", net_, "testnet", "stop"});  // also on failure
  }
  TempDir dir_;
  std::string net_ = dir_.path() + "/net";
};

TEST_F(TestnetCliTest, StartsAddressesStopsAndRestartsANetwork) {
  CommandResult created = Jejak({"--home", net_, "testnet", "--validators", "2", "--observers", "1",
                                 "--org", "gayo:producer"});
  ASSERT_EQ(created.exit_code, 0) << created.stdout_text << created.stderr_text;
  for (const std::string node : {"validator-1", "validator-2", "observer-1"}) {
    EXPECT_NE(created.stdout_text.find(node), std::string::npos) << created.stdout_text;
    EXPECT_TRUE(std::filesystem::exists(net_ + "/" + node + "/jejakd.pid")) << node;
  }
  CommandResult recorded =
      Jejak({"--home", net_ + "/validator-2", "--as", "gayo", "lot", "commission",
             "urn:jejak:lot:gayo:cli-1", "--quantity", "5", "--uom", "KGM"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.stderr_text;
  CommandResult history;
  ASSERT_TRUE(WaitFor(
      [&] {
        history = Jejak({"--home", net_ + "/observer-1", "history", "urn:jejak:lot:gayo:cli-1"});
        return history.exit_code == 0;
      },
      20s))
      << history.stderr_text;

  CommandResult stopped = Jejak({"--home", net_, "testnet", "stop"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(net_ + "/validator-1/jejakd.pid"));
  EXPECT_NE(Jejak({"--home", net_ + "/validator-1", "status"}).exit_code, 0)
      << "a node still answers";

  CommandResult restarted = Jejak({"--home", net_, "testnet", "start"});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.stderr_text;
  CommandResult again =
      Jejak({"--home", net_ + "/validator-1", "history", "urn:jejak:lot:gayo:cli-1"});
  EXPECT_EQ(again.exit_code, 0) << again.stderr_text;
}

std::string CertificateSha256Hex(const std::string& path) {
  std::ifstream in(path);
  std::string pem(std::istreambuf_iterator<char>(in), {});
  Result<std::string> fingerprint = crypto::CertificateFingerprint(pem);
  EXPECT_TRUE(fingerprint.ok()) << path;
  return fingerprint.ok() ? crypto::ToHex(*fingerprint) : "";
}

// --ledger-tls: every ledger service serves TLS; a node's home pins its own certificate, block sync
// sources are pinned in each config, and a client from elsewhere needs --tls-pin.
TEST_F(TestnetCliTest, ALedgerTlsNetworkIsReachedOnlyWithTheRightPin) {
  CommandResult created = Jejak({"--home", net_, "testnet", "--validators", "2", "--observers", "1",
                                 "--org", "gayo:producer", "--ledger-tls"});
  ASSERT_EQ(created.exit_code, 0) << created.stdout_text << created.stderr_text;
  EXPECT_NE(created.stdout_text.find("(TLS sha256 "), std::string::npos) << created.stdout_text;
  const std::string lot = "urn:jejak:lot:gayo:tls-1";
  CommandResult recorded = Jejak({"--home", net_ + "/validator-2", "--as", "gayo", "lot",
                                  "commission", lot, "--quantity", "5", "--uom", "KGM"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.stderr_text;
  // The observer has no peer connection: it holds the lot only through pinned TLS block sync.
  CommandResult history;
  ASSERT_TRUE(WaitFor(
      [&] {
        history = Jejak({"--home", net_ + "/observer-1", "history", lot});
        return history.exit_code == 0;
      },
      20s))
      << history.stderr_text;

  Result<config::NodeConfig> config = config::LoadNodeConfig(net_ + "/validator-1");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(config->ledger_tls);
  const std::string address = config->ledger_listen;
  const std::string pin = CertificateSha256Hex(net_ + "/validator-1/tls/node.crt");
  const std::string other_pin = CertificateSha256Hex(net_ + "/validator-2/tls/node.crt");
  std::ifstream log(net_ + "/validator-1/jejakd.log");
  EXPECT_NE(std::string(std::istreambuf_iterator<char>(log), {}).find("TLS, certificate sha256 " + pin),
            std::string::npos);

  CommandResult pinned = Jejak({"--node", address, "--tls-pin", pin, "history", lot});
  EXPECT_EQ(pinned.exit_code, 0) << pinned.stderr_text;
  CommandResult unpinned = Jejak({"--node", address, "history", lot});
  EXPECT_NE(unpinned.exit_code, 0);
  EXPECT_NE(unpinned.stderr_text.find("--tls-pin"), std::string::npos) << unpinned.stderr_text;
  CommandResult wrong = Jejak({"--node", address, "--tls-pin", other_pin, "history", lot});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.stderr_text.find("other than the pinned sha256 " + other_pin), std::string::npos)
      << wrong.stderr_text;
  EXPECT_NE(wrong.stderr_text.find(pin), std::string::npos) << "names the certificate it got";
  // A buyer with only the genesis names the validator: its pinned certificate is the pin.
  const std::string genesis = net_ + "/validator-1/genesis.json";
  CommandResult by_id =
      Jejak({"--node", address, "--genesis", genesis, "--tls-pin", "validator-1", "history", lot});
  EXPECT_EQ(by_id.exit_code, 0) << by_id.stderr_text;
  CommandResult other_id =
      Jejak({"--node", address, "--genesis", genesis, "--tls-pin", "validator-2", "history", lot});
  EXPECT_NE(other_id.exit_code, 0);
  CommandResult stranger =
      Jejak({"--node", address, "--genesis", genesis, "--tls-pin", "validator-9", "history", lot});
  EXPECT_EQ(stranger.exit_code, 1);
  EXPECT_NE(stranger.stderr_text.find("'validator-9' is neither (validators of jejak-testnet: "
                                      "validator-1, validator-2)"),
            std::string::npos)
      << stranger.stderr_text;
  CommandResult empty = Jejak({"--node", address, "--tls-pin", "", "history", lot});
  EXPECT_EQ(empty.exit_code, 1);  // an unset shell variable must not mean plaintext
  EXPECT_NE(empty.stderr_text.find("--tls-pin is empty"), std::string::npos) << empty.stderr_text;
  CommandResult malformed = Jejak({"--node", address, "--tls-pin", "abc", "history", lot});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_NE(malformed.stderr_text.find("--tls-pin must be 64 hex digits"), std::string::npos)
      << malformed.stderr_text;
}

TEST_F(TestnetCliTest, RefusesAnExistingNetworkAndBadCountsWithoutWritingAnything) {
  ASSERT_EQ(Jejak({"--home", net_, "testnet", "--validators", "1", "--no-start"}).exit_code, 0);
  std::string genesis_before;
  {
    std::ifstream in(net_ + "/validator-1/genesis.json");
    genesis_before.assign(std::istreambuf_iterator<char>(in), {});
  }
  CommandResult twice = Jejak({"--home", net_, "testnet", "--validators", "1", "--no-start"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.stderr_text.find("already holds a network"), std::string::npos)
      << twice.stderr_text;
  std::ifstream in(net_ + "/validator-1/genesis.json");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), genesis_before);

  const std::string other = dir_.path() + "/other";
  for (const std::string count : {"0", "65", "-1"}) {
    CommandResult bad = Jejak({"--home", other, "testnet", "--validators", count, "--no-start"});
    EXPECT_EQ(bad.exit_code, 1) << count;
    EXPECT_NE(bad.stderr_text.find("--validators"), std::string::npos) << bad.stderr_text;
  }
  CommandResult bad_org = Jejak({"--home", other, "testnet", "--org", "gayo:farmer", "--no-start"});
  EXPECT_EQ(bad_org.exit_code, 1);
  EXPECT_NE(bad_org.stderr_text.find("'farmer' is not a role"), std::string::npos)
      << bad_org.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(other + "/validator-1"));
}

TEST_F(TestnetCliTest, ANodeThatDoesNotStartIsNamedWithItsLog) {
  CommandResult failed =
      Jejak({"--home", net_, "testnet", "--validators", "1", "--jejakd", "/bin/false"});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.stderr_text.find("node validator-1 exited at start"), std::string::npos)
      << failed.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(net_ + "/validator-1/jejakd.pid"));
}

}  // namespace
}  // namespace jejak::testing
