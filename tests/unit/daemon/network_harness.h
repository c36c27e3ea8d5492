// Several Nodes in one process: one genesis, a temp home per node, an in-memory PeerTransport
// (delivering through the other node's PeerInbox) and an in-memory BlockSource reading the other
// nodes' stores. For the daemon's network tests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "node/daemon/node.h"
#include "node/storage/safety_record.h"
#include "tests/support/test_process.h"
#include "tests/unit/ledger/test_support.h"

namespace jejak::daemon::testing {

using Clock = std::chrono::steady_clock;

// Polls `condition` until it holds or `timeout` passes (no sleeping for synchronisation: the
// condition is re-checked on a short wait).
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::mutex m;
    std::unique_lock lock(m);
    std::condition_variable().wait_for(lock, std::chrono::milliseconds(5));
  }
  return condition();
}

class Network;

// A BlockSource serving the stores of every other running node (optionally tampered with).
class MemorySource final : public replica::BlockSource {
 public:
  MemorySource(Network& network, std::string self) : network_(network), self_(std::move(self)) {}
  Result<uint64_t> BestHeadHeight() override;
  Result<std::vector<v1::CommittedBlock>> FetchBlocks(uint64_t from_height, uint32_t max_blocks) override;
  void RefuseLastFetch(const std::string&) override { ++refused; }
  // Applied to every block served (a lying source).
  std::function<void(v1::CommittedBlock*)> tamper;
  int refused = 0;

 private:
  Network& network_;
  std::string self_;
};

// How long a test waits for one submission to commit.
inline constexpr auto kSubmitTimeout = std::chrono::seconds(30);

class Network {
 public:
  static constexpr int kValidators = 4;

  Network() {
    genesis_ = ledger::testing::TestGenesis();
    genesis_.validators.clear();
    for (int i = 0; i < kValidators; ++i) {
      genesis_.validators.push_back({Id(i), ledger::testing::kGayo, ValidatorKey(i).public_key(),
                                     "127.0.0.1:" + std::to_string(7001 + i), std::string(32, char('a' + i))});
    }
  }
  ~Network() {
    for (auto& [id, node] : nodes_) Down(id);
  }

  static std::string Id(int i) { return "v" + std::to_string(i + 1); }
  static crypto::PrivateKey ValidatorKey(int i) { return ledger::testing::KeyFromSeed(static_cast<uint8_t>(101 + i)); }
  const ledger::Genesis& genesis() const { return genesis_; }

  // Starts every validator v1..v4 with its own key.
  void UpValidators() {
    for (int i = 0; i < kValidators; ++i) Up(Id(i), i);
  }

  // Opens (or reopens, same home) and starts node `id`; `key_index` picks the validator key
  // (-1: no key file, as an observer may run).
  Node& Up(const std::string& id, int key_index, bool expect_start = true) {
    auto& home = homes_[id];
    if (!home) home = std::make_unique<jejak::testing::TempDir>();
    const std::string dir = home->path();
    if (key_index >= 0 && !std::filesystem::exists(dir + "/node_key.pem")) {
      EXPECT_TRUE(ValidatorKey(key_index).SavePem(dir + "/node_key.pem").ok());
      EXPECT_TRUE(storage::CreateEmptySafetyRecord(dir + "/node_key.pem").ok());  // as jejak init does
    }
    {
      std::FILE* f = std::fopen((dir + "/genesis.json").c_str(), "wb");
      std::string json = ledger::GenesisToJson(genesis_);
      std::fwrite(json.data(), 1, json.size(), f);
      std::fclose(f);
    }
    Result<config::NodeConfig> config = config::ParseNodeConfig("[node]\nid = \"" + id + R"("
[ledger_service]
listen = "127.0.0.1:1"
[consensus]
timeout_propose_ms = 200
timeout_prevote_ms = 100
timeout_precommit_ms = 100
timeout_increase_per_round_ms = 50
tick_ms = 5
[block_sync]
poll_interval_ms = 20
)", dir);
    EXPECT_TRUE(config.ok()) << config.status().ToString();
    Result<std::unique_ptr<Node>> node = Node::Open(*config);
    EXPECT_TRUE(node.ok()) << node.status().ToString();
    auto transport = std::make_unique<Endpoint>(*this, id);
    auto source = std::make_unique<MemorySource>(*this, id);
    (*node)->AttachNetwork(transport.get(), source.get());
    Node& ref = **node;
    {
      std::lock_guard lock(mutex_);
      nodes_[id] = std::move(*node);
      transports_[id] = std::move(transport);
      sources_[id] = std::move(source);
    }
    last_start = ref.Start();
    if (expect_start) {
      EXPECT_TRUE(last_start.ok()) << last_start.ToString();
    }
    return ref;
  }

  // Stops node `id` and closes its store (its home stays for a later Up).
  void Down(const std::string& id) {
    std::unique_ptr<Node> node;
    {
      std::lock_guard lock(mutex_);
      auto it = nodes_.find(id);
      if (it == nodes_.end() || !it->second) return;
      node = std::move(it->second);
    }
    node->Stop();
    node.reset();
  }

  Node* Get(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : it->second.get();
  }
  MemorySource& source(const std::string& id) { return *sources_.at(id); }
  Status last_start;  // of the last Up
  // The node's home directory (its node key, safety record and data directory "data").
  std::string Home(const std::string& id) {
    std::lock_guard lock(mutex_);
    return homes_.at(id)->path();
  }

  void Deliver(const std::string& from, const std::optional<std::string>& to, const v1::PeerMessage& message) {
    std::lock_guard lock(mutex_);
    for (auto& [id, node] : nodes_) {
      if (!node || id == from || (to && *to != id)) continue;
      node->OnPeerMessage(from, message);
    }
  }

  // Calls fn(store) on each running node other than `self`, under the network lock.
  template <typename Fn>
  void ForEachOtherStore(const std::string& self, Fn fn) {
    std::lock_guard lock(mutex_);
    for (auto& [id, node] : nodes_) {
      if (node && id != self && node->is_validator()) fn(node->store());
    }
  }

 private:
  class Endpoint final : public replica::PeerTransport {
   public:
    Endpoint(Network& network, std::string self) : network_(network), self_(std::move(self)) {}
    void Send(const std::optional<std::string>& to, const v1::PeerMessage& message) override {
      network_.Deliver(self_, to, message);
    }

   private:
    Network& network_;
    std::string self_;
  };

  ledger::Genesis genesis_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<jejak::testing::TempDir>> homes_;
  std::map<std::string, std::unique_ptr<Node>> nodes_;
  std::map<std::string, std::unique_ptr<Endpoint>> transports_;
  std::map<std::string, std::unique_ptr<MemorySource>> sources_;
};

inline Result<uint64_t> MemorySource::BestHeadHeight() {
  uint64_t best = 0;
  bool any = false;
  network_.ForEachOtherStore(self_, [&](storage::Store& store) {
    any = true;
    best = std::max(best, store.head_height());
  });
  if (!any) return Status::Unavailable("no source");
  return best;
}

inline Result<std::vector<v1::CommittedBlock>> MemorySource::FetchBlocks(uint64_t from_height, uint32_t max_blocks) {
  std::vector<v1::CommittedBlock> blocks;
  storage::Store* best = nullptr;
  network_.ForEachOtherStore(self_, [&](storage::Store& store) {
    if (best == nullptr || store.head_height() > best->head_height()) best = &store;
    if (best != &store) return;
    blocks.clear();
    for (uint64_t h = from_height; h <= store.head_height() && blocks.size() < max_blocks; ++h) {
      v1::CommittedBlock committed;
      *committed.mutable_block() = store.GetBlock(h).value();
      *committed.mutable_certificate() = store.GetCertificate(h).value();
      if (tamper) tamper(&committed);
      blocks.push_back(std::move(committed));
    }
  });
  return blocks;
}

}  // namespace jejak::daemon::testing
