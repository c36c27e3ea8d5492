// The real-replica simulator: N real Replicas (node/replica: the consensus core, mempool, block
// rules, block sync, as a node runs them) over in-memory chains, driven as node/daemon drives
// them, with the network, the disks, the clocks and the clients simulated, every choice drawn from
// ONE seed. Faults: message loss, delay, duplication and partitions; crashes at any point of
// carrying out a Ready (a disk that fails a write), restarts from the chain and the last safety
// record, a lost safety record (the validator sits out); clocks that run slow and wall clocks
// that are off or step. Clients send valid and invalid supply-chain events (workload.h).
//
// The checker, after every step and at the end:
//   - every replica commits the same block at each height, and the same state with it;
//   - every event a client was told is committed is in the chain exactly once, at that height;
//   - every refusal a client gets carries a published rule code;
//   - after the faults end, every replica reaches the same head, every waiting client gets its
//     answer and every mempool drains, within a bound.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace jejak::sim {

// Faults planted in the simulator itself (not the replica), to show the checker finds each kind.
enum class PlantedFault {
  kNone,
  kDivergentState,   // one replica commits a block with one state write left out
  kFalseAcknowledge, // one client is told an event is committed that is not
  kRuleCodeLost,     // refusals lose their rule code on the way to the client
};

struct ReplicaSimOptions {
  uint64_t seed = 1;
  size_t validators = 0;              // 0: from the seed (1, 4 or 7)
  bool faults = true;                 // false: a perfect network, no crash, no skew
  int64_t fault_ms = 20'000;          // faults happen in [0, fault_ms); then all is healed
  int64_t workload_ms = 25'000;       // clients send in [0, workload_ms)
  double requests_per_second = 4;
  int64_t liveness_bound_ms = 60'000; // after healing and the last request, all must settle
  PlantedFault planted = PlantedFault::kNone;
  bool trace = false;                 // commits, crashes, restarts and client answers on stderr
};

struct ReplicaSimResult {
  bool ok = true;
  bool safety_violation = false;  // disagreement, a lost or doubled acknowledged event, a code missing
  std::string violation;          // the first problem found, in words
  std::string scenario;           // one line: validators, observers, network faults
  size_t validators = 0;
  int64_t simulated_ms = 0;
  uint64_t blocks = 0;            // the final head
  uint64_t events_committed = 0;
  uint64_t acknowledged = 0;      // events clients were told are committed (with repeats)
  uint64_t refused = 0;           // refusals clients were told (with repeats)
  std::map<std::string, uint64_t> refusals_by_rule;
  std::map<std::string, uint64_t> faults;  // injected, by kind
};

ReplicaSimResult RunReplicaSimulation(const ReplicaSimOptions& options);

}  // namespace jejak::sim
