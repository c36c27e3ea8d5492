// A 4-validator network on loopback (`jejak testnet`), pre-signed events from 16 concurrent
// clients spread over the nodes. Prints, measured in the same run:
//   - the peak committed events/s (closed loop: each client sends its next batch when the last
//     one is committed);
//   - p50/p99 submit-to-commit latency at half of that peak (open loop: batches paced in time);
//   - the peak as a fraction of the ceiling 2 cores x (Ed25519 verify/s of one core) / 4 nodes
//     (every node checks every signature once, and all four share this machine's cores);
//   - the sync rate of an observer started after the load (events/s until it reaches the tip).
// Asserts nothing.
//
//   network_bench [--events-per-client N] [--batch B] [--clients C]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "node/crypto/ed25519.h"
#include "node/config/config.h"
#include "node/ledger/signing.h"
#include "node/net/ledger_client.h"
#include "tests/support/test_process.h"

namespace {

using Clock = std::chrono::steady_clock;
using jejak::testing::ChildProcess;
using jejak::testing::RunCommand;
using jejak::testing::WaitFor;
using jejak::bench::Percentile;
using jejak::bench::VerifiesPerSecondOneCore;

constexpr int kValidators = 4;

struct Options {
  int per_client = 1000;
  int batch = 20;
  int clients = 16;
};

using Batches = std::vector<std::vector<jejak::v1::SignedEvent>>;

// Per client: its batches, pre-signed.
std::vector<Batches> SignLoad(const jejak::crypto::PrivateKey& key, const Options& options, int phase) {
  std::vector<Batches> load(static_cast<size_t>(options.clients));
  for (int c = 0; c < options.clients; ++c) {
    Batches& batches = load[static_cast<size_t>(c)];
    for (int i = 0; i < options.per_client; ++i) {
      if (i % options.batch == 0) batches.emplace_back();
      std::string lot = "urn:jejak:lot:bench:p" + std::to_string(phase) + "c" + std::to_string(c) + "-" +
                        std::to_string(i);  // the phase keeps the two loads' lots apart
      batches.back().push_back(*jejak::ledger::SignEvent(key, "bench", jejak::bench::Commissioning(lot, c * 100000 + i)));
    }
  }
  return load;
}

struct LoadResult {
  double seconds = 0;
  size_t committed = 0;
  int failed_batches = 0;
  std::vector<double> latencies_ms;
};

// Client c talks to node c % 4. interval == 0: closed loop; otherwise each client starts batch k
// at start + k * interval (open loop).
LoadResult RunLoad(const std::vector<Batches>& load, const std::vector<std::string>& addresses,
                   Clock::duration interval) {
  std::vector<LoadResult> per_client(load.size());
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (size_t c = 0; c < load.size(); ++c) {
    threads.emplace_back([&, c] {
      jejak::net::LedgerClient client(addresses[c % addresses.size()], std::chrono::seconds(120));
      LoadResult& result = per_client[c];
      for (size_t k = 0; k < load[c].size(); ++k) {
        if (interval != Clock::duration::zero()) std::this_thread::sleep_until(start + k * interval);  // pacing, not synchronisation
        auto sent = Clock::now();
        auto response = client.SubmitEvents(load[c][k]);
        if (!response.ok()) {
          ++result.failed_batches;
          std::fprintf(stderr, "client %zu: %s\n", c, response.status().ToString().c_str());
          continue;
        }
        result.committed += load[c][k].size();
        result.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  LoadResult total;
  total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const LoadResult& r : per_client) {
    total.committed += r.committed;
    total.failed_batches += r.failed_batches;
    total.latencies_ms.insert(total.latencies_ms.end(), r.latencies_ms.begin(), r.latencies_ms.end());
  }
  return total;
}

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--events-per-client")) options->per_client = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--batch")) options->batch = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--clients")) options->clients = std::atoi(argv[i + 1]);
  }
  return options->per_client >= 1 && options->batch >= 1 && options->clients >= 1 && options->clients <= 256;
}

class Network {
 public:
  explicit Network(std::string dir) : dir_(std::move(dir)) {}

  bool Start(const std::string& node) {
    std::string home = dir_ + "/" + node;
    auto config = jejak::config::LoadNodeConfig(home);
    if (!config.ok()) {
      std::fprintf(stderr, "%s\n", config.status().ToString().c_str());
      return false;
    }
    auto process = std::make_unique<ChildProcess>(std::vector<std::string>{JEJAKD_PATH, "--home", home},
                                                  home + "/bench.log");
    bool up = WaitFor([&] { return !process->running() || process->Log().find("ledger service on") != std::string::npos; },
                      std::chrono::seconds(30)) && process->running();
    if (!up) {
      std::fprintf(stderr, "%s did not start:\n%s\n", node.c_str(), process->Log().c_str());
      return false;
    }
    addresses_.push_back(config->ledger_listen);
    processes_.push_back(std::move(process));
    return true;
  }
  const std::vector<std::string>& addresses() const { return addresses_; }

 private:
  std::string dir_;
  std::vector<std::string> addresses_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;  // stopped (SIGKILL) by their destructors
};

uint64_t Height(const std::string& address) {
  jejak::net::LedgerClient client(address, std::chrono::seconds(5));
  auto status = client.GetStatus();
  return status.ok() ? status->height() : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::fprintf(stderr, "usage: network_bench [--events-per-client N>0] [--batch B>0] [--clients 1..256]\n");
    return 1;
  }
  jejak::testing::TempDir dir;
  auto testnet = RunCommand({JEJAK_CLI_PATH, "testnet", "--home", dir.path(), "--validators", "4",
                             "--observers", "1", "--chain-id", "bench", "--org", "bench:producer", "--no-start"});
  if (testnet.exit_code != 0) {
    std::fprintf(stderr, "jejak testnet failed: %s\n", testnet.stderr_text.c_str());
    return 1;
  }
  std::printf("machine: %u hardware threads; %d validators on loopback, %d clients, batches of %d\n",
              std::thread::hardware_concurrency(), kValidators, options.clients, options.batch);
  // This machine's verify/s drifts by up to 2x within minutes (a shared VM): measure it just
  // before and just after the peak and take the mean.
  const double verify_before = VerifiesPerSecondOneCore();

  jejak::crypto::PrivateKey key =
      std::move(jejak::crypto::PrivateKey::LoadPem(dir.path() + "/validator-1/keys/bench.pem")).value();
  std::vector<Batches> peak_load = SignLoad(key, options, 1);
  std::vector<Batches> paced_load = SignLoad(key, options, 2);

  Network network(dir.path());
  for (int v = 1; v <= kValidators; ++v) {
    if (!network.Start("validator-" + std::to_string(v))) return 1;
  }
  LoadResult peak = RunLoad(peak_load, network.addresses(), Clock::duration::zero());
  double peak_rate = static_cast<double>(peak.committed) / peak.seconds;
  const double verify_after = VerifiesPerSecondOneCore();  // the idle nodes have stopped ticking
  const double verify_per_s = (verify_before + verify_after) / 2;
  const double ceiling = 2 * verify_per_s / kValidators;
  std::printf("Ed25519 verify/s (one core, this run): %.0f before the peak, %.0f after, mean %.0f; "
              "ceiling 2 x mean / %d nodes = %.0f events/s\n",
              verify_before, verify_after, verify_per_s, kValidators, ceiling);
  std::printf("peak: %zu events committed in %.1f s = %.0f events/s (failed batches %d); "
              "latency p50 %.0f ms, p99 %.0f ms\n",
              peak.committed, peak.seconds, peak_rate, peak.failed_batches, Percentile(peak.latencies_ms, 0.5),
              Percentile(peak.latencies_ms, 0.99));
  std::printf("peak / ceiling: %.2f (aim: at least 0.5)\n", peak_rate / ceiling);

  // Half of the peak: every client sends one batch per interval.
  double batches_per_s = peak_rate / 2 / options.batch;
  auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.clients / std::max(batches_per_s, 1e-3)));
  LoadResult half = RunLoad(paced_load, network.addresses(), interval);
  std::printf("at half of the peak (%.0f events/s offered): %.0f events/s committed, latency p50 %.0f ms, "
              "p99 %.0f ms (failed batches %d)\n",
              peak_rate / 2, static_cast<double>(half.committed) / half.seconds, Percentile(half.latencies_ms, 0.5),
              Percentile(half.latencies_ms, 0.99), half.failed_batches);

  uint64_t tip = Height(network.addresses().front());
  auto sync_start = Clock::now();
  if (!network.Start("observer-1")) return 1;
  const std::string observer = network.addresses().back();
  bool synced = WaitFor([&] { return Height(observer) >= tip; }, std::chrono::minutes(10));
  double sync_seconds = std::chrono::duration<double>(Clock::now() - sync_start).count();
  double events = static_cast<double>(peak.committed + half.committed);
  std::printf("observer sync: %s %llu blocks (%.0f events) in %.1f s = %.0f events/s\n",
              synced ? "reached" : "did NOT reach", static_cast<unsigned long long>(tip), events, sync_seconds,
              events / sync_seconds);
  return 0;
}
