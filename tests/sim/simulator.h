// A deterministic simulator for the consensus core: one process, a simulated network and clock,
// every fault derived from ONE seed. The cores are the production code; only the network, the
// disk (the persisted safety record and block store) and the clock are simulated.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace jejak::consensus::sim {

struct SimOptions {
  uint64_t seed = 1;
  size_t validators = 0;              // 0: derived from the seed (1, 4 or 7)
  bool faults = true;
  // Every seed gets the attacks on locking: amnesia Byzantine validators, flapping partitions and
  // a bad link. Used to show a core with broken locking is caught.
  bool hostile = false;                 // false: perfect network, no Byzantine nodes (bench)
  uint64_t fault_ticks = 1000;        // faults happen in [0, fault_ticks); then the network heals
  uint64_t liveness_bound_ticks = 4000;  // after healing, every honest node must decide by then
  uint64_t stop_height = 0;           // with faults = false: stop when all decided this height
  uint64_t max_ticks = 20000;
  bool trace = false;                 // every signed message and restart, on stderr
};

struct SimResult {
  bool ok = true;
  bool safety_violation = false;  // agreement, certificate, validity or honest double-signing
  std::string violation;          // first problem found, in words
  std::string scenario;           // one line: validators, Byzantine modes, network faults
  size_t validators = 0;
  uint64_t ticks = 0;
  uint64_t blocks = 0;            // highest height decided by an honest validator
  uint64_t messages = 0;          // messages handed to the network
  uint64_t steps = 0;             // Step and Tick calls on cores
  std::map<std::string, uint64_t> faults;  // injected faults by kind
};

SimResult RunSimulation(const SimOptions& options);

}  // namespace jejak::consensus::sim
