// Construction, message checks, vote bookkeeping, signing and the Ready/Advance cycle.
#include "core.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "certificate.h"
#include "sign_bytes.h"

namespace jejak::consensus {
namespace {

std::string Describe(const Message& m) {
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

ValidatorIndex Sender(const Message& m) {
  if (const auto* p = std::get_if<Proposal>(&m)) return p->proposer;
  return std::get<Vote>(m).validator;
}

int32_t MessageRound(const Message& m) {
  if (const auto* p = std::get_if<Proposal>(&m)) return p->round;
  return std::get<Vote>(m).round;
}

RoundStep VoteStep(VoteType t) {
  return t == VoteType::kPrevote ? RoundStep::kPrevote : RoundStep::kPrecommit;
}

}  // namespace

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
  if (record && record->height == height_ && record->round >= 0) {
    Resume(*record);
  } else {
    StartRound(0);  // L10: upon start do StartRound(0)
  }
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

Status Core::CheckProposal(const Proposal& p) {
  const std::string what = Describe(p);
  if (p.proposer != validators_.Proposer(p.height, p.round)) {
    return Status::Invalid(what + ": validator " + std::to_string(p.proposer) +
                           " is not the proposer of this round");
  }
  if (p.valid_round < -1 || p.valid_round >= p.round) {
    return Status::Invalid(what + ": valid round " + std::to_string(p.valid_round) +
                           " is not in [-1, round)");
  }
  if (p.value.id.empty()) return Status::Invalid(what + ": value id is empty");
  if (p.value.bytes.size() > config_.max_value_bytes) {
    return Status::Invalid(what + ": value is larger than max_value_bytes");
  }
  if (!verifier_.Verify(validators_.at(p.proposer), ProposalSignBytes(config_.chain_id, p),
                        p.signature)) {
    return Status::Invalid(what + ": bad signature");
  }
  return Status::Ok();
}

Status Core::CheckVote(const Vote& v) {
  if (v.type != VoteType::kPrevote && v.type != VoteType::kPrecommit) {
    return Status::Invalid(Describe(v) + ": unknown vote type");
  }
  if (!verifier_.Verify(validators_.at(v.validator), VoteSignBytes(config_.chain_id, v),
                        v.signature)) {
    return Status::Invalid(Describe(v) + ": bad signature");
  }
  return Status::Ok();
}

Status Core::CheckAndRecord(const Message& message, bool* recorded) {
  *recorded = false;
  if (const auto* p = std::get_if<Proposal>(&message)) {
    RoundState& rs = Round(p->round);
    for (const Proposal& held : rs.proposals) {
      if (held == *p) return Status::Ignored(Describe(message) + ": duplicate");
    }
    Status s = CheckProposal(*p);
    if (!s.ok()) return s;
    MarkSender(rs, p->proposer);
    *recorded = true;
    if (rs.proposals.empty()) {
      rs.proposals.push_back(*p);
      return Status::Ok();
    }
    ReportEvidence(rs, p->proposer, rs.proposals.front(), *p);
    // Kept (bounded) so a value that gathers a quorum can still be found and decided.
    if (rs.proposals.size() < config_.max_proposals_per_round) rs.proposals.push_back(*p);
    return Status::Invalid(Describe(message) + ": conflicting proposal, kept as evidence");
  }
  const Vote& v = std::get<Vote>(message);
  RoundState& rs = Round(v.round);
  const auto& held = (v.type == VoteType::kPrevote ? rs.prevotes : rs.precommits)[v.validator];
  if (const Vote* same = FindVote(held, v.value_id); same != nullptr) {
    return Status::Ignored(Describe(message) + ": duplicate");
  }
  Status s = CheckVote(v);
  if (!s.ok()) return s;
  *recorded = true;
  if (!AddVote(v)) {
    return Status::Invalid(Describe(message) + ": conflicts with an earlier vote, kept as evidence");
  }
  return Status::Ok();
}

Core::RoundState& Core::Round(int32_t round) {
  auto [it, inserted] = rounds_.try_emplace(round);
  if (inserted) {
    const size_t n = validators_.size();
    it->second.prevotes.resize(n);
    it->second.precommits.resize(n);
    it->second.sent_anything.resize(n, false);
    it->second.evidence_reported.resize(n, false);
  }
  return it->second;
}

void Core::MarkSender(RoundState& rs, ValidatorIndex v) {
  if (rs.sent_anything[v]) return;
  rs.sent_anything[v] = true;
  ++rs.sender_count;
}

bool Core::AddVote(const Vote& vote) {
  RoundState& rs = Round(vote.round);
  const bool prevote = vote.type == VoteType::kPrevote;
  auto& held = (prevote ? rs.prevotes : rs.precommits)[vote.validator];
  MarkSender(rs, vote.validator);
  if (FindVote(held, vote.value_id) != nullptr) return true;  // same vote, other signature bytes
  if (held.empty()) {
    ++(prevote ? rs.prevote_total : rs.precommit_total);
  } else {
    ReportEvidence(rs, vote.validator, held.front(), vote);
  }
  // Beyond the bound only votes for a value someone proposed are kept: an equivocator must not
  // crowd out, with junk, the vote that completes a proof of lock for a real proposal.
  if (held.size() < config_.max_votes_per_validator ||
      (held.size() < config_.max_votes_per_validator + config_.max_proposals_per_round &&
       IsProposed(vote.value_id))) {
    held.push_back(vote);
    ++(prevote ? rs.prevote_tally : rs.precommit_tally)[vote.value_id];
  }
  return held.size() == 1;
}

bool Core::IsProposed(const std::string& value_id) const {
  for (const auto& [round, rs] : rounds_) {
    if (FindProposal(rs, value_id) != nullptr) return true;
  }
  return false;
}

const Vote* Core::FindVote(const std::vector<Vote>& votes, const std::string& value_id) {
  for (const Vote& v : votes) {
    if (v.value_id == value_id) return &v;
  }
  return nullptr;
}

void Core::ReportEvidence(RoundState& rs, ValidatorIndex v, Message first, Message second) {
  if (rs.evidence_reported[v]) return;
  rs.evidence_reported[v] = true;
  ready_.evidence.push_back(Evidence{v, std::move(first), std::move(second)});
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
  // Each rule changes step, round or height when it fires, so this ends quickly; the bound is a
  // guard against a bug turning into a hang.
  for (int i = 0; i < 64; ++i) {
    if (awaiting_advance_) return;
    const bool fired = UponProposalInPropose() || UponPrevoteQuorumAny() || UponPolkaForValue() ||
                       UponPolkaForNil() || UponPrecommitQuorumAny() || UponDecision() ||
                       UponRoundSkip();
    if (!fired) return;
  }
}

const Proposal* Core::FindProposal(const RoundState& rs, const std::string& value_id) const {
  for (const Proposal& p : rs.proposals) {
    if (p.value.id == value_id) return &p;
  }
  return nullptr;
}

}  // namespace jejak::consensus
