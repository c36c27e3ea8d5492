// Algorithm 1, lines 34-46: what 2f+1 prevotes of the current round cause.
#include "core.h"

namespace jejak::consensus {

// L34: upon 2f+1 <PREVOTE, h, r, *> while step = prevote for the first time:
// L35: schedule OnTimeoutPrevote(h, r).
bool Core::UponPrevoteQuorumAny() {
  if (step_ != RoundStep::kPrevote || prevote_timeout_armed_) return false;
  auto it = rounds_.find(round_);
  if (it == rounds_.end() || it->second.prevote_total < validators_.Quorum()) return false;
  prevote_timeout_armed_ = true;
  ScheduleTimeout(TimeoutKind::kPrevote);
  return true;
}

// L36: upon <PROPOSAL, h, r, v, *> AND 2f+1 <PREVOTE, h, r, id(v)> while valid(v) and
// step >= prevote for the first time.
bool Core::UponPolkaForValue() {
  if (polka_value_done_ || step_ == RoundStep::kPropose) return false;
  auto it = rounds_.find(round_);
  if (it == rounds_.end()) return false;
  for (const auto& [id, count] : it->second.prevote_tally) {
    if (id.empty() || count < validators_.Quorum()) continue;
    const Proposal* p = FindProposal(it->second, id);
    if (p == nullptr || !Valid(p->value)) continue;
    polka_value_done_ = true;
    const Value value = p->value;
    if (step_ == RoundStep::kPrevote) {  // L37
      locked_value_ = value;        // L38
      locked_round_ = round_;       // L39
      SaveLocks();
      SignAndBroadcastVote(VoteType::kPrecommit, id);  // L40
      step_ = RoundStep::kPrecommit;                        // L41
    }
    valid_value_ = value;   // L42
    valid_round_ = round_;  // L43
    SaveLocks();
    return true;
  }
  return false;
}

// L44: upon 2f+1 <PREVOTE, h, r, nil> while step = prevote:
// L45-46: precommit nil, step = precommit.
bool Core::UponPolkaForNil() {
  if (step_ != RoundStep::kPrevote) return false;
  auto it = rounds_.find(round_);
  if (it == rounds_.end()) return false;
  auto nil = it->second.prevote_tally.find(std::string());
  if (nil == it->second.prevote_tally.end() || nil->second < validators_.Quorum()) return false;
  SignAndBroadcastVote(VoteType::kPrecommit, std::string());
  step_ = RoundStep::kPrecommit;
  return true;
}

}  // namespace jejak::consensus
