#include "node/config/config.h"

#include <gtest/gtest.h>

#include "node/ledger/block.h"

namespace jejak::daemon {
namespace {

constexpr const char* kMinimal = R"(
[node]
id = "val-1"
[ledger_service]
listen = "127.0.0.1:7100"
)";

TEST(NodeConfigTest, MinimalConfigGetsDefaultsAndResolvesPaths) {
  Result<config::NodeConfig> config = config::ParseNodeConfig(kMinimal, "/srv/jejak/node1");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->node_id, "val-1");
  EXPECT_EQ(config->genesis_path, "/srv/jejak/node1/genesis.json");
  EXPECT_EQ(config->data_dir, "/srv/jejak/node1/data");
  EXPECT_EQ(config->node_key_path, "/srv/jejak/node1/node_key.pem");
  EXPECT_EQ(config->limits.mempool_max_events, config::Limits{}.mempool_max_events);
  EXPECT_TRUE(config->peers.empty());
  EXPECT_EQ(config->tls_cert_path, "/srv/jejak/node1/tls/node.crt");
  EXPECT_EQ(config->tls_key_path, "/srv/jejak/node1/tls/node.key");
  EXPECT_TRUE(config->block_sync.sources.empty());
  EXPECT_EQ(config->block_sync.poll_interval_ms, config::BlockSyncConfig{}.poll_interval_ms);
}

TEST(NodeConfigTest, NetworkKeysAreRead) {
  Result<config::NodeConfig> config = config::ParseNodeConfig(std::string(kMinimal) + R"(
[peer_service]
listen = "127.0.0.1:7200"
tls_cert = "/etc/jejak/n.crt"
tls_key = "keys/n.key"
[block_sync]
sources = ["127.0.0.1:7101", "10.0.0.2:7100"]
poll_interval_ms = 250
max_blocks_per_fetch = 16
)", "/srv/n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->peer_listen, "127.0.0.1:7200");
  EXPECT_EQ(config->tls_cert_path, "/etc/jejak/n.crt");
  EXPECT_EQ(config->tls_key_path, "/srv/n/keys/n.key");
  EXPECT_EQ(config->block_sync.sources,
            (std::vector<config::BlockSyncSource>{{"127.0.0.1:7101", ""}, {"10.0.0.2:7100", ""}}));
  EXPECT_EQ(config->block_sync.poll_interval_ms, 250u);
  EXPECT_EQ(config->block_sync.max_blocks_per_fetch, 16u);
  Result<config::NodeConfig> again = config::ParseNodeConfig(config::NodeConfigToToml(*config), "/srv/n");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->tls_key_path, config->tls_key_path);
  EXPECT_EQ(again->block_sync.sources, config->block_sync.sources);
  EXPECT_EQ(again->block_sync.poll_interval_ms, 250u);
}

TEST(NodeConfigTest, WrittenConfigReadsBackTheSame) {
  config::NodeConfig original = config::ParseNodeConfig(kMinimal, "/srv/a").value();
  original.peers = {"127.0.0.1:7201", "127.0.0.1:7202"};
  original.peer_listen = "127.0.0.1:7200";
  original.data_dir = "/elsewhere/data";
  original.timeouts.propose_ms = 1234;
  original.limits.verify_threads = 3;
  Result<config::NodeConfig> again = config::ParseNodeConfig(config::NodeConfigToToml(original), "/srv/a");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->peers, original.peers);
  EXPECT_EQ(again->peer_listen, original.peer_listen);
  EXPECT_EQ(again->data_dir, "/elsewhere/data");
  EXPECT_EQ(again->timeouts.propose_ms, 1234u);
  EXPECT_EQ(again->limits.verify_threads, 3u);
}

struct BadConfig {
  const char* text;
  const char* expected_in_message;
};

class BadNodeConfigTest : public testing::TestWithParam<BadConfig> {};

TEST_P(BadNodeConfigTest, IsRefusedNamingTheProblem) {
  Result<config::NodeConfig> config = config::ParseNodeConfig(GetParam().text, "/tmp/x");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalid);
  EXPECT_NE(config.status().message().find(GetParam().expected_in_message), std::string::npos)
      << config.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadNodeConfigTest,
    testing::Values(
        BadConfig{"[node\nid=1", "line"},
        BadConfig{"[ledger_service]\nlisten = \"127.0.0.1:1\"\n", "[node] id is missing"},
        BadConfig{"[node]\nid = 5\n[ledger_service]\nlisten = \"127.0.0.1:1\"\n", "must be a string"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"nohost\"\n", "is not host:port"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:12x\"\n", "port that is not a number"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[limits]\nverify_threads = 0\n",
                  "verify_threads = 0 is outside 1..64"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[consensus]\ntick_ms = \"x\"\n",
                  "tick_ms must be an integer"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[peer_service]\npeers = \"h:2\"\n",
                  "peers must be a list"},
        BadConfig{"[node]\nid = \"a\"\nlog_level = \"loud\"\n[ledger_service]\nlisten = \"h:1\"\n",
                  "log_level 'loud'"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[limits]\nmax_block_events = 10001\n",
                  "max_block_events = 10001 is outside"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[limits]\nmempool_max_events = 10\n",
                  "must not exceed mempool_max_events"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\nsources = \"h:2\"\n",
                  "[block_sync] sources must be a list"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\nsources = [\"h2\"]\n",
                  "[block_sync] sources 'h2' is not host:port"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\nsources = [\"h:2\", \"h:2\"]\n",
                  "lists 'h:2' twice"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\nsources = [\"h:1\"]\n",
                  "this node's own ledger service"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\npoll_interval_ms = 5\n",
                  "poll_interval_ms = 5 is outside 10..600000"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\nmax_blocks_per_fetch = 0\n",
                  "max_blocks_per_fetch = 0 is outside"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[peer_service]\ntls_key = \"\"\n",
                  "tls_cert and tls_key must not be empty"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\ntls = \"yes\"\n",
                  "[ledger_service] tls must be true or false"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\n"
                  "sources = [{ address = \"h:2\", tls_cert_sha256 = \"abc\" }]\n",
                  "tls_cert_sha256 of 'h:2' must be 64 hex digits"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\n"
                  "sources = [{ tls_cert_sha256 = \"abc\" }]\n",
                  "needs address = \"host:port\""},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\n"
                  "sources = [{ address = \"h:2\", pin = \"x\" }]\n",
                  "unknown key 'pin'"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\nsources = [7]\n",
                  "entries must be"},
        BadConfig{"[node]\nid = \"a\"\n[ledger_service]\nlisten = \"h:1\"\n[block_sync]\n"
                  "sources = [\"h:2\", { address = \"h:2\" }]\n",
                  "lists 'h:2' twice"}));

TEST(NodeConfigTest, LedgerTlsAndPinnedSourcesAreReadAndWrittenBack) {
  const std::string pin(64, 'a');
  Result<config::NodeConfig> config = config::ParseNodeConfig(R"(
[node]
id = "observer-1"
[ledger_service]
listen = "127.0.0.1:7100"
tls = true
[block_sync]
sources = [
  "127.0.0.1:7101",
  { address = "127.0.0.1:7102", tls_cert_sha256 = ")" + std::string(64, 'A') + R"(" },
]
)", "/srv/o");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(config->ledger_tls);
  const std::vector<config::BlockSyncSource> expected{{"127.0.0.1:7101", ""}, {"127.0.0.1:7102", pin}};
  EXPECT_EQ(config->block_sync.sources, expected);  // the pin is kept in lower case
  Result<config::NodeConfig> again = config::ParseNodeConfig(config::NodeConfigToToml(*config), "/srv/o");
  ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << config::NodeConfigToToml(*config);
  EXPECT_TRUE(again->ledger_tls);
  EXPECT_EQ(again->block_sync.sources, expected);
  EXPECT_FALSE(config::ParseNodeConfig(kMinimal, "/srv/o")->ledger_tls);  // plaintext unless asked
}

TEST(NodeConfigTest, BlockEventBoundIsTheLedgers) {
  EXPECT_EQ(config::kMaxBlockEventsBound, ledger::kMaxBlockEvents);
}

// Issue 12: a node id missing from the genesis ran as an observer. The role is said, not guessed.
TEST(NodeConfigTest, RoleIsReadWrittenBackAndCheckedAgainstTheValidators) {
  config::NodeConfig validator = config::ParseNodeConfig(kMinimal, "/srv/a").value();
  EXPECT_FALSE(validator.observer);
  config::NodeConfig observer = config::ParseNodeConfig(config::NodeConfigToToml(validator), "/srv/a").value();
  EXPECT_FALSE(observer.observer);
  validator.observer = true;
  observer = config::ParseNodeConfig(config::NodeConfigToToml(validator), "/srv/a").value();
  EXPECT_TRUE(observer.observer);
  Result<config::NodeConfig> bad = config::ParseNodeConfig("[node]\nid = \"x\"\nrole = \"voter\"\n[ledger_service]\n"
                                           "listen = \"127.0.0.1:7100\"\n", "/srv/a");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "config: [node] role 'voter' is not validator or observer");

  const std::vector<std::string> ids = {"val-1", "val-2"};
  validator.observer = false;
  EXPECT_TRUE(config::CheckNodeRole(validator, "c-1", ids).ok());
  validator.node_id = "val-3";
  Status missing = config::CheckNodeRole(validator, "c-1", ids);
  EXPECT_EQ(missing.code(), StatusCode::kInvalid);
  EXPECT_NE(missing.message().find("[node] id 'val-3' is not a validator of chain c-1 (its validators: "
                                   "val-1, val-2)"),
            std::string::npos)
      << missing.message();
  observer.node_id = "observer-1";
  EXPECT_TRUE(config::CheckNodeRole(observer, "c-1", ids).ok());
  observer.node_id = "val-2";
  EXPECT_NE(config::CheckNodeRole(observer, "c-1", ids).message().find("'val-2' is a validator of chain c-1"),
            std::string::npos);
}

TEST(NodeConfigTest, MissingFileIsNotFound) {
  Result<config::NodeConfig> config = config::LoadNodeConfig("/nonexistent/jejak/home");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace jejak::daemon
