// One jejakd on loopback, pre-signed events from 8 concurrent clients: committed events/s, p50/p99
// submit-to-commit latency, and the rate as a fraction of 2 x (Ed25519 verify/s of one core),
// measured in the same run. Prints figures; asserts nothing.
//
//   node_bench [--events-per-client N] [--batch B] [--clients C]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
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

}  // namespace

int main(int argc, char** argv) {
  int per_client = 2000, batch = 50, clients = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--events-per-client")) per_client = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--batch")) batch = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--clients")) clients = std::atoi(argv[i + 1]);
  }
  if (per_client < 1 || batch < 1 || clients < 1 || clients > 256) {
    std::fprintf(stderr, "usage: node_bench [--events-per-client N>0] [--batch B>0] [--clients 1..256]\n");
    return 1;
  }
  jejak::testing::TempDir dir;
  std::string home = dir.path() + "/node";
  auto init = RunCommand({JEJAK_CLI_PATH, "--home", home, "init", "--chain-id", "bench", "--org",
                          "bench:producer"});
  if (init.exit_code != 0) {
    std::fprintf(stderr, "init failed: %s\n", init.stderr_text.c_str());
    return 1;
  }
  std::printf("machine: %u hardware threads\n", std::thread::hardware_concurrency());
  double verify_per_s = VerifiesPerSecondOneCore();
  std::printf("Ed25519 verify/s (one core, this run): %.0f; ceiling 2 x that = %.0f events/s\n",
              verify_per_s, 2 * verify_per_s);

  jejak::crypto::PrivateKey key = std::move(jejak::crypto::PrivateKey::LoadPem(home + "/keys/bench.pem")).value();
  std::vector<std::vector<jejak::v1::SignedEvent>> signed_events(static_cast<size_t>(clients));
  for (int c = 0; c < clients; ++c) {
    for (int i = 0; i < per_client; ++i) {
      std::string lot = "urn:jejak:lot:bench:c" + std::to_string(c) + "-" + std::to_string(i);
      signed_events[static_cast<size_t>(c)].push_back(
          *jejak::ledger::SignEvent(key, "bench", jejak::bench::Commissioning(lot, c * 100000 + i)));
    }
  }
  ChildProcess node({JEJAKD_PATH, "--home", home}, dir.path() + "/jejakd.log");
  auto config = jejak::config::LoadNodeConfig(home);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.status().ToString().c_str());
    return 1;
  }
  std::string address = config->ledger_listen;
  if (!WaitFor([&] { return !node.running() || node.Log().find("ledger service on") != std::string::npos; },
               std::chrono::seconds(30)) || !node.running()) {
    std::fprintf(stderr, "jejakd did not start:\n%s\n", node.Log().c_str());
    return 1;
  }

  std::vector<std::vector<double>> latencies_ms(static_cast<size_t>(clients));
  std::vector<int> failures(static_cast<size_t>(clients), 0);
  std::vector<size_t> committed(static_cast<size_t>(clients), 0);
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      jejak::net::LedgerClient client(address, std::chrono::seconds(120));
      const auto& events = signed_events[static_cast<size_t>(c)];
      for (size_t i = 0; i < events.size(); i += static_cast<size_t>(batch)) {
        std::vector<jejak::v1::SignedEvent> chunk(events.begin() + static_cast<long>(i),
                                                  events.begin() + static_cast<long>(std::min(events.size(), i + batch)));
        auto sent = Clock::now();
        auto response = client.SubmitEvents(chunk);
        if (!response.ok()) {
          ++failures[static_cast<size_t>(c)];
          std::fprintf(stderr, "client %d: %s\n", c, response.status().ToString().c_str());
          continue;
        }
        committed[static_cast<size_t>(c)] += chunk.size();
        latencies_ms[static_cast<size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies_ms) all.insert(all.end(), l.begin(), l.end());
  int failed = 0;
  for (int f : failures) failed += f;
  double total = 0;
  for (size_t n : committed) total += static_cast<double>(n);
  double rate = total / seconds;
  std::printf("clients %d, batch %d, events committed %.0f of %d, failed batches %d\n", clients, batch,
              total, clients * per_client, failed);
  std::printf("committed events/s: %.0f\n", rate);
  std::printf("submit-to-commit latency per batch: p50 %.1f ms, p99 %.1f ms\n", Percentile(all, 0.5),
              Percentile(all, 0.99));
  std::printf("rate / (2 x verify/s): %.2f (goal: at least 0.5)\n", rate / (2 * verify_per_s));
  node.Stop();
  return 0;
}
