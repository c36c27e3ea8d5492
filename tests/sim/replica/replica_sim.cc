#include "tests/sim/replica/replica_sim.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <queue>
#include <sstream>
#include <tuple>
#include <vector>

#include "node/ledger/block.h"
#include "node/ledger/consensus_keys.h"
#include "node/ledger/rule_codes.h"
#include "node/replica/memory_chain.h"
#include "node/replica/replica.h"
#include "tests/sim/replica/workload.h"
#include "tests/sim/rng.h"

namespace jejak::sim {
namespace {

constexpr int64_t kStepMs = 10;                    // one step of the simulation: the replicas' tick
constexpr int64_t kWallBaseMs = 1772352000000;     // 2026-03-01T08:00:00Z
constexpr int64_t kMaxWallOffsetMs = 120'000;      // well inside the ledger's 5 minutes of clock tolerance

// Where a crash cuts through carrying out a Ready, in replica.h's order: the disk fails the
// block write, the process dies before the safety record is written, or before anything is sent.
enum class CrashPoint { kNone, kBeforeCommit, kBeforeRecord, kBeforeSend };

struct SimNode {
  std::string id;
  bool validator = false;
  std::unique_ptr<crypto::PrivateKey> key;  // where the signer finds it after the node moved
  std::unique_ptr<ledger::KeySigner> signer;
  ledger::Ed25519Verifier verifier;
  // The disk: what survives a crash.
  std::unique_ptr<replica::MemoryChain> chain;
  std::optional<consensus::SafetyRecord> record;
  bool record_lost = false;
  // The process.
  std::unique_ptr<replica::SequentialEventChecker> checker;
  std::unique_ptr<replica::Replica> replica;
  int64_t restart_at_ms = -1;
  int64_t down_ms = 1;  // how long the next crash keeps it down
  CrashPoint crash_in_next_ready = CrashPoint::kNone;
  std::map<std::string, std::string> waiting;  // event id -> request kind: a client awaits its answer
  // The clocks: monotonic runs at rate_num/rate_den of real time; wall is off by wall_offset_ms.
  int64_t rate_num = 1, rate_den = 1;
  int64_t wall_offset_ms = 0;
};

struct Delivery {
  int64_t at_ms;
  uint64_t seq;
  size_t from, to;
  v1::PeerMessage message;
  bool operator>(const Delivery& o) const { return std::tie(at_ms, seq) > std::tie(o.at_ms, o.seq); }
};

struct Partition {
  int64_t start_ms, end_ms;
  std::vector<int> side;
};

struct ScheduledCrash {
  int64_t at_ms;
  size_t node;
  int64_t down_ms;
  CrashPoint point;
  bool loses_record;
};

class Simulation {
 public:
  explicit Simulation(const ReplicaSimOptions& options);
  ReplicaSimResult Run();

 private:
  void Setup();
  void ScheduleFaults();
  void Start(size_t i);
  void Crash(size_t i, const std::string& why);
  replica::Now NowOf(const SimNode& node) const;
  bool FaultsActive() const { return options_.faults && now_ms_ < options_.fault_ms; }
  bool Partitioned(size_t a, size_t b) const;

  void ApplyFaults();
  void Deliver();
  void Clients();
  void Submit(size_t i, const ClientRequest& request);
  void Drain(size_t i);
  void CommitBlock(size_t i, const replica::BlockToCommit& block);
  void Answer(size_t i, const replica::EventOutcome& outcome);
  void Refused(size_t i, const std::string& kind, const Status& status);
  void Acknowledged(size_t i, const std::string& event_id, uint64_t height, const char* how);
  void Send(size_t from, const replica::Outbound& out);
  std::pair<Result<uint64_t>, Result<std::vector<v1::CommittedBlock>>> Fetch(size_t i,
                                                                             const replica::FetchRequest& request);

  std::string Unsettled() const;
  void FinalChecks();
  void Violation(bool safety, std::string what);
  void Trace(const std::string& line) const;
  void Count(const std::string& kind, uint64_t k = 1) { result_.faults[kind] += k; }
  // A time in [0, window_ms) at which a step happens.
  int64_t AnyStep(int64_t window_ms) { return static_cast<int64_t>(rng_.Below(window_ms / kStepMs)) * kStepMs; }

  ReplicaSimOptions options_;
  Rng rng_;
  ReplicaSimResult result_;
  ledger::Genesis genesis_;
  std::shared_ptr<const ledger::Membership> genesis_keys_;
  // The keys at `node`'s head, for checking what its clients and peers send (as a node does).
  std::shared_ptr<const ledger::Membership> KeysOf(const SimNode& node) const {
    Result<std::shared_ptr<const ledger::Membership>> keys = ledger::LoadMembership(*node.chain, genesis_keys_);
    JEJAK_ASSERT(keys.ok(), keys.status().ToString());
    return *keys;
  }
  std::unique_ptr<Workload> workload_;
  std::vector<SimNode> nodes_;
  size_t validators_ = 0;
  int64_t now_ms_ = 0;
  // Network.
  std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> network_;
  uint64_t seq_ = 0;
  double loss_ = 0, duplication_ = 0;
  int64_t delay_ms_ = 1, jitter_ms_ = 0;
  std::vector<Partition> partitions_;
  std::vector<ScheduledCrash> crashes_;
  std::vector<std::pair<int64_t, size_t>> clock_steps_;  // (when, node): its wall clock steps
  // Checker.
  std::map<uint64_t, std::string> block_hashes_;    // height -> the first hash committed there
  std::map<uint64_t, ledger::MemoryStore> states_;  // height -> the first state after it
  std::map<std::string, uint64_t> committed_at_;    // event id -> height of the block holding it
  std::map<std::string, uint64_t> acknowledged_;    // event id -> the height clients were told
  bool planted_done_ = false;
};

Simulation::Simulation(const ReplicaSimOptions& options) : options_(options), rng_(options.seed) {}

void Simulation::Setup() {
  const uint64_t pick = rng_.Below(10);
  validators_ = pick < 1 ? 1 : (pick < 7 ? 4 : 7);
  if (options_.validators != 0) validators_ = options_.validators;
  result_.validators = validators_;
  genesis_ = SimGenesis(validators_);
  genesis_keys_ = ledger::Membership::FromGenesis(genesis_);
  workload_ = std::make_unique<Workload>(rng_.Next(), genesis_);
  const size_t observers = rng_.Chance(0.5) ? 1 : 0;
  for (size_t i = 0; i < validators_ + observers; ++i) {
    SimNode node;
    node.validator = i < validators_;
    node.id = node.validator ? genesis_.validators[i].id : "observer-" + std::to_string(i - validators_ + 1);
    if (node.validator) {
      node.key = std::make_unique<crypto::PrivateKey>(ValidatorKey(i));
      node.signer = std::make_unique<ledger::KeySigner>(*node.key);
      node.record = consensus::SafetyRecord{};  // a new validator has signed nothing
    }
    node.chain = std::make_unique<replica::MemoryChain>(genesis_.chain_id);
    nodes_.push_back(std::move(node));
  }
  if (options_.faults) ScheduleFaults();
  std::ostringstream scenario;
  scenario << "n=" << validators_ << " observers=" << observers << " loss=" << loss_ << " dup=" << duplication_
           << " delay=" << delay_ms_ << "+" << jitter_ms_ << "ms partitions=" << partitions_.size()
           << " crashes=" << crashes_.size() << " clock-steps=" << clock_steps_.size();
  result_.scenario = scenario.str();
  for (size_t i = 0; i < nodes_.size(); ++i) Start(i);
}

void Simulation::ScheduleFaults() {
  const int64_t window = options_.fault_ms;
  loss_ = rng_.Chance(0.7) ? 0.25 * static_cast<double>(rng_.Below(100)) / 100.0 : 0.0;
  duplication_ = rng_.Chance(0.5) ? 0.1 * static_cast<double>(rng_.Below(100)) / 100.0 : 0.0;
  delay_ms_ = static_cast<int64_t>(rng_.Between(1, 30));
  jitter_ms_ = rng_.Chance(0.7) ? static_cast<int64_t>(rng_.Below(200)) : 0;
  for (uint64_t k = rng_.Below(5); k > 0; --k) {
    Partition p{AnyStep(window), 0, std::vector<int>(nodes_.size())};
    p.end_ms = std::min<int64_t>(window, p.start_ms + static_cast<int64_t>(rng_.Between(200, 5000)));
    for (int& side : p.side) side = static_cast<int>(rng_.Below(2));
    partitions_.push_back(std::move(p));
  }
  bool record_lost = false;
  for (uint64_t k = rng_.Below(4); k > 0; --k) {
    ScheduledCrash crash{AnyStep(window), rng_.Below(nodes_.size()),
                         static_cast<int64_t>(rng_.Between(100, 8000)), static_cast<CrashPoint>(rng_.Below(4)),
                         false};
    // A lost safety record makes its validator sit out: one at most, and only where the others
    // still make a quorum.
    if (!record_lost && validators_ >= 4 && crash.node < validators_ && rng_.Chance(0.15)) {
      crash.loses_record = record_lost = true;
    }
    crashes_.push_back(crash);
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    SimNode& node = nodes_[i];
    if (rng_.Chance(0.2)) {
      node.rate_den = static_cast<int64_t>(rng_.Between(2, 3));  // its monotonic clock runs slow
      Count("slow-clock");
    }
    if (rng_.Chance(0.3)) {
      node.wall_offset_ms = static_cast<int64_t>(rng_.Below(2 * kMaxWallOffsetMs + 1)) - kMaxWallOffsetMs;
      Count("wall-clock-offset");
    }
    if (rng_.Chance(0.1)) clock_steps_.emplace_back(AnyStep(window), i);
  }
}

replica::Now Simulation::NowOf(const SimNode& node) const {
  return {now_ms_ * node.rate_num / node.rate_den, kWallBaseMs + now_ms_ + node.wall_offset_ms};
}

void Simulation::Start(size_t i) {
  SimNode& node = nodes_[i];
  replica::ReplicaOptions options;
  options.node_id = node.id;
  options.tick_ms = kStepMs;
  // A node's default timeouts (config.h): 1000, 500, 500 and 250 ms.
  options.core.timeout_propose_ticks = 100;
  options.core.timeout_prevote_ticks = 50;
  options.core.timeout_precommit_ticks = 50;
  options.core.timeout_delta_ticks = 25;
  options.quiet_after_ms = 6000;
  options.has_block_source = true;
  if (node.validator) {
    options.safety_record = node.record_lost ? std::nullopt : node.record;
    options.sit_out = node.record_lost;
  }
  node.checker = std::make_unique<replica::SequentialEventChecker>(genesis_);
  node.replica = std::make_unique<replica::Replica>(genesis_, options, *node.chain, *node.checker, node.signer.get(),
                                                    node.verifier, NowOf(node));
  node.restart_at_ms = -1;
  node.crash_in_next_ready = CrashPoint::kNone;
  Trace(node.id + " starts at height " + std::to_string(node.chain->head_height()) +
        (node.record_lost ? ", sitting out (safety record lost)" : ""));
}

void Simulation::Crash(size_t i, const std::string& why) {
  SimNode& node = nodes_[i];
  node.replica.reset();
  node.checker.reset();
  node.waiting.clear();  // those clients see the connection drop; their events may still commit
  node.restart_at_ms = now_ms_ + node.down_ms;
  node.down_ms = 1;
  node.crash_in_next_ready = CrashPoint::kNone;
  Count("crash");
  Trace(node.id + " crashes: " + why);
}

bool Simulation::Partitioned(size_t a, size_t b) const {
  if (!FaultsActive()) return false;
  for (const Partition& p : partitions_) {
    if (now_ms_ >= p.start_ms && now_ms_ < p.end_ms && p.side[a] != p.side[b]) return true;
  }
  return false;
}

void Simulation::ApplyFaults() {
  for (const ScheduledCrash& crash : crashes_) {
    if (crash.at_ms != now_ms_ || !nodes_[crash.node].replica) continue;
    SimNode& node = nodes_[crash.node];
    node.down_ms = crash.down_ms;
    if (crash.loses_record) {
      node.record_lost = true;
      node.record.reset();
      Count("safety-record-lost");
    }
    if (crash.point == CrashPoint::kNone) {
      Crash(crash.node, "killed between steps");
    } else {
      node.crash_in_next_ready = crash.point;  // dies while carrying out its next Ready
    }
  }
  if (now_ms_ == options_.fault_ms) {
    for (SimNode& node : nodes_) node.crash_in_next_ready = CrashPoint::kNone;
  }
  for (const auto& [at_ms, i] : clock_steps_) {
    if (at_ms != now_ms_) continue;
    nodes_[i].wall_offset_ms = static_cast<int64_t>(rng_.Below(2 * kMaxWallOffsetMs + 1)) - kMaxWallOffsetMs;
    Count("wall-clock-step");
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    SimNode& node = nodes_[i];
    const bool due = node.restart_at_ms >= 0 && (now_ms_ >= node.restart_at_ms || now_ms_ >= options_.fault_ms);
    if (!node.replica && due) Start(i);
  }
}

void Simulation::Deliver() {
  while (!network_.empty() && network_.top().at_ms <= now_ms_) {
    Delivery d = network_.top();
    network_.pop();
    SimNode& to = nodes_[d.to];
    if (!to.replica) continue;
    const std::string& from = nodes_[d.from].id;
    if (d.message.has_consensus()) {
      to.replica->ReceiveConsensus(from, d.message.consensus());
      continue;
    }
    std::vector<v1::SignedEvent> events(d.message.events().events().begin(), d.message.events().events().end());
    std::vector<const v1::SignedEvent*> pointers;
    for (const v1::SignedEvent& e : events) pointers.push_back(&e);
    std::vector<std::string> ids;
    std::vector<Status> checks = to.checker->Check(pointers, *KeysOf(to), &ids);
    to.replica->ReceiveGossip(from, events, ids, checks);
  }
}

void Simulation::Clients() {
  if (now_ms_ >= options_.workload_ms) return;
  if (!rng_.Chance(options_.requests_per_second * kStepMs / 1000.0)) return;
  std::vector<ClientRequest> requests = workload_->Next(kWallBaseMs + now_ms_);
  // A conflicting pair goes to two validators (one when there is only one).
  const size_t first = rng_.Below(validators_);
  for (size_t k = 0; k < requests.size(); ++k) {
    const size_t i = (first + k) % validators_;
    if (!nodes_[i].replica) {
      Count("client-unavailable");
      continue;
    }
    Submit(i, requests[k]);
  }
}

// As a node's ledger service does (node/daemon/node_submit.cc): signatures, then the rules
// against a snapshot, then the queue; a client is answered at once or waits for its outcome.
void Simulation::Submit(size_t i, const ClientRequest& request) {
  SimNode& node = nodes_[i];
  Count("request-" + request.kind);
  std::vector<const v1::SignedEvent*> pointers;
  for (const v1::SignedEvent& e : request.events) pointers.push_back(&e);
  std::vector<std::string> ids;
  std::vector<Status> checks = node.checker->Check(pointers, *KeysOf(node), &ids);
  for (size_t k = 0; k < checks.size(); ++k) {
    if (!checks[k].ok()) return Refused(i, request.kind, checks[k].ForEvent(static_cast<uint32_t>(k)));
  }
  Result<std::vector<replica::SubmitOutcome>> outcomes =
      node.replica->CheckSubmission(request.events, ids, NowOf(node));
  if (!outcomes.ok()) return Refused(i, request.kind, outcomes.status());
  Result<std::vector<size_t>> queued = node.replica->Queue(request.events, ids, &*outcomes);
  if (!queued.ok()) return Refused(i, request.kind, queued.status());
  for (const replica::SubmitOutcome& outcome : *outcomes) {
    if (outcome.already_committed) Acknowledged(i, outcome.event_id, outcome.height, "already committed");
  }
  for (size_t k : *queued) node.waiting[ids[k]] = request.kind;
}

// Carries out every Ready as node/daemon/node.cc does, unless the node crashes part way.
void Simulation::Drain(size_t i) {
  SimNode& node = nodes_[i];
  while (node.replica && node.replica->HasReady()) {
    replica::Ready ready = node.replica->TakeReady();
    for (const replica::LogLine& line : ready.log) Trace(node.id + " logs: " + line.text);
    if (!ready.failure.ok()) return Violation(false, node.id + " failed: " + ready.failure.ToString());
    const CrashPoint crash = node.crash_in_next_ready;
    const bool writes = !ready.blocks.empty() || ready.safety_record.has_value();
    if (crash == CrashPoint::kBeforeCommit && writes) return Crash(i, "the disk failed a write");
    for (const replica::BlockToCommit& block : ready.blocks) {
      CommitBlock(i, block);
      if (!result_.ok) return;
    }
    for (const replica::EventOutcome& outcome : ready.outcomes) Answer(i, outcome);
    if (crash == CrashPoint::kBeforeRecord && writes) return Crash(i, "died before writing its safety record");
    if (ready.safety_record) {
      node.record = *ready.safety_record;
      node.record_lost = false;
    }
    if (crash == CrashPoint::kBeforeSend && !ready.messages.empty()) return Crash(i, "died before sending");
    for (const replica::Outbound& out : ready.messages) Send(i, out);
    if (ready.refuse_fetch) Count("fetch-refused");
    std::optional<std::pair<Result<uint64_t>, Result<std::vector<v1::CommittedBlock>>>> fetched;
    if (ready.fetch) fetched = Fetch(i, *ready.fetch);
    node.replica->Advance(ready);
    if (fetched) node.replica->ReceiveFetched(fetched->first, std::move(fetched->second));
  }
}

void Simulation::CommitBlock(size_t i, const replica::BlockToCommit& block) {
  SimNode& node = nodes_[i];
  const uint64_t height = block.block.header().height();
  ledger::WriteSet writes = block.writes;
  if (options_.planted == PlantedFault::kDivergentState && !planted_done_ && i == 0 && writes.size() > 1) {
    ledger::WriteSet fewer;
    for (auto it = std::next(writes.writes().begin()); it != writes.writes().end(); ++it) {
      if (it->second) fewer.Put(it->first.first, it->first.second, *it->second);
      else fewer.Delete(it->first.first, it->first.second);
    }
    writes = fewer;
    planted_done_ = true;
  }
  Status committed = node.chain->Commit(block.block, block.certificate, writes);
  if (!committed.ok()) return Violation(true, node.id + " could not commit block " + std::to_string(height) + ": " +
                                                  committed.ToString());
  Trace(node.id + (block.synced ? " synced" : " committed") + " block " + std::to_string(height) + " with " +
        std::to_string(block.block.events_size()) + " events");
  const std::string hash = ledger::BlockHash(block.block.header());
  auto [known, first] = block_hashes_.emplace(height, hash);
  if (!first && known->second != hash) {
    return Violation(true, "two blocks at height " + std::to_string(height) + ": " + node.id +
                               " committed another than the first replica that got there");
  }
  auto [state, first_state] = states_.emplace(height, node.chain->state());
  if (!first_state && !(state->second == node.chain->state())) {
    return Violation(true, node.id + " holds another state after block " + std::to_string(height) +
                               " than the first replica that committed it");
  }
  for (const std::string& id : block.event_ids) {
    auto [at, new_event] = committed_at_.emplace(id, height);
    if (!new_event && at->second != height) {
      return Violation(true, "event " + id + " committed twice, at heights " + std::to_string(at->second) +
                                 " and " + std::to_string(height));
    }
  }
  result_.blocks = std::max(result_.blocks, height);
}

void Simulation::Answer(size_t i, const replica::EventOutcome& outcome) {
  SimNode& node = nodes_[i];
  if (outcome.status.ok()) {
    Acknowledged(i, outcome.event_id, outcome.height, "committed");
  } else if (options_.planted == PlantedFault::kFalseAcknowledge && !planted_done_) {
    planted_done_ = true;
    Acknowledged(i, outcome.event_id, node.chain->head_height(), "committed (planted lie)");
  } else {
    Refused(i, node.waiting.count(outcome.event_id) ? node.waiting[outcome.event_id] : "gossiped", outcome.status);
  }
  node.waiting.erase(outcome.event_id);
}

void Simulation::Refused(size_t i, const std::string& kind, const Status& status) {
  ++result_.refused;
  std::string code(status.rule_code());
  if (options_.planted == PlantedFault::kRuleCodeLost) code.clear();
  Trace(nodes_[i].id + " refuses a " + kind + ": " + status.ToString());
  if (!ledger::rule::IsPublished(code)) {
    return Violation(true, nodes_[i].id + " refused a " + kind + " request without a published rule code: " +
                               status.ToString());
  }
  ++result_.refusals_by_rule[code];
}

void Simulation::Acknowledged(size_t i, const std::string& event_id, uint64_t height, const char* how) {
  ++result_.acknowledged;
  auto at = committed_at_.find(event_id);
  if (at == committed_at_.end() || at->second != height || nodes_[i].chain->head_height() < height) {
    return Violation(true, nodes_[i].id + " told a client event " + event_id + " is " + how + " at height " +
                               std::to_string(height) + ", which its chain does not hold there");
  }
  acknowledged_[event_id] = height;
  workload_->Acknowledged(event_id);
}

void Simulation::Send(size_t from, const replica::Outbound& out) {
  for (size_t to = 0; to < validators_; ++to) {
    if (to == from || (out.to_validator_id && *out.to_validator_id != nodes_[to].id)) continue;
    if (Partitioned(from, to)) {
      Count("partitioned");
      continue;
    }
    if (FaultsActive() && rng_.Chance(loss_)) {
      Count("lost");
      continue;
    }
    const int copies = FaultsActive() && rng_.Chance(duplication_) ? 2 : 1;
    if (copies == 2) Count("duplicated");
    for (int c = 0; c < copies; ++c) {
      const int64_t jitter = FaultsActive() ? static_cast<int64_t>(rng_.Below(jitter_ms_ + 1)) : 0;
      network_.push({now_ms_ + delay_ms_ + jitter, seq_++, from, to, out.message});
    }
  }
}

// The node's block source: the best head among the validators it can reach, and the blocks from
// the one holding it. Unreachable at times while the faults last.
std::pair<Result<uint64_t>, Result<std::vector<v1::CommittedBlock>>> Simulation::Fetch(
    size_t i, const replica::FetchRequest& request) {
  std::optional<size_t> best;
  for (size_t j = 0; j < validators_; ++j) {
    if (j == i || !nodes_[j].replica || Partitioned(i, j)) continue;
    if (!best || nodes_[j].chain->head_height() > nodes_[*best].chain->head_height()) best = j;
  }
  if (!best || (FaultsActive() && rng_.Chance(loss_))) {
    Count("fetch-unavailable");
    return {Status::Unavailable("no block source answered"), std::vector<v1::CommittedBlock>{}};
  }
  const replica::MemoryChain& source = *nodes_[*best].chain;
  std::vector<v1::CommittedBlock> blocks;
  for (uint64_t h = request.from_height; h <= source.head_height() && blocks.size() < request.max_blocks; ++h) {
    v1::CommittedBlock committed;
    *committed.mutable_block() = *source.GetBlock(h);
    *committed.mutable_certificate() = *source.GetCertificate(h);
    blocks.push_back(std::move(committed));
  }
  Count("fetch");
  return {source.head_height(), std::move(blocks)};
}

// Empty when every replica is up at one head with nothing waiting; else what is not yet so.
std::string Simulation::Unsettled() const {
  const uint64_t head = nodes_[0].chain->head_height();
  for (const SimNode& node : nodes_) {
    if (!node.replica) return node.id + " is down";
    if (node.chain->head_height() != head) {
      return node.id + " is at height " + std::to_string(node.chain->head_height()) + ", " + nodes_[0].id +
             " at " + std::to_string(head);
    }
    if (node.replica->mempool_size() != 0) {
      return node.id + " still has " + std::to_string(node.replica->mempool_size()) + " events waiting";
    }
    if (!node.waiting.empty()) {
      return "a client of " + node.id + " still waits for event " + node.waiting.begin()->first + " (" +
             node.waiting.begin()->second + ")";
    }
  }
  return "";
}

void Simulation::FinalChecks() {
  const replica::MemoryChain& chain = *nodes_[0].chain;
  std::map<std::string, uint64_t> seen;
  replica::SequentialEventChecker checker(genesis_);
  // Every key ever admitted: signatures only (which key may sign when is the ledger's rule).
  const std::shared_ptr<const ledger::Membership> keys = KeysOf(nodes_[0]);
  for (uint64_t h = 1; h <= chain.head_height(); ++h) {
    Result<v1::Block> block = chain.GetBlock(h);
    for (const v1::SignedEvent& e : block->events()) {
      std::vector<std::string> ids;
      const v1::SignedEvent* pointer = &e;
      if (!checker.Check({&pointer, 1}, *keys, &ids)[0].ok()) {
        return Violation(true, "block " + std::to_string(h) + " holds an event that does not check");
      }
      if (!seen.emplace(ids[0], h).second) {
        return Violation(true, "event " + ids[0] + " is in the chain twice");
      }
    }
  }
  for (const auto& [id, height] : acknowledged_) {
    auto it = seen.find(id);
    if (it == seen.end() || it->second != height) {
      return Violation(true, "acknowledged event " + id + " is not in the final chain at height " +
                                 std::to_string(height));
    }
  }
  result_.events_committed = seen.size();
}

void Simulation::Violation(bool safety, std::string what) {
  if (!result_.ok) return;
  result_.ok = false;
  result_.safety_violation = safety;
  result_.violation = "at " + std::to_string(now_ms_) + " ms: " + std::move(what);
}

void Simulation::Trace(const std::string& line) const {
  if (options_.trace) std::fprintf(stderr, "%8lld ms  %s\n", static_cast<long long>(now_ms_), line.c_str());
}

ReplicaSimResult Simulation::Run() {
  Setup();
  const int64_t settle_from = std::max(options_.faults ? options_.fault_ms : 0, options_.workload_ms);
  for (;; now_ms_ += kStepMs) {
    ApplyFaults();
    Deliver();
    Clients();
    for (size_t i = 0; i < nodes_.size() && result_.ok; ++i) {
      if (!nodes_[i].replica) continue;
      nodes_[i].replica->Tick(NowOf(nodes_[i]));
      Drain(i);
    }
    if (!result_.ok) break;
    if (now_ms_ >= settle_from) {
      const std::string unsettled = Unsettled();
      if (unsettled.empty()) break;
      if (now_ms_ >= settle_from + options_.liveness_bound_ms) {
        std::string states;
        for (const SimNode& node : nodes_) {
          states += "\n    " + node.id + ": " + (node.replica ? node.replica->Describe() : "down");
        }
        Violation(false, "not settled " + std::to_string(options_.liveness_bound_ms) +
                             " ms after the faults and the clients stopped: " + unsettled + states);
        break;
      }
    }
  }
  if (result_.ok) FinalChecks();
  result_.simulated_ms = now_ms_;
  return result_;
}

}  // namespace

ReplicaSimResult RunReplicaSimulation(const ReplicaSimOptions& options) { return Simulation(options).Run(); }

}  // namespace jejak::sim
