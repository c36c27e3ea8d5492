// Algorithm 1, lines 10-21: StartRound and the proposer's proposal; resuming from a record.
#include <algorithm>

#include "core.h"
#include "node/base/assert.h"
#include "sign_bytes.h"

namespace jejak::consensus {

// L11-21: StartRound(round).
void Core::StartRound(int32_t round) {
  JEJAK_ASSERT(locked_round_ < round && valid_round_ < round,
               "a new round comes after every round with a lock or a polka");
  round_ = round;          // L12
  last_progress_tick_ = now_ticks_;
  step_ = RoundStep::kPropose;  // L13
  prevote_timeout_armed_ = false;
  polka_value_done_ = false;
  precommit_timeout_armed_ = false;
  own_polka_.clear();
  // Timers of other rounds would be no-ops (L58, L62, L66 check the round); drop them.
  std::erase_if(timers_, [&](const TimerRequest& t) { return t.round != round_; });
  if (validators_.Proposer(height_, round_) == config_.self) {
    Propose();  // L14-19
  } else {
    ScheduleTimeout(TimeoutKind::kPropose);  // L21
  }
}

void Core::Propose(bool retry) {
  Value value;
  if (valid_round_ >= 0) {
    value = valid_value_;  // L15-16: re-propose the value a polka was seen for
  } else {
    std::optional<Value> fresh = app_.GetValueToPropose(height_);  // L18: getValue()
    if (!fresh || fresh->id.empty()) {
      // Nothing to propose: behave as a non-proposer (one timeout per round), and ask again on
      // each tick until the timeout (Tick), so a value arriving meanwhile is proposed at once.
      if (!retry) ScheduleTimeout(TimeoutKind::kPropose);
      return;
    }
    value = std::move(*fresh);
  }
  if (!MaySign(RoundStep::kPropose, round_, value.id)) {
    if (!retry) ScheduleTimeout(TimeoutKind::kPropose);
    return;
  }
  Proposal p{height_, round_, std::move(value), valid_round_, config_.self, {}};
  p.signature = signer_.Sign(ProposalSignBytes(config_.chain_id, p));
  RecordSigned(RoundStep::kPropose, p.value.id, p.signature);
  RoundState& rs = Round(round_);
  MarkSender(rs, config_.self);
  rs.proposals.insert(rs.proposals.begin(), p);
  if (rs.proposals.size() > config_.max_proposals_per_round) rs.proposals.pop_back();
  // L19. A re-proposed value travels with the prevotes that made it valid, so peers that lost
  // them can still apply L28.
  if (p.valid_round >= 0) {
    auto vr = rounds_.find(p.valid_round);
    if (vr != rounds_.end()) {
      for (const auto& votes : vr->second.prevotes) {
        if (const Vote* vote = FindVote(votes, p.value.id)) own_polka_.push_back(*vote);
      }
    }
  }
  Send(std::nullopt, std::move(p));
  for (const Vote& vote : own_polka_) Send(std::nullopt, vote);
}

bool Core::HasOwnProposal() const {
  auto round = rounds_.find(round_);
  if (round == rounds_.end()) return false;
  return std::any_of(round->second.proposals.begin(), round->second.proposals.end(),
                     [&](const Proposal& p) { return p.proposer == config_.self; });
}

// Restart at the height and round of the last signed message, with its locks. What was signed is
// re-sent (same bytes, same signature); nothing conflicting can be signed (MaySign).
void Core::Resume(const SafetyRecord& record) {
  locked_round_ = record.locked_round;
  locked_value_ = record.locked_value;
  valid_round_ = record.valid_round;
  valid_value_ = record.valid_value;
  for (const Vote& v : record.valid_polka) {
    if (v.height == height_ && validators_.Contains(v.validator)) AddVote(v);
  }
  round_ = record.round;
  step_ = record.step;
  if (record.step == RoundStep::kPropose) {
    // The proposal's bytes are not kept; without it we behave as a non-proposer of this round.
    ScheduleTimeout(TimeoutKind::kPropose);
    return;
  }
  if (record.round_prevote && record.round_prevote->height == height_ &&
      record.round_prevote->round == round_ && record.step == RoundStep::kPrecommit) {
    AddVote(*record.round_prevote);
    Send(std::nullopt, *record.round_prevote);
  }
  const VoteType type =
      record.step == RoundStep::kPrevote ? VoteType::kPrevote : VoteType::kPrecommit;
  Vote vote{type, height_, round_, record.value_id, config_.self, record.signature};
  AddVote(vote);
  Send(std::nullopt, vote);
}

// The precommits on which we last left a round of this height (KeepRoundChangePrecommits): held
// again, so peers still in that round can be helped; if we resumed in that very round, they make
// us leave it again (L47).
void Core::RestoreRoundChangePrecommits(const SafetyRecord& record) {
  for (const Vote& v : record.round_change_precommits) {
    if (v.height == height_ && v.type == VoteType::kPrecommit && validators_.Contains(v.validator)) {
      AddVote(v);
    }
  }
}

}  // namespace jejak::consensus
