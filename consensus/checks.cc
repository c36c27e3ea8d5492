// Checking a message before it touches state, and the bookkeeping of proposals and votes.
#include <algorithm>

#include "core.h"
#include "core_internal.h"
#include "sign_bytes.h"

namespace jejak::consensus {

using internal::Describe;

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

}  // namespace jejak::consensus
