// replica_sim: runs the real-replica simulator over a range of seeds and prints a summary (in the
// consensus simulator's form, so scripts/sim-seeds runs either: SIM=.../replica_sim).
//   --seeds N            run seeds first..first+N-1 (default 20)
//   --first-seed S       first seed of the range (default 1)
//   --seed S             run exactly one seed (replay)
//   --validators N       validator count instead of the seed's choice (1, 4 or 7)
//   --no-faults          a perfect network, no crash, no clock skew
//   --plant KIND         plant a fault in the simulator (divergent-state, false-acknowledge,
//                        rule-code-lost) and exit 0 iff the checker finds it
//   --verbose            one line per seed, and the refusals by rule at the end
//   --trace              commits, crashes, restarts and refusals on stderr (for replays)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "tests/sim/replica/replica_sim.h"
#include "tests/sim/sim_flags.h"

namespace {

using jejak::sim::PlantedFault;

bool ParsePlanted(const std::string& text, PlantedFault* out) {
  static const std::map<std::string, PlantedFault> kinds = {{"divergent-state", PlantedFault::kDivergentState},
                                                            {"false-acknowledge", PlantedFault::kFalseAcknowledge},
                                                            {"rule-code-lost", PlantedFault::kRuleCodeLost}};
  auto it = kinds.find(text);
  if (it == kinds.end()) return false;
  *out = it->second;
  return true;
}

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--seeds N] [--first-seed S] [--seed S] [--validators N] [--no-faults] "
               "[--plant divergent-state|false-acknowledge|rule-code-lost] [--verbose] [--trace]\n",
               argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using jejak::sim::ReplicaSimOptions;
  using jejak::sim::RunReplicaSimulation;
  jejak::sim::SeedRange range{1, 20};
  uint64_t validators = 0;
  bool verbose = false, trace = false, faults = true;
  std::string plant;
  PlantedFault planted = PlantedFault::kNone;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    bool bad = false;
    if (jejak::sim::TakeSeedFlag(argc, argv, &i, &range, &bad)) {
      if (bad) return Usage(argv[0]);
    } else if (arg == "--validators" && has_value) {
      if (!jejak::sim::ParseU64(argv[++i], &validators) || validators == 0 || validators > 40) return Usage(argv[0]);
    } else if (arg == "--plant" && has_value) {
      plant = argv[++i];
      if (!ParsePlanted(plant, &planted)) return Usage(argv[0]);
    } else if (arg == "--no-faults") {
      faults = false;
    } else if (arg == "--trace") {
      trace = true;
    } else if (arg == "--verbose") {
      verbose = true;
    } else {
      return Usage(argv[0]);
    }
  }

  std::map<std::string, uint64_t> faults_injected, refusals;
  uint64_t run = 0, blocks = 0, events = 0, safety = 0, liveness = 0;
  for (uint64_t seed = range.first; seed < range.first + range.count; ++seed) {
    ReplicaSimOptions options;
    options.seed = seed;
    options.validators = validators;
    options.faults = faults;
    options.planted = planted;
    options.trace = trace;
    const auto r = RunReplicaSimulation(options);
    ++run;
    blocks += r.blocks;
    events += r.events_committed;
    for (const auto& [kind, count] : r.faults) faults_injected[kind] += count;
    for (const auto& [rule, count] : r.refusals_by_rule) refusals[rule] += count;
    if (verbose) {
      std::printf("seed %llu: %s, %lld ms, %llu blocks, %llu events: %s\n", static_cast<unsigned long long>(seed),
                  r.scenario.c_str(), static_cast<long long>(r.simulated_ms),
                  static_cast<unsigned long long>(r.blocks), static_cast<unsigned long long>(r.events_committed),
                  r.ok ? "ok" : "VIOLATION");
    }
    if (!r.ok) {
      (r.safety_violation ? safety : liveness) += 1;
      std::printf("%s seed=%llu (%s): %s\n  replay: %s --seed %llu --validators %zu%s%s%s --trace\n",
                  r.safety_violation ? "SAFETY VIOLATION" : "LIVENESS VIOLATION",
                  static_cast<unsigned long long>(seed), r.scenario.c_str(), r.violation.c_str(), argv[0],
                  static_cast<unsigned long long>(seed), r.validators, faults ? "" : " --no-faults",
                  plant.empty() ? "" : " --plant ", plant.c_str());
      if (planted != PlantedFault::kNone) break;
    }
  }
  std::printf("summary: seeds run %llu, blocks committed %llu, events committed %llu, safety violations %llu, "
              "liveness violations %llu\nfaults injected:",
              static_cast<unsigned long long>(run), static_cast<unsigned long long>(blocks),
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(safety),
              static_cast<unsigned long long>(liveness));
  for (const auto& [kind, count] : faults_injected) {
    std::printf(" %s=%llu", kind.c_str(), static_cast<unsigned long long>(count));
  }
  std::printf("\nrefusals by rule:");
  for (const auto& [rule, count] : refusals) std::printf(" %s=%llu", rule.c_str(), static_cast<unsigned long long>(count));
  std::printf("\n");
  if (planted != PlantedFault::kNone) {
    std::printf(safety > 0 ? "planted fault found: the checker caught it\n"
                           : "planted fault NOT found: the checker missed it\n");
    return safety > 0 ? 0 : 1;
  }
  return safety + liveness == 0 ? 0 : 1;
}
