// libFuzzer target: jejakd's config.toml reader (ParseNodeConfig).
//
// Checked besides "never crashes": an accepted configuration written back as TOML
// (NodeConfigToToml, what `jejak testnet` writes) reads back to the same TOML.
#include <string>

#include "node/config/config.h"
#include "tests/fuzz/fuzz_support.h"

using namespace jejak;  // NOLINT

namespace {

constexpr const char* kHome = "/srv/jejak/node1";

constexpr const char* kFullSeed = R"([node]
id = "val-1"
genesis = "genesis.json"
data_dir = "/var/lib/jejak"
key = "keys/node_key.pem"
log_level = "debug"
[ledger_service]
listen = "127.0.0.1:7100"
tls = true
[peer_service]
listen = "127.0.0.1:7200"
peers = ["127.0.0.1:7201", "127.0.0.1:7202"]
tls_cert = "/etc/jejak/n.crt"
tls_key = "keys/n.key"
[block_sync]
sources = ["127.0.0.1:7101", { address = "10.0.0.2:7100", tls_cert_sha256 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" }]
poll_interval_ms = 250
max_blocks_per_fetch = 16
[consensus]
timeout_propose_ms = 1000
timeout_prevote_ms = 500
timeout_precommit_ms = 500
timeout_increase_per_round_ms = 250
tick_ms = 10
[limits]
mempool_max_events = 20000
max_block_events = 1000
max_request_bytes = 8388608
max_events_per_request = 10000
verify_threads = 2
)";

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  fuzz::WriteSeed("config-full.toml", kFullSeed);
  Result<config::NodeConfig> full = config::ParseNodeConfig(kFullSeed, kHome);
  if (full.ok()) fuzz::WriteSeed("config-written.toml", config::NodeConfigToToml(*full));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(fuzz::AsText(data, size));
  Result<config::NodeConfig> config = config::ParseNodeConfig(text, kHome);
  if (!config.ok()) {
    if (config.status().message().empty()) fuzz::Fail("a refusal without a reason");
    return 0;
  }
  const std::string written = config::NodeConfigToToml(*config);
  Result<config::NodeConfig> again = config::ParseNodeConfig(written, kHome);
  if (!again.ok()) fuzz::Fail("written config does not read back: " + again.status().ToString());
  if (config::NodeConfigToToml(*again) != written) fuzz::Fail("written config changed on reading");
  return 0;
}
