// Helpers shared by the core's .cc files; not part of the module's interface.
#pragma once

#include <string>
#include <variant>

#include "types.h"

namespace jejak::consensus::internal {

inline std::string Describe(const Message& m) {
  if (const auto* p = std::get_if<Proposal>(&m)) {
    return "proposal from validator " + std::to_string(p->proposer) + " for height " +
           std::to_string(p->height) + " round " + std::to_string(p->round);
  }
  if (const auto* v = std::get_if<Vote>(&m)) {
    return std::string(v->type == VoteType::kPrevote ? "prevote" : "precommit") +
           " from validator " + std::to_string(v->validator) + " for height " +
           std::to_string(v->height) + " round " + std::to_string(v->round);
  }
  return "commit for height " + std::to_string(std::get<Commit>(m).certificate.height);
}

inline ValidatorIndex Sender(const Message& m) {
  if (const auto* p = std::get_if<Proposal>(&m)) return p->proposer;
  return std::get<Vote>(m).validator;
}

inline int32_t MessageRound(const Message& m) {
  if (const auto* p = std::get_if<Proposal>(&m)) return p->round;
  return std::get<Vote>(m).round;
}

inline RoundStep VoteStep(VoteType t) {
  return t == VoteType::kPrevote ? RoundStep::kPrevote : RoundStep::kPrecommit;
}


}  // namespace jejak::consensus::internal
