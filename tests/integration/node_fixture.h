// A single-node network in a temp dir: `jejak init` writes it, a real jejakd process serves it,
// and the test talks to it over gRPC on 127.0.0.1 (or through the jejak binary).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "node/crypto/ed25519.h"
#include "node/net/ledger_client.h"
#include "tests/support/test_process.h"

namespace jejak::testing {

inline constexpr const char* kJejakd = JEJAKD_PATH;
inline constexpr const char* kJejak = JEJAK_CLI_PATH;

// The organisations of the coffee chain used by the integration tests.
inline const std::vector<std::string>& CoffeeOrgs() {
  static const std::vector<std::string> orgs = {
      "gayo:producer,processor:Koperasi Gayo",
      "kintamani:producer:Koperasi Kintamani",
      "hulling:processor:PT Hulling Aceh",
      "roaster:processor:Roaster Bandung",
      "buyer:logistics:Kopi Buyer",
      "sucofindo:certifier:Sucofindo",
  };
  return orgs;
}

class NodeFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts jejakd on the home and waits until its ledger service answers. `wrapper` (e.g.
  // {"prlimit", "--nofile=1100", "--"}) runs jejakd under another command.
  void StartNode(const std::vector<std::string>& wrapper = {});
  void StopNode();
  void KillNode();
  // Runs the jejak CLI with --home added.
  CommandResult Jejak(std::vector<std::string> args, std::chrono::milliseconds timeout = std::chrono::seconds(120));
  // Runs `jejak --home H --as ORG args...`, records a failure unless it succeeds, and returns its
  // standard output.
  std::string As(const std::string& org, std::vector<std::string> args);
  crypto::PrivateKey OrgKey(const std::string& org) const;
  std::string chain_id() const { return chain_id_; }
  net::LedgerClient& client() { return *client_; }
  const std::string& home() const { return home_; }
  std::string NodeLog() const { return node_ ? node_->Log() : std::string(); }

  TempDir dir_;
  std::string home_;
  std::string chain_id_ = "jejak-it-1";
  std::unique_ptr<ChildProcess> node_;
  int starts_ = 0;  // each start logs to its own file
  std::unique_ptr<net::LedgerClient> client_;
};

}  // namespace jejak::testing
