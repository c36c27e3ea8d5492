#include "tests/integration/node_fixture.h"

#include <filesystem>

#include "node/daemon/config.h"

namespace jejak::testing {

void NodeFixture::SetUp() {
  home_ = dir_.path() + "/net";
  std::vector<std::string> args = {kJejak, "--home", home_, "init", "--chain-id", chain_id_};
  for (const std::string& org : CoffeeOrgs()) {
    args.push_back("--org");
    args.push_back(org);
  }
  CommandResult init = RunCommand(args);
  ASSERT_EQ(init.exit_code, 0) << init.stderr_text;
  StartNode();
}

void NodeFixture::TearDown() {
  if (node_ && node_->running()) {
    int code = node_->Stop();
    EXPECT_EQ(code, 0) << "jejakd did not stop cleanly:\n" << node_->Log();
  }
  node_.reset();
}

void NodeFixture::StartNode() {
  node_ = std::make_unique<ChildProcess>(std::vector<std::string>{kJejakd, "--home", home_},
                                         dir_.path() + "/jejakd.log");
  Result<daemon::NodeConfig> config = daemon::LoadNodeConfig(home_);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  client_ = std::make_unique<net::LedgerClient>(config->ledger_listen, std::chrono::seconds(30));
  bool up = WaitFor([&] { return !node_->running() || client_->GetStatus().ok(); },
                    std::chrono::seconds(30));
  ASSERT_TRUE(up && node_->running()) << "jejakd did not come up:\n" << node_->Log();
}

void NodeFixture::StopNode() {
  ASSERT_EQ(node_->Stop(), 0) << node_->Log();
}

void NodeFixture::KillNode() { node_->Kill(); }

CommandResult NodeFixture::Jejak(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  args.insert(args.begin(), {kJejak, "--home", home_});
  return RunCommand(args, timeout);
}

crypto::PrivateKey NodeFixture::OrgKey(const std::string& org) const {
  Result<crypto::PrivateKey> key = crypto::PrivateKey::LoadPem(home_ + "/keys/" + org + ".pem");
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return std::move(key).value();
}

}  // namespace jejak::testing
