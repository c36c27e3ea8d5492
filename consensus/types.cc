#include "types.h"

#include "node/base/assert.h"

namespace jejak::consensus {

const char* StepName(RoundStep step) {
  switch (step) {
    case RoundStep::kPropose: return "propose";
    case RoundStep::kPrevote: return "prevote";
    case RoundStep::kPrecommit: return "precommit";
  }
  return "unknown";
}

size_t ValidatorSet::Quorum() const {
#ifdef JEJAK_CONSENSUS_BROKEN_QUORUM
  // Test-only broken core: 2f instead of 2f+1. The simulator must catch it.
  const size_t f = (size() - 1) / 3;
  return f == 0 ? 1 : 2 * f;
#else
  return size() * 2 / 3 + 1;
#endif
}

size_t ValidatorSet::WeakQuorum() const { return size() / 3 + 1; }

ValidatorIndex ValidatorSet::Proposer(uint64_t height, int32_t round) const {
  const uint64_t n = size();
  JEJAK_ASSERT(n > 0, "a validator set is never empty");
  return static_cast<ValidatorIndex>((height % n + static_cast<uint64_t>(round) % n) % n);
}

uint64_t MessageHeight(const Message& m) {
  if (const auto* p = std::get_if<Proposal>(&m)) return p->height;
  if (const auto* v = std::get_if<Vote>(&m)) return v->height;
  return std::get<Commit>(m).certificate.height;
}

}  // namespace jejak::consensus
