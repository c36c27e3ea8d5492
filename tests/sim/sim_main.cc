// consensus_sim: runs the deterministic simulator over a range of seeds and prints a summary.
//   --seeds N            run seeds first..first+N-1 (default 50)
//   --first-seed S       first seed of the range (default 1)
//   --seed S             run exactly one seed (replay)
//   --validators N       validator count instead of the seed's choice (1, 4 or 7)
//   --hostile            every seed attacks locking (amnesia validators, flapping partitions)
//   --expect-violation   exit 0 iff a safety violation is found (checks a broken core is caught)
//   --expect-stall       exit 0 iff a liveness violation is found (checks the stall detector)
//   --verbose            one line per seed
//   --trace              every signed message and restart, on stderr (for replays)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "tests/sim/sim_flags.h"
#include "tests/sim/simulator.h"

namespace {

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--seeds N] [--first-seed S] [--seed S] [--validators N] "
               "[--hostile] [--expect-violation] [--expect-stall] [--verbose] [--trace]\n",
               argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using jejak::consensus::sim::RunSimulation;
  using jejak::consensus::sim::SimOptions;
  jejak::sim::SeedRange range{1, 50};
  uint64_t validators = 0;
  bool expect_violation = false, expect_stall = false, verbose = false, trace = false,
       hostile = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    bool bad = false;
    if (jejak::sim::TakeSeedFlag(argc, argv, &i, &range, &bad)) {
      if (bad) return Usage(argv[0]);
    } else if (arg == "--validators" && has_value) {
      if (!jejak::sim::ParseU64(argv[++i], &validators) || validators == 0 || validators > 100) {
        return Usage(argv[0]);
      }
    } else if (arg == "--expect-violation") {
      expect_violation = true;
    } else if (arg == "--expect-stall") {
      expect_stall = true;
    } else if (arg == "--hostile") {
      hostile = true;
    } else if (arg == "--trace") {
      trace = true;
    } else if (arg == "--verbose") {
      verbose = true;
    } else {
      return Usage(argv[0]);
    }
  }

  std::map<std::string, uint64_t> faults;
  uint64_t run = 0, blocks = 0, safety = 0, liveness = 0;
  for (uint64_t seed = range.first; seed < range.first + range.count; ++seed) {
    SimOptions options;
    options.seed = seed;
    options.validators = validators;
    options.trace = trace;
    options.hostile = hostile;
    const auto r = RunSimulation(options);
    ++run;
    blocks += r.blocks;
    for (const auto& [kind, count] : r.faults) faults[kind] += count;
    if (verbose) {
      std::printf("seed %llu: %s, %llu ticks, %llu blocks: %s\n",
                  static_cast<unsigned long long>(seed), r.scenario.c_str(),
                  static_cast<unsigned long long>(r.ticks),
                  static_cast<unsigned long long>(r.blocks), r.ok ? "ok" : "VIOLATION");
    }
    if (!r.ok) {
      (r.safety_violation ? safety : liveness) += 1;
      std::printf("%s seed=%llu (%s): %s\n  replay: %s --seed %llu --validators %zu%s\n",
                  r.safety_violation ? "SAFETY VIOLATION" : "LIVENESS VIOLATION",
                  static_cast<unsigned long long>(seed), r.scenario.c_str(), r.violation.c_str(),
                  argv[0], static_cast<unsigned long long>(seed), r.validators,
                  hostile ? " --hostile" : "");
      if (expect_violation && r.safety_violation) break;
      if (expect_stall && !r.safety_violation) break;
    }
  }
  std::printf("summary: seeds run %llu, blocks committed %llu, safety violations %llu, "
              "liveness violations %llu\nfaults injected:",
              static_cast<unsigned long long>(run), static_cast<unsigned long long>(blocks),
              static_cast<unsigned long long>(safety),
              static_cast<unsigned long long>(liveness));
  for (const auto& [kind, count] : faults) {
    std::printf(" %s=%llu", kind.c_str(), static_cast<unsigned long long>(count));
  }
  std::printf("\n");
  if (expect_violation) {
    std::printf(safety > 0 ? "expected violation found: the checker caught the broken core\n"
                           : "NO violation found: the checker missed the broken core\n");
    return safety > 0 ? 0 : 1;
  }
  if (expect_stall) {
    std::printf(liveness > 0 ? "expected stall found: the stall detector caught the broken core\n"
                             : "NO stall found: the stall detector missed the broken core\n");
    return liveness > 0 && safety == 0 ? 0 : 1;
  }
  return safety + liveness == 0 ? 0 : 1;
}
