// One core under test (validator 0 of 4); the test plays the other three validators by hand.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "tests/unit/consensus/cluster.h"

namespace jejak::consensus::testing {

struct Solo {
  explicit Solo(uint64_t height = 1, std::optional<SafetyRecord> record = std::nullopt,
                size_t n = 4)
      : validators(MakeValidators(n)), node(0) {
    node.core = std::make_unique<Core>(MakeConfig(0), validators, node.app, node.signer,
                                       node.verifier, height, record);
  }
  Core& core() { return *node.core; }

  // Takes the Ready, remembers the record, acknowledges it; returns what was sent.
  Ready Take() {
    Ready rd = node.core->TakeReady();
    if (rd.safety_record) node.persisted = rd.safety_record;
    for (const Commit& c : rd.committed) node.committed.push_back(c);
    node.core->Advance(rd);
    return rd;
  }
  std::vector<Vote> SentVotes(VoteType type) {
    std::vector<Vote> out;
    for (const auto& m : Take().messages) {
      if (const auto* v = std::get_if<Vote>(&m.message); v && v->type == type) out.push_back(*v);
    }
    return out;
  }
  void TickN(int n) {
    for (int i = 0; i < n; ++i) core().Tick();
  }

  ValidatorSet validators;
  TestNode node;
};

}  // namespace jejak::consensus::testing
