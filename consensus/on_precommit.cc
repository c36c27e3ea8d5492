// Algorithm 1, lines 47-56: precommit quorums, the decision, and round skipping.
#include <algorithm>

#include "core.h"
#include "node/base/assert.h"

namespace jejak::consensus {

// L47: upon 2f+1 <PRECOMMIT, h, r, *> for the first time:
// L48: schedule OnTimeoutPrecommit(h, r).
bool Core::UponPrecommitQuorumAny() {
  if (precommit_timeout_armed_) return false;
  auto it = rounds_.find(round_);
  if (it == rounds_.end() || it->second.precommit_total < validators_.Quorum()) return false;
  precommit_timeout_armed_ = true;
  ScheduleTimeout(TimeoutKind::kPrecommit);
  return true;
}

// L49: upon <PROPOSAL, h, r, v, *> AND 2f+1 <PRECOMMIT, h, r, id(v)> while decision[h] = nil,
// for any round r of this height.
bool Core::UponDecision() {
  const size_t quorum = validators_.Quorum();
  for (const auto& [round, rs] : rounds_) {
    for (const auto& [id, count] : rs.precommit_tally) {
      if (id.empty() || count < quorum) continue;
      const Proposal* p = FindProposal(rs, id);
      if (p == nullptr || !Valid(p->value)) continue;  // L50: if valid(v)
      Certificate cert{height_, round, id, {}};
      for (const auto& votes : rs.precommits) {
        if (const Vote* vote = FindVote(votes, id)) cert.precommits.push_back(*vote);
      }
      Decide(p->value, std::move(cert));
      return true;
    }
  }
  return false;
}

// L51-54: decision[h] = v; h = h+1; reset locks; StartRound(0). StartRound is deferred to
// Advance() so the node applies v before it is asked anything about h+1.
void Core::Decide(const Value& value, Certificate certificate) {
  JEJAK_ASSERT(certificate.precommits.size() >= validators_.Quorum(),
               "a decision without a quorum of precommits");
  JEJAK_ASSERT(certificate.height == height_ && certificate.value_id == value.id,
               "a certificate for another decision");
  Commit commit{value, std::move(certificate)};
  ready_.committed.push_back(commit);
  recent_commits_.push_back(std::move(commit));
  while (recent_commits_.size() > config_.max_recent_commits) recent_commits_.pop_front();
  ++height_;
  locked_round_ = -1;  // L53
  locked_value_ = {};
  valid_round_ = -1;
  valid_value_ = {};
  record_.round_change_precommits.clear();
  SaveLocks();
  rounds_.clear();
  validity_cache_.clear();
  timers_.clear();
  own_polka_.clear();
  awaiting_advance_ = true;
}

// L55: upon f+1 <*, h, round, *, *> with round > round_p: L56: StartRound(round).
bool Core::UponRoundSkip() {
  const size_t weak = validators_.WeakQuorum();
  for (auto it = rounds_.rbegin(); it != rounds_.rend() && it->first > round_; ++it) {
    if (it->second.sender_count >= weak) {
      StartRound(it->first);
      return true;
    }
  }
  return false;
}

}  // namespace jejak::consensus
