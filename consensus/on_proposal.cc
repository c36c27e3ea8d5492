// Algorithm 1, lines 22-33: prevoting on the proposal of the current round.
#include "core.h"

namespace jejak::consensus {

bool Core::UponProposalInPropose() {
  if (step_ != RoundStep::kPropose) return false;
  auto it = rounds_.find(round_);
  if (it == rounds_.end()) return false;
  const size_t quorum = validators_.Quorum();
  for (const Proposal& p : it->second.proposals) {
    const std::string& id = p.value.id;
    bool prevote_value = false;
    if (p.valid_round == -1) {
      // L22: upon <PROPOSAL, h, r, v, -1> from proposer(h, r) while step = propose.
      // L23: valid(v) and (lockedRound = -1 or lockedValue = v).
#ifdef JEJAK_CONSENSUS_BROKEN_NO_LOCK
      prevote_value = Valid(p.value);  // test-only broken core: the lock is ignored
#else
      prevote_value = Valid(p.value) && (locked_round_ == -1 || locked_value_.id == id);
#endif
    } else {
      // L28: upon <PROPOSAL, h, r, v, vr> AND 2f+1 <PREVOTE, h, vr, id(v)> while step = propose
      // and 0 <= vr < r (the bound on vr is checked on receipt).
      auto vr = rounds_.find(p.valid_round);
      if (vr == rounds_.end()) continue;
      auto tally = vr->second.prevote_tally.find(id);
      if (tally == vr->second.prevote_tally.end() || tally->second < quorum) continue;
      // L29: valid(v) and (lockedRound <= vr or lockedValue = v).
#ifdef JEJAK_CONSENSUS_BROKEN_NO_LOCK
      prevote_value = Valid(p.value);
#else
      prevote_value =
          Valid(p.value) && (locked_round_ <= p.valid_round || locked_value_.id == id);
#endif
    }
    // L24/L30: prevote id(v); L26/L32: prevote nil.
    SignAndBroadcastVote(VoteType::kPrevote, prevote_value ? id : std::string());
    step_ = RoundStep::kPrevote;  // L27/L33
    return true;
  }
  return false;
}

}  // namespace jejak::consensus
