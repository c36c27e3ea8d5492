// A multi-node network in a temp dir for fault tests: `jejak testnet --no-start` writes it, each
// node runs as a real jejakd ChildProcess (killed by the destructor and if the test dies), and
// the test drives nodes one by one: kill -9, stop, restart, SIGSTOP/SIGCONT.
//
// Every event whose submission a node acknowledged (through Submit below) is remembered, and at
// the end of every test each running node must hold every one of them.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "jejak/v1/ledger_service.grpc.pb.h"
#include "node/crypto/ed25519.h"
#include "node/net/ledger_client.h"
#include "tests/support/test_process.h"
#include "tests/unit/ledger/test_support.h"

namespace jejak::testing {

inline constexpr const char* kNetJejakd = JEJAKD_PATH;
inline constexpr const char* kNetJejak = JEJAK_CLI_PATH;
#ifdef JEJAKD_BYZANTINE_PATH
inline constexpr const char* kJejakdByzantine = JEJAKD_BYZANTINE_PATH;
#endif

struct NetworkOptions {
  int validators = 4;
  int observers = 0;
  // Short consensus timeouts so faults are detected in tens of milliseconds.
  int tick_ms = 5;
  int timeout_propose_ms = 300;
  int timeout_vote_ms = 150;  // prevote and precommit
  int timeout_increase_per_round_ms = 100;
  bool start = true;  // start every node in SetUpNetwork
};

class NetworkFixture : public ::testing::Test {
  friend class LoadGenerator;

 protected:
  void TearDown() override;

  // Writes the network and (options.start) starts every node.
  void SetUpNetwork(const NetworkOptions& options);

  // Node control. `binary` replaces jejakd (the Byzantine build) for this start.
  void Start(const std::string& node, const std::string& binary = kNetJejakd);
  void StartAll();
  void Kill(const std::string& node);    // SIGKILL, as a crash
  void Stop(const std::string& node);    // SIGTERM, clean exit expected
  void Pause(const std::string& node);   // SIGSTOP
  void Resume(const std::string& node);  // SIGCONT
  bool Running(const std::string& node);

  const std::vector<std::string>& nodes() const { return nodes_; }
  const std::vector<std::string>& validators() const { return validators_; }
  std::vector<std::string> RunningNodes();
  std::string Home(const std::string& node) const { return dir_.path() + "/net/" + node; }
  std::string LedgerAddress(const std::string& node) const { return ledger_address_.at(node); }
  // Everything the node logged in every start of this test.
  std::string Log(const std::string& node) const;
  // A fresh client per call: never caught in a previous connection's reconnect backoff.
  std::unique_ptr<net::LedgerClient> Client(
      const std::string& node, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Signs with an organisation's agent key from the network's homes.
  v1::SignedEvent Sign(const std::string& org, const v1::Event& event);
  // Submits to `node`; remembers the ids of an acknowledged submission.
  Result<v1::SubmitEventsResponse> Submit(
      const std::string& node, const std::vector<v1::SignedEvent>& events,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // A fresh commissioning event for lot LoadLot(n), n = 1, 2, ..., signed by kProducer.
  v1::SignedEvent NextCommission();
  static constexpr const char* kProducer = "gayo";
  static std::string LoadLot(uint64_t n) { return "urn:jejak:lot:gayo:n" + std::to_string(n); }

  // Head height (0 and a test failure note when the node does not answer).
  Result<uint64_t> Height(const std::string& node);
  // Waits until every listed node's head is at least `height`.
  bool WaitForHeight(const std::vector<std::string>& nodes, uint64_t height,
                     std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // The blocks 1..height of `node` (serialised Block messages, certificates aside: they may hold
  // different precommit sets on different nodes).
  Result<std::vector<std::string>> Blocks(const std::string& node, uint64_t height);
  // Checks every listed node holds identical blocks up to `height`.
  void ExpectSameBlocks(const std::vector<std::string>& nodes, uint64_t height);
  // Checks every acknowledged event is on every listed node (called by TearDown on running nodes).
  void ExpectAcknowledgedEverywhere(const std::vector<std::string>& nodes);
  size_t acknowledged_count();
  // Every event id the node holds (QueryEvents, page by page).
  Result<std::set<std::string>> EventIds(const std::string& node);
  // True if any log of `node` holds `text`.
  bool LogHas(const std::string& node, const std::string& text) const {
    return Log(node).find(text) != std::string::npos;
  }

  // Rewrites `key = value` in the [section] of the node's config.toml.
  void SetConfig(const std::string& node, const std::string& section, const std::string& key,
                 const std::string& value);

  TempDir dir_;
  std::string chain_id_ = "jejak-net-1";
  std::vector<std::string> nodes_;  // validators, then observers
  std::vector<std::string> validators_;
  std::map<std::string, std::string> ledger_address_;
  std::map<std::string, std::unique_ptr<ChildProcess>> processes_;
  std::map<std::string, int> starts_;  // each start logs to its own file
  std::map<std::string, crypto::PrivateKey> org_keys_;
  std::mutex events_mutex_;  // the load thread signs too
  ledger::testing::Events events_;
  uint64_t next_lot_ = 0;
  std::mutex acknowledged_mutex_;
  std::vector<std::string> acknowledged_;
};

// Submits commissioning events from a thread to the nodes in turn until stopped; counts what was
// acknowledged. Failures (a node down) are expected and only counted.
class LoadGenerator {
 public:
  LoadGenerator(NetworkFixture* fixture, std::vector<std::string> targets);
  ~LoadGenerator();
  void StopAndJoin();
  size_t acknowledged() const { return acknowledged_.load(); }
  size_t failed() const { return failed_.load(); }

 private:
  NetworkFixture* fixture_;
  std::vector<std::string> targets_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> acknowledged_{0};
  std::atomic<size_t> failed_{0};
  std::thread thread_;
};

}  // namespace jejak::testing
