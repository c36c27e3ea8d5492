#include "tests/sim/simulator.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

#include "consensus/consensus.h"
#include "tests/sim/fakes.h"
#include "tests/sim/rng.h"

namespace jejak::consensus::sim {
namespace {

using testing::FakeSign;
using testing::FakeSigner;
using testing::FakeVerifier;
using testing::Hex64;
using testing::IsValidValue;
using testing::MakeValue;
using testing::PublicKeyOf;
using testing::TestApp;
using jejak::sim::Rng;

constexpr std::string_view kChain = "sim-chain";
constexpr uint64_t kBlockSyncAfterTicks = 200;

enum class Mode {
  kHonest,
  kSilent,
  kEquivocate,      // equivocating proposer, votes for whichever value per peer
  kDoubleVote,      // conflicting votes to different peers
  kBogusValue,      // votes for values that do not exist
  kBadSignature,    // corrupted signatures
  kWrongHeightRound,
  kTwins,           // two honest cores with the same key
  kAmnesia,         // forgets its lock: votes for the round's proposal, precommits to some peers
};
constexpr const char* kModeNames[] = {"honest",    "silent",     "equivocate",
                                      "doublevote", "bogusvalue", "badsignature",
                                      "wrongheightround", "twins", "amnesia"};

struct Node {
  ValidatorIndex index = 0;
  Mode mode = Mode::kHonest;
  int instance = 0;
  std::unique_ptr<FakeSigner> signer;
  FakeVerifier verifier;
  std::unique_ptr<TestApp> app;
  std::unique_ptr<Core> core;
  bool up = false;
  std::vector<Commit> store;              // synced with each Ready
  std::optional<SafetyRecord> record;     // synced with each Ready
  uint64_t tick_period = 1;
  bool crash_on_next_ready = false;
  uint64_t restart_at = 0;
  uint64_t synced_height = 0;      // store height when last looked at by block sync
  uint64_t height_since_tick = 0;  // since when the store has had that height
  std::map<std::pair<uint64_t, int32_t>, std::vector<std::string>> seen_values;  // Byzantine
  std::set<std::pair<uint64_t, int32_t>> amnesia_voted;
};

struct InFlight {
  uint64_t at;
  uint64_t seq;
  size_t to;  // node instance
  Message message;
  bool operator>(const InFlight& o) const { return std::tie(at, seq) > std::tie(o.at, o.seq); }
};

struct Partition {
  uint64_t start, end;
  std::vector<int> side;
};

struct Crash {
  uint64_t at;
  size_t node;
  uint64_t down_ticks;
  bool dirty;
};

class Simulation {
 public:
  explicit Simulation(const SimOptions& o) : opt_(o), rng_(o.seed) {}
  SimResult Run();

 private:
  void Setup();
  void StartCore(size_t i);
  void HandleReady(size_t i);
  void Route(size_t from, const OutboundMessage& m);
  void Deliver(size_t from, ValidatorIndex to, Message message);
  void DeliverToInstance(size_t from_index, size_t to, Message message);
  void Byzantine(size_t from, const OutboundMessage& m);
  Vote Resign(const Node& n, Vote v);
  Proposal Resign(const Node& n, Proposal p);
  void CheckSigned(const Node& n, const Message& m);
  void AmnesiaVote(size_t from, const Proposal& p);
  void CheckCommit(const Node& n, const Commit& c);
  bool CertificateHolds(const Certificate& c) const;
  void ApplyFaults();
  void BlockSync();
  bool Partitioned(ValidatorIndex a, ValidatorIndex b) const;
  bool Honest(const Node& n) const { return n.mode == Mode::kHonest; }
  uint64_t MaxHonestHeight() const;
  void Violation(bool safety, std::string what);
  void Count(const std::string& kind, uint64_t k = 1) { result_.faults[kind] += k; }

  SimOptions opt_;
  Rng rng_;
  SimResult result_;
  size_t n_ = 0;
  std::unique_ptr<ValidatorSet> validators_;
  std::vector<Node> nodes_;
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> network_;
  uint64_t now_ = 0;
  uint64_t seq_ = 0;
  double loss_ = 0, dup_ = 0;
  int bad_link_to_ = -1;  // validator whose incoming link drops bad_link_loss_ of its messages
  double bad_link_loss_ = 0;
  uint64_t delay_ = 1, jitter_ = 0;
  std::vector<Partition> partitions_;
  std::vector<size_t> active_;  // indexes of the partitions in force this tick
  std::vector<Crash> crashes_;
  bool healed_ = false;
  uint64_t heal_height_ = 0;
  std::map<uint64_t, std::string> decided_;  // height -> value id, first honest decision
  std::map<std::tuple<ValidatorIndex, uint64_t, int32_t, int>, std::string> signed_;
};

void Simulation::Setup() {
  const uint64_t pick = rng_.Below(10);
  n_ = pick < 1 ? 1 : (pick < 7 ? 4 : 7);
  if (opt_.validators != 0) n_ = opt_.validators;
  result_.validators = n_;
  validators_ = std::make_unique<ValidatorSet>(testing::MakeValidators(n_));
  const size_t f = (n_ - 1) / 3;
  std::vector<Mode> modes(n_, Mode::kHonest);
  std::ostringstream scenario;
  scenario << "n=" << n_;
  if (opt_.faults) {
    const size_t byzantine = rng_.Chance(0.7) ? f : rng_.Below(f + 1);
    for (size_t k = 0; k < byzantine; ++k) {
      const size_t who = rng_.Below(n_);
      modes[who] = static_cast<Mode>(1 + rng_.Below(8));
      if (opt_.hostile) modes[who] = Mode::kAmnesia;
    }
    loss_ = rng_.Chance(0.7) ? 0.3 * static_cast<double>(rng_.Below(100)) / 100.0 : 0.0;
    dup_ = rng_.Chance(0.5) ? 0.1 * static_cast<double>(rng_.Below(100)) / 100.0 : 0.0;
    delay_ = rng_.Between(1, 3);
    jitter_ = rng_.Chance(0.7) ? rng_.Below(20) : 0;
    for (uint64_t k = rng_.Below(7); k > 0; --k) {
      Partition p{rng_.Below(opt_.fault_ticks), 0, std::vector<int>(n_)};
      p.end = std::min(opt_.fault_ticks, p.start + rng_.Between(20, 300));
      for (int& s : p.side) s = static_cast<int>(rng_.Below(2));
      partitions_.push_back(std::move(p));
    }
    if (rng_.Chance(0.4) || opt_.hostile) {
      // Flapping network: a new random split every few ticks (Twins-style per-round partitions),
      // which is what splits decisions when a core's locking is broken.
      for (uint64_t t = rng_.Below(200); t < opt_.fault_ticks;) {
        Partition p{t, std::min(opt_.fault_ticks, t + rng_.Between(10, 60)),
                    std::vector<int>(n_)};
        for (int& side : p.side) side = static_cast<int>(rng_.Below(2));
        t = p.end;
        partitions_.push_back(std::move(p));
      }
    }
  }
  for (size_t i = 0; i < n_; ++i) {
    Node node;
    node.index = static_cast<ValidatorIndex>(i);
    node.mode = modes[i];
    if (opt_.faults && modes[i] == Mode::kHonest && rng_.Chance(0.2)) {
      node.tick_period = rng_.Between(2, 3);  // clock skew: this node's time runs slower
      Count("clock_skew");
    }
    nodes_.push_back(std::move(node));
    if (modes[i] != Mode::kHonest) {
      scenario << " v" << i << "=" << kModeNames[static_cast<int>(modes[i])];
      Count(std::string("byzantine_") + kModeNames[static_cast<int>(modes[i])]);
    }
    if (modes[i] == Mode::kTwins) {
      Node twin;
      twin.index = static_cast<ValidatorIndex>(i);
      twin.mode = Mode::kTwins;
      twin.instance = 1;
      nodes_.push_back(std::move(twin));
    }
  }
  if (opt_.faults) {
    for (uint64_t k = rng_.Below(4); k > 0; --k) {
      const size_t who = rng_.Below(nodes_.size());
      crashes_.push_back(Crash{rng_.Below(opt_.fault_ticks), who, rng_.Between(20, 300),
                               rng_.Chance(0.5)});
    }
  }
  if (opt_.faults && n_ > 1 && (rng_.Chance(0.3) || opt_.hostile)) {
    bad_link_to_ = static_cast<int>(rng_.Below(n_));  // one node's incoming link is bad
    bad_link_loss_ = 0.3 + 0.5 * static_cast<double>(rng_.Below(100)) / 100.0;
    scenario << " badlink=v" << bad_link_to_;
  }
  scenario << " loss=" << loss_ << " dup=" << dup_ << " delay=" << delay_ << "+" << jitter_
           << " partitions=" << partitions_.size() << " crashes=" << crashes_.size();
  result_.scenario = scenario.str();
  for (size_t i = 0; i < nodes_.size(); ++i) StartCore(i);
}

void Simulation::StartCore(size_t i) {
  Node& n = nodes_[i];
  if (opt_.trace) {
    std::fprintf(stderr, "tick %llu: v%u starts at height %zu\n",
                 static_cast<unsigned long long>(now_), n.index, n.store.size() + 1);
  }
  n.signer = std::make_unique<FakeSigner>(PublicKeyOf(n.index));
  if (!n.app) {
    n.app = std::make_unique<TestApp>("v" + std::to_string(n.index) + "." +
                                      std::to_string(n.instance));
  }
  Config config;
  config.chain_id = std::string(kChain);
  config.self = n.index;
  n.core = std::make_unique<Core>(config, *validators_, *n.app, *n.signer, n.verifier,
                                  n.store.size() + 1, n.record);
  n.up = true;
  n.crash_on_next_ready = false;
  HandleReady(i);
}

void Simulation::HandleReady(size_t i) {
  for (int round = 0; round < 16; ++round) {
    Node& n = nodes_[i];
    if (!n.up || !n.core->HasReady()) return;
    Ready rd = n.core->TakeReady();
    if (n.crash_on_next_ready) {
      // Crash before anything of this Ready was synced: the record, the decided blocks and the
      // messages are lost together.
      n.up = false;
      n.core.reset();
      Count("crash_lost_ready");
      return;
    }
    for (const Commit& c : rd.committed) {
      n.store.push_back(c);
      if (opt_.trace) {
        std::fprintf(stderr, "tick %llu: v%u decides height %llu round %d value '%s'\n",
                     static_cast<unsigned long long>(now_), n.index,
                     static_cast<unsigned long long>(c.certificate.height), c.certificate.round,
                     c.value.id.c_str());
      }
      if (Honest(n)) CheckCommit(n, c);
    }
    if (rd.safety_record) n.record = rd.safety_record;
    for (const OutboundMessage& m : rd.messages) {
      if (Honest(n) || n.mode == Mode::kTwins) {
        if (Honest(n)) CheckSigned(n, m.message);
        Route(i, m);
      } else {
        Byzantine(i, m);
      }
    }
    n.core->Advance(rd);
  }
}

void Simulation::Route(size_t from, const OutboundMessage& m) {
  if (m.to) {
    Deliver(from, *m.to, m.message);
    return;
  }
  for (ValidatorIndex to = 0; to < n_; ++to) {
    if (to != nodes_[from].index) Deliver(from, to, m.message);
  }
}

void Simulation::Deliver(size_t from, ValidatorIndex to, Message message) {
  for (size_t k = 0; k < nodes_.size(); ++k) {
    if (nodes_[k].index == to) DeliverToInstance(from, k, message);
  }
}

void Simulation::DeliverToInstance(size_t from, size_t to, Message message) {
  ++result_.messages;
  if (Partitioned(nodes_[from].index, nodes_[to].index)) {
    Count("partition_drop");
    return;
  }
  if (loss_ > 0 && rng_.Chance(loss_)) {
    Count("loss");
    return;
  }
  if (!healed_ && bad_link_to_ == static_cast<int>(nodes_[to].index) &&
      rng_.Chance(bad_link_loss_)) {
    Count("bad_link_loss");
    return;
  }
  const uint64_t delay = delay_ + rng_.Below(jitter_ + 1);
  if (delay != delay_) Count("delay_reorder");
  if (dup_ > 0 && rng_.Chance(dup_)) {
    Count("duplicate");
    network_.push(InFlight{now_ + delay_ + rng_.Below(jitter_ + 3), seq_++, to, message});
  }
  network_.push(InFlight{now_ + delay, seq_++, to, std::move(message)});
}

Vote Simulation::Resign(const Node& n, Vote v) {
  v.validator = n.index;
  v.signature = FakeSign(PublicKeyOf(n.index), VoteSignBytes(kChain, v));
  return v;
}

Proposal Simulation::Resign(const Node& n, Proposal p) {
  p.signature = FakeSign(PublicKeyOf(n.index), ProposalSignBytes(kChain, p));
  return p;
}

// The Byzantine validator runs the honest core and then lies about what it sends.
void Simulation::Byzantine(size_t from, const OutboundMessage& m) {
  Node& n = nodes_[from];
  const auto* vote = std::get_if<Vote>(&m.message);
  const auto* proposal = std::get_if<Proposal>(&m.message);
  switch (n.mode) {
    case Mode::kSilent:
      Count("byzantine_silenced");
      return;
    case Mode::kBadSignature:
      if (rng_.Chance(0.5) && !std::holds_alternative<Commit>(m.message)) {
        Message bad = m.message;
        if (auto* v = std::get_if<Vote>(&bad)) v->signature = Hex64(rng_.Next());
        if (auto* p = std::get_if<Proposal>(&bad)) p->signature = Hex64(rng_.Next());
        Count("bad_signature");
        Route(from, OutboundMessage{m.to, bad});
        return;
      }
      break;
    case Mode::kBogusValue:
      if (vote && rng_.Chance(0.5)) {
        Vote v = *vote;
        v.value_id = "bogus-" + Hex64(rng_.Next());
        Count("bogus_value_vote");
        Route(from, OutboundMessage{m.to, Resign(n, v)});
        return;
      }
      break;
    case Mode::kWrongHeightRound:
      if (vote || proposal) {
        Count("wrong_height_round");
        Message odd = m.message;
        const uint64_t what = rng_.Below(3);
        if (auto* v = std::get_if<Vote>(&odd)) {
          if (what == 0) v->height += 1;
          if (what == 1 && v->height > 1) v->height -= 1;
          if (what == 2) v->round += static_cast<int32_t>(rng_.Between(1, 3));
          odd = Resign(n, *v);
        } else if (auto* p = std::get_if<Proposal>(&odd)) {
          if (what == 0) p->height += 1;
          if (what >= 1) p->round += static_cast<int32_t>(rng_.Between(1, 3));
          odd = Resign(n, *p);
        }
        Route(from, OutboundMessage{m.to, odd});
      }
      break;
    case Mode::kEquivocate:
      if (proposal) {
        Value alt = MakeValue(proposal->height, (rng_.Chance(0.25) ? "INVALID-" : "alt-") +
                                                    Hex64(rng_.Next()));
        n.seen_values[{proposal->height, proposal->round}].push_back(alt.id);
        n.seen_values[{proposal->height, proposal->round}].push_back(proposal->value.id);
        Proposal other = *proposal;
        other.value = alt;
        other.valid_round = -1;
        other = Resign(n, other);
        Count("equivocating_proposal");
        for (ValidatorIndex to = 0; to < n_; ++to) {
          if (to == n.index) continue;
          Deliver(from, to, rng_.Chance(0.5) ? Message(*proposal) : Message(other));
        }
        return;
      }
      [[fallthrough]];
    case Mode::kDoubleVote:
      if (vote) {
        auto& seen = n.seen_values[{vote->height, vote->round}];
        Count("double_vote");
        for (ValidatorIndex to = 0; to < n_; ++to) {
          if (to == n.index) continue;
          Vote v = *vote;
          const uint64_t pick = rng_.Below(seen.size() + 2);
          if (pick < seen.size()) v.value_id = seen[pick];
          if (pick == seen.size()) v.value_id.clear();
          Deliver(from, to, Resign(n, v));
        }
        return;
      }
      break;
    case Mode::kAmnesia:
      // Its core only supplies proposals; its votes come from AmnesiaVote.
      if (proposal && proposal->proposer == n.index) {
        Proposal fresh = *proposal;
        if (fresh.valid_round >= 0) {  // proposes something new instead of its valid value
          fresh.value = MakeValue(fresh.height, "amnesia-" + Hex64(rng_.Next()));
          fresh.valid_round = -1;
          fresh = Resign(n, fresh);
        }
        const auto victim = static_cast<ValidatorIndex>((n.index + 1) % n_);
        for (ValidatorIndex to = 0; to < n_; ++to) {
          if (to != n.index && to != victim) Deliver(from, to, fresh);
        }
        AmnesiaVote(from, fresh);
      }
      return;
    case Mode::kHonest:
    case Mode::kTwins:
      break;
  }
  Route(from, m);
}

// An attacker on locking: it prevotes and precommits at once for the first proposal it sees in
// each round, whatever it voted before. In rounds it proposes itself it splits the others: one
// peer (the victim) gets neither proposal nor its prevote, one peer (the lucky one) alone gets its
// precommit, and the network then cuts the lucky one off, so it may decide alone while the rest
// go on to a new round.
void Simulation::AmnesiaVote(size_t from, const Proposal& p) {
  Node& n = nodes_[from];
  auto& seen = n.seen_values[{p.height, p.round}];
  if (!seen.empty() && seen.front() != p.value.id) return;
  if (seen.empty()) seen.push_back(p.value.id);
  if (!n.amnesia_voted.insert({p.height, p.round}).second) return;
  const bool attack = p.proposer == n.index && n_ >= 4;
  const auto victim = static_cast<ValidatorIndex>((n.index + 1) % n_);
  auto lucky = static_cast<ValidatorIndex>(rng_.Below(n_));
  while (lucky == n.index || lucky == victim) lucky = static_cast<ValidatorIndex>(rng_.Below(n_));
  Count("amnesia_vote");
  for (VoteType type : {VoteType::kPrevote, VoteType::kPrecommit}) {
    const Vote value = Resign(n, Vote{type, p.height, p.round, p.value.id, n.index, {}});
    const Vote nil = Resign(n, Vote{type, p.height, p.round, "", n.index, {}});
    for (ValidatorIndex to = 0; to < n_; ++to) {
      if (to == n.index) continue;
      bool send_value = true;
      if (attack) send_value = type == VoteType::kPrevote ? to != victim : to == lucky;
      Deliver(from, to, send_value ? value : nil);
    }
  }
  if (attack && now_ + 8 < opt_.fault_ticks) {
    Partition cut{now_ + 8, std::min(opt_.fault_ticks, now_ + 158), std::vector<int>(n_, 0)};
    cut.side[lucky] = 1;
    partitions_.push_back(std::move(cut));
    Count("amnesia_cut");
  }
}

void Simulation::CheckSigned(const Node& n, const Message& m) {
  std::tuple<ValidatorIndex, uint64_t, int32_t, int> key;
  std::string id;
  if (const auto* p = std::get_if<Proposal>(&m)) {
    if (p->proposer != n.index) return;
    key = {n.index, p->height, p->round, 0};
    id = p->value.id;
  } else if (const auto* v = std::get_if<Vote>(&m)) {
    if (v->validator != n.index) return;  // a forwarded vote of someone else
    key = {n.index, v->height, v->round, static_cast<int>(v->type)};
    id = v->value_id;
  } else {
    return;
  }
  if (opt_.trace) {
    std::fprintf(stderr, "tick %llu: v%u signs height %llu round %d step %d value '%s'\n",
                 static_cast<unsigned long long>(now_), n.index,
                 static_cast<unsigned long long>(std::get<1>(key)), std::get<2>(key),
                 std::get<3>(key), id.c_str());
  }
  auto [it, inserted] = signed_.emplace(key, id);
  if (!inserted && it->second != id) {
    std::ostringstream os;
    os << "honest validator " << n.index << " signed two different messages for height "
       << std::get<1>(key) << " round " << std::get<2>(key) << " step " << std::get<3>(key)
       << ": '" << it->second << "' and '" << id << "'";
    Violation(true, os.str());
  }
}

// Written apart from the core's VerifyCertificate so a broken core cannot fool its own checker.
bool Simulation::CertificateHolds(const Certificate& c) const {
  std::set<ValidatorIndex> signers;
  for (const Vote& v : c.precommits) {
    if (v.type != VoteType::kPrecommit || v.height != c.height || v.round != c.round ||
        v.value_id != c.value_id || v.validator >= n_ || c.value_id.empty()) {
      return false;
    }
    if (FakeSign(PublicKeyOf(v.validator), VoteSignBytes(kChain, v)) != v.signature) return false;
    signers.insert(v.validator);
  }
  return signers.size() * 3 > n_ * 2;
}

void Simulation::CheckCommit(const Node& n, const Commit& c) {
  const uint64_t h = c.certificate.height;
  std::ostringstream who;
  who << "validator " << n.index << " height " << h << ": ";
  if (h != n.store.size()) Violation(true, who.str() + "decided out of order");
  if (c.value.id != c.certificate.value_id) {
    Violation(true, who.str() + "value does not match its certificate");
  }
  if (!IsValidValue(h, c.value)) Violation(true, who.str() + "decided an invalid value");
  if (!CertificateHolds(c.certificate)) {
    Violation(true, who.str() + "certificate is not 2f+1 valid precommits (" +
                        std::to_string(c.certificate.precommits.size()) + " precommits)");
  }
  auto [it, inserted] = decided_.emplace(h, c.value.id);
  if (!inserted && it->second != c.value.id) {
    Violation(true, who.str() + "disagreement: decided " + c.value.id + ", another decided " +
                        it->second);
  }
  result_.blocks = std::max(result_.blocks, h);
}

void Simulation::Violation(bool safety, std::string what) {
  if (!result_.ok) return;
  result_.ok = false;
  result_.safety_violation = safety;
  result_.violation = "tick " + std::to_string(now_) + ": " + std::move(what);
}

bool Simulation::Partitioned(ValidatorIndex a, ValidatorIndex b) const {
  for (size_t k : active_) {
    if (partitions_[k].side[a] != partitions_[k].side[b]) return true;
  }
  return false;
}

void Simulation::ApplyFaults() {
  active_.clear();
  for (size_t k = 0; k < partitions_.size(); ++k) {
    const Partition& p = partitions_[k];
    if (p.start == now_) Count("partition");
    if (now_ >= p.start && now_ < p.end) active_.push_back(k);
  }
  for (const Crash& c : crashes_) {
    Node& n = nodes_[c.node];
    if (c.at == now_ && n.up) {
      Count(c.dirty ? "crash_dirty" : "crash");
      if (c.dirty) {
        n.crash_on_next_ready = true;  // dies at its next output, losing it
      } else {
        n.up = false;
        n.core.reset();
      }
      n.restart_at = now_ + c.down_ticks;
    }
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    Node& n = nodes_[i];
    if (!n.up && (n.restart_at <= now_ || now_ >= opt_.fault_ticks)) {
      Count("restart");
      StartCore(i);
    }
  }
  if (!healed_ && opt_.faults && now_ >= opt_.fault_ticks) {
    healed_ = true;
    loss_ = 0;
    dup_ = 0;
    jitter_ = 2;
    heal_height_ = MaxHonestHeight();
  }
}

// Stands in for the node's block sync: a node that has not advanced for a while and is behind a
// reachable peer fetches decided blocks with their certificates and hands them to its core.
void Simulation::BlockSync() {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].store.size() != nodes_[i].synced_height) {
      nodes_[i].synced_height = nodes_[i].store.size();
      nodes_[i].height_since_tick = now_;
    }
    if (now_ < nodes_[i].height_since_tick + kBlockSyncAfterTicks) continue;
    for (int fetched = 0; fetched < 10; ++fetched) {
      Node& n = nodes_[i];
      if (!n.up || n.core->height() != n.store.size() + 1) break;
      const Commit* next = nullptr;
      for (const Node& peer : nodes_) {
        if (peer.up && Honest(peer) && peer.store.size() > n.store.size() &&
            !Partitioned(n.index, peer.index)) {
          next = &peer.store[n.store.size()];
          break;
        }
      }
      if (next == nullptr) break;
      Count("block_sync");
      if (!n.core->Catchup(*next).ok()) break;
      HandleReady(i);
    }
  }
}

uint64_t Simulation::MaxHonestHeight() const {
  uint64_t h = 0;
  for (const Node& n : nodes_) {
    if (Honest(n)) h = std::max<uint64_t>(h, n.store.size());
  }
  return h;
}

SimResult Simulation::Run() {
  Setup();
  for (now_ = 0; now_ < opt_.max_ticks && result_.ok; ++now_) {
    ApplyFaults();
    while (!network_.empty() && network_.top().at <= now_ && result_.ok) {
      InFlight msg = network_.top();
      network_.pop();
      Node& n = nodes_[msg.to];
      if (!n.up) continue;
      ++result_.steps;
      if (const auto* p = std::get_if<Proposal>(&msg.message); p && !Honest(n)) {
        if (n.mode == Mode::kAmnesia) AmnesiaVote(msg.to, *p);
        n.seen_values[{p->height, p->round}].push_back(p->value.id);
        if (n.seen_values.size() > 64) n.seen_values.erase(n.seen_values.begin());
        if (n.amnesia_voted.size() > 64) n.amnesia_voted.erase(n.amnesia_voted.begin());
      }
      const Status st = n.core->Step(msg.message);
      if (opt_.trace && !st.ok() && st.code() != StatusCode::kIgnored) {
        std::fprintf(stderr, "tick %llu: v%u refused: %s\n", static_cast<unsigned long long>(now_),
                     n.index, st.message().c_str());
      }
      HandleReady(msg.to);
    }
    for (size_t i = 0; i < nodes_.size() && result_.ok; ++i) {
      Node& n = nodes_[i];
      if (!n.up || now_ % n.tick_period != 0) continue;
      ++result_.steps;
      n.core->Tick();
      HandleReady(i);
    }
    if (now_ % 25 == 0) BlockSync();
    bool all_past = true;
    for (const Node& n : nodes_) {
      if (!Honest(n)) continue;
      const uint64_t goal = opt_.faults ? heal_height_ + 2 : opt_.stop_height;
      if (n.store.size() < goal) all_past = false;
    }
    if ((healed_ || !opt_.faults) && all_past) break;
    if (healed_ && now_ > opt_.fault_ticks + opt_.liveness_bound_ticks) {
      std::ostringstream os;
      os << "liveness: after healing at tick " << opt_.fault_ticks << " (height "
         << heal_height_ << ") not every honest validator decided 2 more heights:";
      for (const Node& n : nodes_) {
        if (!Honest(n)) continue;
        os << " v" << n.index << "@h" << n.store.size() + 1;
        if (n.core) {
          os << "/r" << n.core->round() << "/" << StepName(n.core->step()) << "/lock"
             << n.core->locked_round() << "/valid" << n.core->valid_round();
        }
      }
      Violation(false, os.str());
    }
  }
  result_.ticks = now_;
  return result_;
}

}  // namespace

SimResult RunSimulation(const SimOptions& options) { return Simulation(options).Run(); }

}  // namespace jejak::consensus::sim
