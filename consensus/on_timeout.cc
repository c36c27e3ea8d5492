// Algorithm 1, lines 57-67: timeouts on abstract ticks; re-sending our own messages.
#include <algorithm>

#include "core.h"

namespace jejak::consensus {

void Core::ScheduleTimeout(TimeoutKind kind) {
  uint64_t base = config_.timeout_propose_ticks;
  if (kind == TimeoutKind::kPrevote) base = config_.timeout_prevote_ticks;
  if (kind == TimeoutKind::kPrecommit) base = config_.timeout_precommit_ticks;
  // Timeouts grow with the round so that, after GST, a round eventually lasts long enough.
  // Not the precommit timeout: it only sets when we enter the next round (a decision of this
  // round is still taken later, L49 looks at every round), and on a validator whose clock runs
  // slower a growing one makes it enter each round later than the last, until as proposer it is
  // always too late for its peers' propose timeouts (design.md section 3).
  const uint64_t growth = kind == TimeoutKind::kPrecommit ? 0 : config_.timeout_delta_ticks;
  const uint64_t duration = base + growth * static_cast<uint64_t>(round_);
  TimerRequest t{kind, height_, round_, now_ticks_ + std::max<uint64_t>(duration, 1)};
  timers_.push_back(t);
  ready_.timers.push_back(t);
}

void Core::Tick() {
  ++now_ticks_;
  if (awaiting_advance_) return;
  // The proposer had nothing to propose when the round started (L18); it asks again each tick
  // until its propose timeout fires, so an idle network commits a new value without a round change.
  if (step_ == RoundStep::kPropose && valid_round_ < 0 &&
      validators_.Proposer(height_, round_) == config_.self && !HasOwnProposal()) {
    Propose(/*retry=*/true);
    // Act on the fresh proposal before any timer of this tick: a propose timeout due now must
    // not prevote nil on a value we have just proposed.
    if (HasOwnProposal()) CheckRules();
  }
  std::vector<TimerRequest> due;
  for (const TimerRequest& t : timers_) {
    if (t.deadline_tick <= now_ticks_) due.push_back(t);
  }
  std::erase_if(timers_, [&](const TimerRequest& t) { return t.deadline_tick <= now_ticks_; });
  for (const TimerRequest& t : due) {
    if (awaiting_advance_) break;
    OnTimeout(t);
  }
  if (now_ticks_ >= std::max(last_rebroadcast_tick_, last_progress_tick_) +
                        config_.rebroadcast_interval_ticks) {
    last_rebroadcast_tick_ = now_ticks_;
    Rebroadcast();
  }
  CheckRules();
}

void Core::OnTimeout(const TimerRequest& t) {
  if (t.height != height_ || t.round != round_) return;  // L58, L62, L66
  switch (t.kind) {
    case TimeoutKind::kPropose:  // L57-60: OnTimeoutPropose
      if (step_ != RoundStep::kPropose) return;
      SignAndBroadcastVote(VoteType::kPrevote, std::string());
      step_ = RoundStep::kPrevote;
      return;
    case TimeoutKind::kPrevote:  // L61-64: OnTimeoutPrevote
      if (step_ != RoundStep::kPrevote) return;
      SignAndBroadcastVote(VoteType::kPrecommit, std::string());
      step_ = RoundStep::kPrecommit;
      return;
    case TimeoutKind::kPrecommit:  // L65-67: OnTimeoutPrecommit
      KeepRoundChangePrecommits();
      StartRound(round_ + 1);
      return;
  }
}

// Before leaving the round on OnTimeoutPrecommit: the precommits that let us leave it. A peer
// still in this round that lost some of them (ours, or a Byzantine one sent to us alone) can only
// leave it with them, and after a restart we would hold nothing of this round to help it with.
void Core::KeepRoundChangePrecommits() {
  record_.round_change_precommits.clear();
  if (auto it = rounds_.find(round_); it != rounds_.end()) {
    for (const auto& votes : it->second.precommits) {
      if (!votes.empty()) record_.round_change_precommits.push_back(votes.front());
    }
  }
  record_dirty_ = true;
}

// Links may drop messages while Algorithm 1 assumes eventual delivery. When a round makes no
// progress for an interval, we re-send everything we hold of it (our own messages and the others'
// signed ones, unchanged), which restores eventual delivery once the network heals, even for a
// peer whose own copy was lost or who restarted.
void Core::Rebroadcast() {
#ifndef JEJAK_CONSENSUS_BROKEN_NO_RESEND  // test-only broken core: a stalled round is not re-sent
  SendRound(std::nullopt, round_);
  for (const Vote& vote : own_polka_) Send(std::nullopt, vote);
#endif
}

}  // namespace jejak::consensus
