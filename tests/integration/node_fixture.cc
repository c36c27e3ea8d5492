#include "tests/integration/node_fixture.h"

#include <filesystem>

#include "node/config/config.h"

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
  client_.reset();
  if (node_ && node_->running()) {
    int code = node_->Stop();
    EXPECT_EQ(code, 0) << "jejakd did not stop cleanly:\n" << node_->Log();
  }
  node_.reset();
}

void NodeFixture::StartNode(const std::vector<std::string>& wrapper) {
  std::vector<std::string> argv = wrapper;
  argv.insert(argv.end(), {kJejakd, "--home", home_});
  node_ = std::make_unique<ChildProcess>(std::move(argv),
                                         dir_.path() + "/jejakd-" + std::to_string(++starts_) + ".log");
  Result<config::NodeConfig> config = config::LoadNodeConfig(home_);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  // jejakd logs this line once its ledger service listens. Waiting for it (rather than retrying
  // calls) keeps the client's channel out of gRPC's reconnect backoff.
  const std::string ready = "ledger service on " + config->ledger_listen;
  bool up = WaitFor([&] { return !node_->running() || node_->Log().find(ready) != std::string::npos; },
                    std::chrono::seconds(30));
  ASSERT_TRUE(up && node_->running()) << "jejakd did not come up:\n" << node_->Log();
  client_ = std::make_unique<net::LedgerClient>(config->ledger_listen, std::chrono::seconds(30));
}

void NodeFixture::StopNode() {
  client_.reset();
  ASSERT_EQ(node_->Stop(), 0) << node_->Log();
}

void NodeFixture::KillNode() { node_->Kill(); }

CommandResult NodeFixture::Jejak(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  args.insert(args.begin(), {kJejak, "--home", home_});
  return RunCommand(args, timeout);
}

std::string NodeFixture::As(const std::string& org, std::vector<std::string> args) {
  args.insert(args.begin(), {"--as", org});
  CommandResult result = Jejak(args);
  EXPECT_EQ(result.exit_code, 0) << "jejak --as " << org << " " << args[2]
                                 << (args.size() > 3 ? " " + args[3] : "") << ": "
                                 << result.stderr_text;
  return result.stdout_text;
}

crypto::PrivateKey NodeFixture::OrgKey(const std::string& org) const {
  Result<crypto::PrivateKey> key = crypto::PrivateKey::LoadPem(home_ + "/keys/" + org + ".pem");
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return std::move(key).value();
}

}  // namespace jejak::testing
