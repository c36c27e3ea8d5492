// The files of a local network (genesis, keys, TLS identities, one config per node), built and
// checked completely in memory before anything touches the disk. Shared by `jejak init` (one
// validator) and `jejak testnet` (several validators, observers), so both write the same homes.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "node/base/status.h"
#include "node/crypto/ed25519.h"
#include "node/crypto/tls_identity.h"
#include "node/ledger/genesis.h"

namespace jejak::cli {

inline constexpr size_t kMaxTestnetValidators = 64;
inline constexpr size_t kMaxTestnetObservers = 64;

struct NetworkPlan {
  std::string chain_id = "jejak-local";
  std::vector<std::string> org_specs;      // "ID:ROLE,ROLE[:NAME]"; empty: one default cooperative
  std::vector<std::string> validator_ids;  // at least one; they join the organisations round-robin
  std::vector<std::string> observer_ids;   // nodes that follow the chain and answer queries
  std::string first_ledger_listen;         // the first node's ledger service ("": a free port)
  bool ledger_tls = false;                 // every ledger service serves TLS with its node's identity
};

// One node's home directory, in memory.
struct NodePlan {
  std::string id;
  bool validator = false;
  crypto::PrivateKey node_key;
  crypto::TlsIdentity tls;
  std::string ledger_listen;  // host:port
  std::string peer_listen;    // host:port, validators only (the genesis address)
  bool ledger_tls = false;
  std::string config_toml;
};

struct LocalNetwork {
  ledger::Genesis genesis;
  std::vector<std::pair<std::string, crypto::PrivateKey>> agent_keys;  // organisation id, key
  std::vector<std::pair<std::string, crypto::PrivateKey>> admin_keys;  // organisation id, admin key
  std::vector<NodePlan> nodes;                                         // validators, then observers
};

// "ID:ROLE,ROLE[:NAME]"
Result<ledger::Organisation> ParseOrgSpec(const std::string& spec);

// Generates every key and identity, picks distinct free 127.0.0.1 ports, and checks the genesis
// and each node's configuration as jejakd will read them.
Result<LocalNetwork> BuildLocalNetwork(const NetworkPlan& plan);

// Writes one node's complete home into `home` (created if needed); no file is ever replaced, and
// genesis.json is written last, so its presence marks a complete home.
Status WriteNodeHome(const std::filesystem::path& home, const LocalNetwork& network,
                     const NodePlan& node);

}  // namespace jejak::cli
