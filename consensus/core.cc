// Construction, routing of incoming messages, signing and the Ready/Advance cycle.
#include "core.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "certificate.h"
#include "node/base/assert.h"
#include "core_internal.h"
#include "sign_bytes.h"

namespace jejak::consensus {

using internal::Describe;
using internal::MessageRound;
using internal::Sender;
using internal::VoteStep;

Core::Core(Config config, ValidatorSet validators, Application& app, Signer& signer,
           Verifier& verifier, uint64_t next_height, std::optional<SafetyRecord> record)
    : config_(std::move(config)),
      validators_(std::move(validators)),
      app_(app),
      signer_(signer),
      verifier_(verifier),
      height_(next_height == 0 ? 1 : next_height),
      last_answer_(validators_.size()),
      last_round_answer_(validators_.size()) {
  if (record) record_ = *record;
  if (record && record->height != height_) {
    // Locks and polkas hold within one height (L53 resets them); kept from an older height (a
    // core re-made after block sync) they would be saved with this height's first vote and
    // resumed as this height's locks after a restart.
    record_.locked_round = -1;
    record_.locked_value = {};
    record_.valid_round = -1;
    record_.valid_value = {};
    record_.valid_polka.clear();
  }
  if (record && record->height == height_ && record->round >= 0) {
    Resume(*record);
  } else {
    StartRound(0);  // L10: upon start do StartRound(0)
  }
  if (record) RestoreRoundChangePrecommits(*record);
  CheckRules();
}

Status Core::Step(const Message& message) {
  if (const auto* c = std::get_if<Commit>(&message)) return Catchup(*c);
  const ValidatorIndex from = Sender(message);
  if (!validators_.Contains(from)) {
    return Status::Invalid(Describe(message) + ": unknown validator");
  }
  const uint64_t h = MessageHeight(message);
  if (h < height_) {
    MaybeAnswerLaggingPeer(from, h);
    return Status::Ignored(Describe(message) + ": stale height, we are at " +
                           std::to_string(height_));
  }
  if (h > height_ + 1) {
    return Status::Ignored(Describe(message) + ": too far ahead, we are at height " +
                           std::to_string(height_));
  }
  if (MessageRound(message) < 0) return Status::Invalid(Describe(message) + ": negative round");
  if (h == height_ + 1 || awaiting_advance_) return Buffer(from, message);
  if (MessageRound(message) > round_ + config_.max_round_lead) {
    return Status::Ignored(Describe(message) + ": round too far ahead of ours (" +
                           std::to_string(round_) + ")");
  }
  bool recorded = false;
  Status s = CheckAndRecord(message, &recorded);
  if (recorded) CheckRules();
  if (s.code() != StatusCode::kInvalid && MessageRound(message) < round_ && h == height_) {
    MaybeHelpPeerInOlderRound(from, MessageRound(message));
  }
  return s;
}

Status Core::Buffer(ValidatorIndex from, const Message& message) {
  const Status s = std::holds_alternative<Proposal>(message)
                       ? CheckProposal(std::get<Proposal>(message))
                       : CheckVote(std::get<Vote>(message));
  if (!s.ok()) return s;
  auto& per_peer = future_[MessageHeight(message)];
  if (per_peer.empty()) per_peer.resize(validators_.size());
  auto& queue = per_peer[from];
  if (std::find(queue.begin(), queue.end(), message) != queue.end()) {
    return Status::Ignored(Describe(message) + ": duplicate");
  }
  if (queue.size() >= config_.max_future_messages_per_peer) {
    return Status::Exhausted(Describe(message) + ": buffer for the next height is full");
  }
  queue.push_back(message);
  return Status::Ok();
}

void Core::ReplayBuffered() {
  auto it = future_.find(height_);
  if (it == future_.end()) return;
  auto per_peer = std::move(it->second);
  future_.erase(future_.begin(), future_.upper_bound(height_));
  for (const auto& queue : per_peer) {
    for (const Message& m : queue) {
      if (MessageRound(m) > round_ + config_.max_round_lead) continue;
      bool recorded = false;
      (void)CheckAndRecord(m, &recorded);  // duplicates and conflicts are sorted out here
    }
  }
}

bool Core::Valid(const Value& value) {
  auto it = validity_cache_.find(value.id);
  if (it != validity_cache_.end()) return it->second;
  const bool ok = !value.id.empty() && value.bytes.size() <= config_.max_value_bytes &&
                  app_.ValidateValue(height_, value);
  validity_cache_.emplace(value.id, ok);
  return ok;
}

// Never sign anything at or before the last signed (height, round, step), unless it is the very
// same value again: this is what keeps a restarted validator from equivocating.
bool Core::MaySign(RoundStep step, int32_t round, const std::string& value_id) const {
  if (record_.height == 0) return true;
  const auto mine = std::tuple(height_, round, static_cast<int>(step));
  const auto last = std::tuple(record_.height, record_.round, static_cast<int>(record_.step));
  if (mine > last) return true;
  return mine == last && value_id == record_.value_id;
}

void Core::RecordSigned(RoundStep step, const std::string& value_id, const std::string& signature) {
  JEJAK_ASSERT(MaySign(step, round_, value_id),
               "signing at or before the last signed step, for another value");
  if (step != RoundStep::kPrecommit || record_.height != height_ || record_.round != round_) {
    record_.round_prevote.reset();
  }
  record_.height = height_;
  record_.round = round_;
  record_.step = step;
  record_.value_id = value_id;
  record_.signature = signature;
  record_dirty_ = true;
}

void Core::SaveLocks() {
  record_.locked_round = locked_round_;
  record_.locked_value = locked_value_;
  record_.valid_round = valid_round_;
  record_.valid_value = valid_value_;
  record_.valid_polka.clear();
  if (auto it = rounds_.find(valid_round_); valid_round_ >= 0 && it != rounds_.end()) {
    for (const auto& votes : it->second.prevotes) {
      if (const Vote* v = FindVote(votes, valid_value_.id)) record_.valid_polka.push_back(*v);
    }
  }
  record_dirty_ = true;
}

void Core::SignAndBroadcastVote(VoteType type, const std::string& value_id) {
  const RoundStep step = VoteStep(type);
  if (!MaySign(step, round_, value_id)) return;
  Vote vote{type, height_, round_, value_id, config_.self, {}};
  vote.signature = signer_.Sign(VoteSignBytes(config_.chain_id, vote));
  RecordSigned(step, value_id, vote.signature);
  if (type == VoteType::kPrevote) record_.round_prevote = vote;
  AddVote(vote);
  Send(std::nullopt, vote);
}

void Core::Send(std::optional<ValidatorIndex> to, Message message) {
  ready_.messages.push_back(OutboundMessage{to, std::move(message)});
}

Status Core::Catchup(const Commit& commit) {
  const Certificate& cert = commit.certificate;
  if (awaiting_advance_ || cert.height != height_) {
    return Status::Ignored("commit for height " + std::to_string(cert.height) +
                           " is not for our current height " + std::to_string(height_));
  }
  if (commit.value.id != cert.value_id) {
    return Status::Invalid("commit for height " + std::to_string(cert.height) +
                           ": value id does not match the certificate");
  }
  Status s = VerifyCertificate(config_.chain_id, validators_, cert, verifier_);
  if (!s.ok()) return s;
  Decide(commit.value, cert);
  return Status::Ok();
}

bool Core::HasReady() const { return record_dirty_ || !ready_.empty(); }

Ready Core::TakeReady() {
  Ready out = std::move(ready_);
  ready_ = Ready{};
  if (record_dirty_) out.safety_record = record_;
  record_dirty_ = false;
  return out;
}

void Core::Advance(const Ready& ready) {
  (void)ready;
  if (!awaiting_advance_) return;
  awaiting_advance_ = false;
  StartRound(0);  // L54, deferred until the node has applied the decided value
  ReplayBuffered();
  CheckRules();
}

void Core::CheckRules() {
  // Each rule changes step, round or height when it fires, so this ends quickly; past the bound
  // a bug would turn into a silently stuck round, so it stops the process instead.
  for (int i = 0; i < 64; ++i) {
    if (awaiting_advance_) return;
    const bool fired = UponProposalInPropose() || UponPrevoteQuorumAny() || UponPolkaForValue() ||
                       UponPolkaForNil() || UponPrecommitQuorumAny() || UponDecision() ||
                       UponRoundSkip();
    if (!fired) return;
  }
  JEJAK_ASSERT(false, "the rules kept firing: each firing must change step, round or height");
}

const Proposal* Core::FindProposal(const RoundState& rs, const std::string& value_id) const {
  for (const Proposal& p : rs.proposals) {
    if (p.value.id == value_id) return &p;
  }
  return nullptr;
}

}  // namespace jejak::consensus
