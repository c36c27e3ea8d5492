// What every `jejak` command shares: the global flags, where a node's home keeps its files, and how
// results and failures are printed (human text by default, JSON with --json; exit 0 on success,
// non-zero with a one-line reason on any failure).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "node/base/status.h"
#include "node/crypto/ed25519.h"
#include "node/net/ledger_endpoint.h"

namespace jejak::config {
struct NodeConfig;
}

namespace jejak::cli {

// Files in a home directory written by `jejak init` (and by `jejak testnet` for each node).
inline constexpr const char* kGenesisFile = "genesis.json";
inline constexpr const char* kNodeKeyFile = "node_key.pem";
inline constexpr const char* kAgentKeysDir = "keys";  // keys/<organisation>.pem
inline constexpr const char* kAdminKeysDir = "admin";  // keys/admin/<organisation>.pem: governance

struct GlobalOptions {
  std::string home;          // --home DIR
  bool json = false;         // --json
  std::string node_address;  // --node host:port (overrides the home's config)
  std::string tls_pin_hex;   // --tls-pin SHA256|VALIDATOR: the node's ledger service uses TLS
  std::string key_path;      // --key FILE (overrides the home's agent key)
  std::string as_org;        // --as ORG: sign with <home>/keys/<ORG>.pem
  std::string genesis_path;  // --genesis FILE (overrides <home>/genesis.json)
};

// Where results go. Commands print through it so --json is honoured everywhere.
class Output {
 public:
  explicit Output(const GlobalOptions& options) : options_(options) {}
  bool json() const { return options_.json; }
  // Prints `human` as is, or `data` as one JSON document.
  void Print(const std::string& human, const nlohmann::json& data) const;
  // Prints the failure as one line on stderr (with `note` after it in brackets) and returns the
  // process exit code for it. With --json, also a JSON object on stdout: error, code, and the
  // refusal's rule and event_number when it has them.
  int Fail(const Status& status, const std::string& note = "") const;

 private:
  const GlobalOptions& options_;
};

// The genesis file: --genesis, else <home>/genesis.json.
Result<std::string> GenesisPath(const GlobalOptions& options);
// The ledger service to ask: --node, else the home's config.toml. TLS with --tls-pin (64 hex
// digits, or a validator id: its tls_cert_sha256 in the genesis), or when the address comes from
// the home and its config says [ledger_service] tls = true: then the home's own certificate
// (tls/node.crt) is the pin.
Result<net::LedgerEndpoint> NodeEndpoint(const GlobalOptions& options);
// The ledger service of the node whose home (or configuration) this is, as NodeEndpoint finds it.
Result<net::LedgerEndpoint> HomeLedgerEndpoint(const std::string& home);
Result<net::LedgerEndpoint> HomeLedgerEndpoint(const config::NodeConfig& config);
// The agent key that signs: --key, else <home>/keys/<--as>.pem, else the home's only agent key.
Result<crypto::PrivateKey> LoadSigningKey(const GlobalOptions& options);
Result<std::string> ReadTextFile(const std::string& path, size_t max_bytes);

}  // namespace jejak::cli
