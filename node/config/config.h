// jejakd's node configuration, read from <home>/config.toml.
//
// Every path in the file is relative to the home directory unless absolute. Every limit has a
// bound: a value outside it is refused at start, naming the key, rather than discovered under load.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "node/base/status.h"

namespace jejak::config {

struct ConsensusTimeouts {
  uint32_t propose_ms = 1000;
  uint32_t prevote_ms = 500;
  uint32_t precommit_ms = 500;
  uint32_t increase_per_round_ms = 250;  // propose and prevote timeouts grow by it each round (not precommit)
  uint32_t tick_ms = 10;                 // granularity of the consensus clock
};

// The ledger refuses blocks of more events (ledger::kMaxBlockEvents); checked by a test.
inline constexpr uint32_t kMaxBlockEventsBound = 10'000;

struct Limits {
  uint32_t mempool_max_events = 20'000;
  uint32_t max_block_events = 1'000;
  uint32_t max_request_bytes = 8 << 20;
  uint32_t max_events_per_request = 10'000;
  uint32_t verify_threads = 2;
};

// [ledger_service]: bounds on client connections (node/net/connection_gate.h). A node lowers
// max_connections at start when its descriptor limit (ulimit -n) cannot hold that many.
struct ClientConnectionLimits {
  uint32_t max_connections = 4096;
  uint32_t max_connections_per_client = 256;  // per client IP address
  uint32_t first_byte_timeout_ms = 10'000;    // a connection that says nothing is closed
  uint32_t idle_timeout_ms = 600'000;         // a connection quiet this long is closed
};

// One other node's ledger service that blocks are fetched from. In config.toml either
// "host:port" (plaintext) or { address = "host:port", tls_cert_sha256 = "<64 hex digits>" } for a
// service with TLS ([ledger_service] tls): only the certificate with that SHA-256 is accepted.
struct BlockSyncSource {
  std::string address;
  std::string tls_cert_sha256_hex;  // lower-case hex; "" for plaintext
  bool operator==(const BlockSyncSource&) const = default;
};

// [block_sync]: where a node that is behind (or an observer) fetches committed blocks.
struct BlockSyncConfig {
  // Other nodes' LEDGER services. Blocks are public and carry their certificates, so no TLS
  // identity of our own is needed to fetch them.
  std::vector<BlockSyncSource> sources;
  uint32_t poll_interval_ms = 500;      // how often an observer (or an idle validator) asks
  uint32_t max_blocks_per_fetch = 64;   // per request
};

inline constexpr size_t kMaxBlockSyncSources = 100;

struct NodeConfig {
  std::string home_dir;           // absolute
  std::string node_id;            // a validator id from the genesis ([node] role = "validator")
  bool observer = false;          // [node] role = "observer": follows by block sync, never votes
  std::string genesis_path;       // absolute
  std::string data_dir;           // absolute
  std::string node_key_path;      // absolute; the validator's signing key (PEM)
  std::string ledger_listen;      // host:port of the client-facing ledger service
  bool ledger_tls = false;        // [ledger_service] tls: serve with the TLS identity below
  ClientConnectionLimits client_connections;  // [ledger_service] bounds
  std::string peer_listen;        // host:port of the peer service ("" for a single node)
  std::vector<std::string> peers; // host:port of the other validators' peer services
  // The node's TLS identity: the peer service's (mutual TLS) and, with ledger_tls, the ledger
  // service's. Set by [peer_service] tls_cert / tls_key.
  std::string tls_cert_path;      // absolute; default <home>/tls/node.crt
  std::string tls_key_path;       // absolute; default <home>/tls/node.key
  BlockSyncConfig block_sync;
  std::string log_level = "info";
  ConsensusTimeouts timeouts;
  Limits limits;
};

inline constexpr const char* kConfigFileName = "config.toml";

// [node] role against the genesis: a validator's id must be one of the genesis' validators, an
// observer's must not. Invalid naming the id and the fix otherwise: a mistyped id must not turn
// a validator silently into an observer (nor an observer into a second copy of a validator).
Status CheckNodeRole(const NodeConfig& config, const std::string& chain_id,
                     const std::vector<std::string>& validator_ids);

// Reads <home_dir>/config.toml.
Result<NodeConfig> LoadNodeConfig(const std::string& home_dir);
Result<NodeConfig> ParseNodeConfig(const std::string& toml_text, const std::string& home_dir);
// The TOML text for `config` (paths written relative to its home directory where possible).
std::string NodeConfigToToml(const NodeConfig& config);

}  // namespace jejak::config
