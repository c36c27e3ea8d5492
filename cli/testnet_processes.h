// The jejakd processes of a local testnet (`jejak testnet`): each node runs detached in its own
// session, with its log (jejakd.log) and pid file (jejakd.pid) in its home, so the network
// outlives the command and `jejak testnet stop|start --home DIR` finds it again.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "node/base/status.h"

namespace jejak::cli {

inline constexpr const char* kTestnetLogFile = "jejakd.log";
inline constexpr const char* kTestnetPidFile = "jejakd.pid";

struct TestnetNode {
  std::string id;
  std::filesystem::path home;
  std::string ledger_listen;
  std::string ledger_tls_fingerprint;  // "" when its ledger service is plaintext
  std::string peer_listen;             // "" for an observer
};

// The node homes under `dir` (subdirectories holding config.toml and genesis.json), in natural
// order of their names (validator-2 before validator-10).
Result<std::vector<TestnetNode>> ListTestnetNodes(const std::filesystem::path& dir);

// `explicit_path` if given, else jejakd beside this jejak binary (installed, or the build tree).
Result<std::string> FindJejakd(const std::string& explicit_path);

// Starts every node not already running, then waits (up to `wait`) until every ledger service
// answers. A node that exits or does not answer in time fails the call with its log's tail.
Status StartTestnetNodes(const std::vector<TestnetNode>& nodes, const std::string& jejakd,
                         std::chrono::milliseconds wait);

// SIGTERM to every node with a pid file, SIGKILL to those still running after `wait`; removes
// the pid files. `stopped` receives one line per node.
Status StopTestnetNodes(const std::vector<TestnetNode>& nodes, std::chrono::milliseconds wait,
                        std::vector<std::string>* stopped);

}  // namespace jejak::cli
