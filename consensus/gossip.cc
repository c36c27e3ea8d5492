// Re-sending what peers may have lost: decisions to lagging peers, older rounds to slow peers.
#include <algorithm>

#include "core.h"
#include "core_internal.h"
#include "sign_bytes.h"

namespace jejak::consensus {

using internal::Describe;

// A peer still voting at a height we decided missed the precommits: send it the decision (to
// it alone), at most once per height per half rebroadcast interval.
void Core::MaybeAnswerLaggingPeer(ValidatorIndex peer, uint64_t height) {
  if (peer == config_.self) return;
  auto it = std::find_if(recent_commits_.begin(), recent_commits_.end(),
                         [&](const Commit& c) { return c.certificate.height == height; });
  if (it == recent_commits_.end()) return;
  Answer& last = last_answer_[peer];
  const uint64_t interval = std::max<uint64_t>(1, config_.rebroadcast_interval_ticks / 2);
  if (last.sent && last.height == height && now_ticks_ < last.tick + interval) return;
  last = Answer{true, height, now_ticks_};
  Send(peer, *it);
}

// A peer still in an older round of our height may have lost messages of that round that nobody
// will send again: send it what we hold of that round (to it alone), at most once per half
// interval.
void Core::MaybeHelpPeerInOlderRound(ValidatorIndex peer, int32_t round) {
  if (peer == config_.self) return;
  const uint64_t interval = std::max<uint64_t>(1, config_.rebroadcast_interval_ticks / 2);
  Answer& last = last_round_answer_[peer];
  if (last.sent && now_ticks_ < last.tick + interval) return;
  last = Answer{true, static_cast<uint64_t>(round), now_ticks_};
  SendRound(peer, round);
  // A peer behind the round we last left on a timeout gets the precommits that let us leave it:
  // with them it skips to that round (L55) and leaves it as we did (L47), even if we restarted
  // since and hold nothing of its own round.
  const auto& left = record_.round_change_precommits;
  if (!left.empty() && left.front().height == height_ && left.front().round > round) {
    for (const Vote& v : left) Send(peer, v);
  }
}

// Everything we hold of `round`, signed by whoever signed it: at most one proposal and 2n votes.
void Core::SendRound(std::optional<ValidatorIndex> to, int32_t round) {
  auto it = rounds_.find(round);
  if (it == rounds_.end()) return;
  if (!it->second.proposals.empty()) Send(to, it->second.proposals.front());
  for (const auto* set : {&it->second.prevotes, &it->second.precommits}) {
    for (const auto& votes : *set) {
      for (const Vote& v : votes) Send(to, v);
    }
  }
}

}  // namespace jejak::consensus
