// consensus_bench: how fast the consensus core runs in the simulator (fault-free network, fake
// signatures, one thread), and how many messages a decided height costs. Prints, never asserts.
#include <chrono>
#include <cstdio>

#include "tests/sim/simulator.h"

int main() {
  using jejak::consensus::sim::RunSimulation;
  using jejak::consensus::sim::SimOptions;
  std::printf("%6s %8s %10s %12s %14s %14s\n", "n", "blocks", "wall_ms", "blocks/s", "steps/s",
              "msgs/block");
  for (size_t n : {4u, 7u, 10u, 16u, 31u}) {
    SimOptions options;
    options.faults = false;
    options.validators = n;
    options.stop_height = n <= 10 ? 500 : 100;
    options.max_ticks = 1000000;
    const auto start = std::chrono::steady_clock::now();
    const auto r = RunSimulation(options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r.ok) std::printf("n=%zu: run failed: %s\n", n, r.violation.c_str());
    std::printf("%6zu %8llu %10.1f %12.0f %14.0f %14.1f\n", n,
                static_cast<unsigned long long>(r.blocks), seconds * 1e3,
                static_cast<double>(r.blocks) / seconds, static_cast<double>(r.steps) / seconds,
                r.blocks ? static_cast<double>(r.messages) / static_cast<double>(r.blocks) : 0.0);
  }
  return 0;
}
