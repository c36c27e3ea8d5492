// `jejak testnet` itself: a network written, started, addressed, stopped and restarted through the
// CLI, and each way the command refuses (an existing network, bad counts, a node that won't start).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
