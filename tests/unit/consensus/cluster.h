// Drives N cores by hand for the unit tests: every Ready is taken, its record "persisted", its
// messages queued for the other cores; Pump() delivers until the cluster is quiet.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "consensus/consensus.h"
#include "tests/sim/fakes.h"

namespace jejak::consensus::testing {

inline Vote SignedVote(VoteType type, uint64_t height, int32_t round, std::string value_id,
                       ValidatorIndex from, std::string_view chain = "test-chain") {
  Vote v{type, height, round, std::move(value_id), from, {}};
  v.signature = FakeSign(PublicKeyOf(from), VoteSignBytes(chain, v));
  return v;
}

inline Proposal SignedProposal(uint64_t height, int32_t round, Value value, int32_t valid_round,
                               ValidatorIndex from, std::string_view chain = "test-chain") {
  Proposal p{height, round, std::move(value), valid_round, from, {}};
  p.signature = FakeSign(PublicKeyOf(from), ProposalSignBytes(chain, p));
  return p;
}

struct TestNode {
  explicit TestNode(ValidatorIndex i)
      : signer(PublicKeyOf(i)), app("node" + std::to_string(i)) {}
  FakeSigner signer;
  FakeVerifier verifier;
  TestApp app;
  std::unique_ptr<Core> core;
  std::vector<Commit> committed;
  std::optional<SafetyRecord> persisted;
  std::vector<Evidence> evidence;
  std::deque<Message> inbox;
  bool down = false;
};

class Cluster {
 public:
  explicit Cluster(size_t n) : validators_(MakeValidators(n)) {
    for (size_t i = 0; i < n; ++i) {
      nodes_.push_back(std::make_unique<TestNode>(static_cast<ValidatorIndex>(i)));
    }
    for (size_t i = 0; i < n; ++i) Restart(static_cast<ValidatorIndex>(i));
  }

  // (Re)creates core i from what it persisted: its committed height and safety record.
  void Restart(ValidatorIndex i) {
    TestNode& node = *nodes_[i];
    node.core = std::make_unique<Core>(MakeConfig(i), validators_, node.app, node.signer,
                                       node.verifier, node.committed.size() + 1, node.persisted);
    node.inbox.clear();
    node.down = false;
  }

  // Message filter: return false to drop a message from -> to.
  std::function<bool(ValidatorIndex from, ValidatorIndex to, const Message&)> allow =
      [](ValidatorIndex, ValidatorIndex, const Message&) { return true; };

  void Drain(ValidatorIndex i) {
    TestNode& node = *nodes_[i];
    if (node.down || !node.core->HasReady()) return;
    Ready rd = node.core->TakeReady();
    for (const Commit& c : rd.committed) node.committed.push_back(c);
    if (rd.safety_record) node.persisted = rd.safety_record;
    for (Evidence& e : rd.evidence) node.evidence.push_back(std::move(e));
    for (const OutboundMessage& m : rd.messages) {
      for (ValidatorIndex to = 0; to < nodes_.size(); ++to) {
        if (to == i || (m.to && *m.to != to)) continue;
        if (!nodes_[to]->down && allow(i, to, m.message)) nodes_[to]->inbox.push_back(m.message);
      }
    }
    // A node that reached the target stops starting new heights, so the cluster goes quiet.
    if (node.committed.size() < target_height) node.core->Advance(rd);
  }

  size_t target_height = 3;

  // Delivers until no core has output or input left. Bounded.
  void Pump() {
    for (int iter = 0; iter < 100000; ++iter) {
      bool busy = false;
      for (ValidatorIndex i = 0; i < nodes_.size(); ++i) {
        if (nodes_[i]->down) continue;
        if (nodes_[i]->core->HasReady()) {
          busy = true;
          Drain(i);
        }
        if (!nodes_[i]->inbox.empty()) {
          busy = true;
          Message m = std::move(nodes_[i]->inbox.front());
          nodes_[i]->inbox.pop_front();
          (void)nodes_[i]->core->Step(m);
        }
      }
      if (!busy) return;
    }
  }

  void Tick(int ticks) {
    for (int t = 0; t < ticks; ++t) {
      for (auto& node : nodes_) {
        if (!node->down) node->core->Tick();
      }
      Pump();
    }
  }

  TestNode& node(ValidatorIndex i) { return *nodes_[i]; }
  Core& core(ValidatorIndex i) { return *nodes_[i]->core; }
  size_t size() const { return nodes_.size(); }
  const ValidatorSet& validators() const { return validators_; }

 private:
  ValidatorSet validators_;
  std::vector<std::unique_ptr<TestNode>> nodes_;
};

}  // namespace jejak::consensus::testing
